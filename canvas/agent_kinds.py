"""Validated kind configs for registry agents (DESIGN §5). Pure pydantic."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,127}$")
KINDS = ("llm", "http", "python", "canvas")


class KindConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LlmKind(KindConfig):
    model: str = Field(
        default="", max_length=200, description="litellm model; empty → baton/local."
    )
    system_prompt: str = Field(default="", max_length=50_000)
    temperature: float = Field(default=0.2, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    api_base: HttpUrl | None = None
    api_key_env: str | None = Field(default=None, description="Environment variable with the key.")

    @field_validator("api_key_env")
    @classmethod
    def _env_name(cls, value):
        if value is not None and not ENV_NAME.match(value):
            raise ValueError("must be an environment variable NAME (A-Z, 0-9, _)")
        return value


class HttpKind(KindConfig):
    url: HttpUrl
    method: Literal["POST"] = "POST"
    timeout_seconds: float = Field(default=30, gt=0, le=3600)
    headers: dict[str, str] = Field(
        default_factory=dict,
        description="Header name → NAME of an environment variable holding its value (never the value).",
    )

    @field_validator("headers")
    @classmethod
    def _secret_names_only(cls, value: dict[str, str]):
        for header, env_name in value.items():
            if not ENV_NAME.match(env_name):
                raise ValueError(
                    f"header {header!r}: give the NAME of an environment variable, not a value"
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
