"""What every model shares: the Model protocol, Usage, the errors, and the ``baton/local`` name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ValidationError

LOCAL_MODEL = "baton/local"


@dataclass
class Usage:
    """Tokens and cost of one or more model calls (cost 0.0 when unknown)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        if not isinstance(other, Usage):
            return NotImplemented
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cost_usd + other.cost_usd,
        )

    def __radd__(self, other: Any) -> Usage:
        if other == 0:  # sum(usages)
            return self
        return NotImplemented


class ModelError(RuntimeError):
    """A model call failed; the message is meant for users (model, what went wrong).

    ``usage`` holds what the failed attempts consumed; ``status_code`` the HTTP
    status when the provider returned one.
    """

    def __init__(
        self, message: str, *, usage: Usage | None = None, status_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.usage = usage or Usage()
        self.status_code = status_code


class ModelTimeout(ModelError):
    """The model did not answer within the timeout."""


@runtime_checkable
class Model(Protocol):
    name: str

    def complete(
        self,
        messages: list[dict],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        timeout: float | None = None,
        on_delta: Callable[[str], None] | None = None,
        thinking_budget: int | None = None,
        metadata: dict | None = None,
    ) -> tuple[str, Usage]: ...

    def structured(
        self,
        messages: list[dict],
        schema: type[BaseModel],
        *,
        task: str,
        context: dict,
        temperature: float | None = None,
        timeout: float | None = None,
        thinking_budget: int | None = None,
    ) -> tuple[BaseModel, Usage]: ...


def is_local(name: str | None) -> bool:
    return not name or name == LOCAL_MODEL


def content_text(content: Any) -> str:
    """The text of a message's content (multimodal parts joined)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # multimodal parts
        return " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)
    return str(content)


def validation_summary(exc: ValidationError, limit: int = 5) -> str:
    """A short, user-facing account of what a reply got wrong against its schema."""
    parts = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(root)"
        parts.append(f"{loc}: {err.get('msg')}")
    more = exc.error_count() - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
