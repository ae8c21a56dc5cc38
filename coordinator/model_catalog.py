"""What the Models page shows staff, and what the model pickers offer a user.

Providers come from litellm's bundled list (no network). Credentials are reported only as
"present or not": a Secret has a value or not, a provider's usual variable is set or not —
never a value or any part of one. Users are offered only what their own Connections serve
(`coordinator.credentials.usable_connections`), so a picker reveals nothing more than the
connection names they may already use.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from canvas.models import Connection, Secret
from coordinator import llm
from coordinator.credentials import CredentialError, secret_value, usable_connections

#: options offered per wildcard pattern (litellm knows ~200 OpenAI chat models alone)
MAX_MODELS_PER_PATTERN = 150
WILDCARD = set("*?[")


def is_pattern(name: str) -> bool:
    return bool(WILDCARD & set(name))


def pattern_provider(pattern: str) -> str:
    """The provider part of a model pattern ("openai/*" → "openai"; "*" → "*")."""
    return pattern.split("/", 1)[0] if "/" in pattern else ("*" if pattern == "*" else "")


def serves_provider(patterns: list[str], provider: str) -> bool:
    return any(
        (part := pattern_provider(p)) and fnmatchcase(provider, part) for p in patterns or []
    )


def has_value(secret) -> bool:
    try:
        secret_value(secret)
    except CredentialError:
        return False
    return True


def _teams(obj) -> dict[str, Any]:
    return {"all_teams": obj.all_teams, "teams": sorted(t.name for t in obj.teams.all())}


def describe_secret(secret) -> dict[str, Any]:
    return {
        "name": secret.name,
        "description": secret.description,
        "source": secret.source,
        "env_var": secret.env_var if secret.source == "env" else "",
        "has_value": has_value(secret),
        "allowed_hosts": list(secret.allowed_hosts or []),
        **_teams(secret),
    }


def describe_connection(connection) -> dict[str, Any]:
    secret = connection.secret
    patterns = list(connection.model_patterns or [])
    return {
        "name": connection.name,
        "description": connection.description,
        "api_base": connection.api_base,
        "model_patterns": patterns,
        "secret": secret.name if secret else "",
        # no secret: the connection sends no key, which is a valid choice (local servers)
        "secret_has_value": has_value(secret) if secret else None,
        "test_model": next((p for p in patterns if not is_pattern(p)), ""),
        **_teams(connection),
    }


def catalogue() -> dict[str, Any]:
    """The staff view: providers, connections, secrets (never a value)."""
    connections = list(Connection.objects.select_related("secret").prefetch_related("teams"))
    secrets = list(Secret.objects.prefetch_related("teams"))
    providers = []
    for name in llm.provider_names():
        in_env, missing = llm.provider_key_in_environment(name)
        serving = [c.name for c in connections if serves_provider(c.model_patterns, name)]
        providers.append(
            {
                "name": name,
                "connections": serving,
                "key_in_environment": in_env,
                "expected_variables": missing,
            }
        )
    return {
        "providers": providers,
        "connections": [describe_connection(c) for c in connections],
        "secrets": [describe_secret(s) for s in secrets],
    }


def _expand(pattern: str) -> list[str]:
    """Concrete model names a pattern stands for: itself, or litellm's known chat models."""
    if not is_pattern(pattern):
        return [pattern]
    provider = pattern_provider(pattern)
    if not provider or is_pattern(provider):
        return []  # "*" or "op*/…": too broad to list; the user types the name
    return [m for m in llm.known_chat_models(provider) if fnmatchcase(m, pattern)][
        :MAX_MODELS_PER_PATTERN
    ]


def model_options(user) -> dict[str, Any]:
    """The models `user` may pick (their connections' models, and the built-in one)."""
    models: list[dict[str, str]] = [
        {"model": llm.LOCAL_MODEL, "connection": "", "source": "built-in, offline"}
    ]
    seen = {llm.LOCAL_MODEL}
    connections = []
    for connection in usable_connections(user).order_by("name"):
        patterns = list(connection.model_patterns or [])
        connections.append(
            {
                "name": connection.name,
                "description": connection.description,
                "model_patterns": patterns,
            }
        )
        for pattern in patterns:
            for model in _expand(pattern):
                if model not in seen:
                    seen.add(model)
                    models.append(
                        {"model": model, "connection": connection.name, "source": pattern}
                    )
    return {"models": models, "connections": connections}
