"""The call and result types every agent kind shares, apart from the package so the kind
modules need not import the package that dispatches to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coordinator.llm import Usage


class AgentError(RuntimeError):
    """A sub-agent failed; the message is shown to users and to synthesis as the failure."""


class AgentTimeout(AgentError):
    pass


@dataclass
class AgentCall:
    slug: str
    kind: str
    config: dict
    payload: dict  # {"query", "history", "input", "context"}
    timeout: float
    on_delta: Callable[[str], None] | None = None
    on_item: Callable[[Any], None] | None = None
    owner: Any = None  # the agent's owner: whose grants pick its secrets and connection
    run_user: Any = None  # whom the run acts for (python agents are told, to scope reads)
    # Stable per (run, step, attempt): a re-executed call (a worker died after the agent ran
    # but before its result was saved) carries the same key, so the agent can deduplicate.
    idempotency_key: str = ""


@dataclass
class AgentResult:
    output: Any
    usage: Usage = field(default_factory=Usage)
