"""What litellm knows about providers and models, read from its bundled lists (no network)."""

from __future__ import annotations

from coordinator.llm.loading import load_litellm


def provider_names() -> list[str]:
    """Every provider litellm supports, from its bundled list."""
    return sorted({getattr(p, "value", str(p)) for p in load_litellm().provider_list})


def provider_key_in_environment(provider: str) -> tuple[bool, list[str]]:
    """Whether the variables litellm would read for `provider` are set, and (when not) their
    names. Values are never read out; Baton itself uses keys only through Secrets.

    Providers whose provider lookup runs an OAuth device flow (litellm's own list: it would
    reach the network) are never looked up: reported as not set, with no names."""
    litellm = load_litellm()
    from litellm.litellm_core_utils.get_llm_provider_logic import (
        declared_authenticating_provider,
    )

    if declared_authenticating_provider(f"{provider}/model") is not None:
        return False, []
    try:
        found = litellm.validate_environment(model=f"{provider}/model")
    except Exception:
        return False, []
    return bool(found.get("keys_in_environment")), list(found.get("missing_keys") or [])


def known_chat_models(provider: str) -> list[str]:
    """`provider/name` of the chat models in litellm's bundled price list for `provider`."""
    litellm = load_litellm()
    names = set()
    for name in litellm.models_by_provider.get(provider, ()):
        if (litellm.model_cost.get(name) or {}).get("mode") != "chat":
            continue
        names.add(name if name.startswith(f"{provider}/") else f"{provider}/{name}")
    return sorted(names)
