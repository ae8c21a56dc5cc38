"""Validated kind configs for registry agents (docs/architecture.md). Pure pydantic."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

SECRET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
KINDS = ("llm", "http", "python", "canvas")

#: fields that once let a user pair a server credential with a destination of their choosing
LEGACY_FIELDS = {
    ("llm", "api_key_env"): "api_key_env is no longer accepted: keys live in staff-managed "
    "Connections; name one in `connection` (ask staff to create it)",
    ("llm", "api_base"): "api_base is no longer accepted: the address belongs to a "
    "staff-managed Connection; name one in `connection` (ask staff to create it)",
}


class KindConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LlmKind(KindConfig):
    model: str = Field(
        default="", max_length=200, description="litellm model; empty → baton/local."
    )
    system_prompt: str = Field(default="", max_length=50_000)
    temperature: float = Field(default=0.2, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    connection: str | None = Field(
        default=None,
        max_length=100,
        description="Name of a staff-managed Connection; empty picks one serving the model.",
    )


class HttpKind(KindConfig):
    url: HttpUrl
    method: Literal["POST"] = "POST"
    timeout_seconds: float = Field(default=30, gt=0, le=3600)
    headers: dict[str, str] = Field(
        default_factory=dict,
        description="Header name → name of a staff-managed Secret holding its value.",
    )

    @field_validator("headers")
    @classmethod
    def _secret_names_only(cls, value: dict[str, str]):
        for header, secret in value.items():
            if not SECRET_NAME.match(secret):
                raise ValueError(
                    f"header {header!r}: give the name of a Secret staff created (lowercase "
                    "letters, digits, '-' and '_'); environment variable names and values "
                    "are not accepted"
                )
        return value


class PythonKind(KindConfig):
    callable: str = Field(
        min_length=1, max_length=300, description="Dotted path in BATON_PYTHON_AGENTS."
    )


class CanvasKind(KindConfig):
    canvas: str = Field(min_length=1, max_length=100, description="Slug of the canvas to run.")
    max_depth: int = Field(default=3, ge=1, le=10)


KIND_MODELS: dict[str, type[KindConfig]] = {
    "llm": LlmKind,
    "http": HttpKind,
    "python": PythonKind,
    "canvas": CanvasKind,
}


def validate_kind_config(kind: str, config: dict, python_allowlist: list[str]) -> list[dict]:
    """Problems with an agent's kind config as [{"field", "message"}]; empty when valid."""
    model = KIND_MODELS.get(kind)
    if model is None:
        return [{"field": "kind", "message": f"unknown kind {kind!r}; expected one of {KINDS}"}]
    if not isinstance(config, dict):
        return [{"field": "kind_config", "message": "must be an object"}]
    legacy = [
        {"field": f"kind_config.{name}", "message": message}
        for (legacy_kind, name), message in LEGACY_FIELDS.items()
        if legacy_kind == kind and name in config
    ]
    if legacy:
        return legacy
    try:
        parsed = model.model_validate(config)
    except ValidationError as exc:
        return [
            {
                "field": ".".join(["kind_config", *(str(p) for p in err["loc"])]),
                "message": err["msg"],
            }
            for err in exc.errors()
        ]
    if isinstance(parsed, PythonKind) and parsed.callable not in python_allowlist:
        return [
            {
                "field": "kind_config.callable",
                "message": "not in the server's BATON_PYTHON_AGENTS allowlist",
            }
        ]
    return []
