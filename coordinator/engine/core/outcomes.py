"""What executing a step can lead to. Executors return one; the engine records it atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coordinator.llm import Usage


@dataclass
class Succeeded:
    output: Any
    usage: Usage = field(default_factory=Usage)
    skip: list[str] = field(default_factory=list)  # condition: step ids of the branch not taken
    # False: an agent's result not yet in the outbox; the runner saves it before or with
    # recording it (runner._record_and_advance).
    saved: bool = True
    writes: list[Callable[[], object]] = field(default_factory=list)  # see Waiting.writes


@dataclass
class Failed:
    error: str
    output: Any = None
    usage: Usage = field(default_factory=Usage)
    retryable: bool = True
    writes: list[Callable[[], object]] = field(default_factory=list)  # see Waiting.writes


@dataclass
class ChildSpec:
    """A generated step (a coordinator stage, a parallel branch, a pipeline item)."""

    step_id: str
    type: str
    spec: dict
    depends_on: list[str] = field(default_factory=list)
    agent: str = ""
    input: Any = None
    state: dict = field(default_factory=dict)  # its EngineState (stored, not defaults)


@dataclass
class Waiting:
    """The step waits: for children, a person, a timer, an event or a nested run."""

    output: Any = None
    usage: Usage = field(default_factory=Usage)
    children: list[ChildSpec] = field(default_factory=list)
    resume_at: datetime | None = None
    approval: dict | None = None
    nested_run: dict | None = None
    # Database writes of the execution left for the transaction that records it (done first
    # there, in order): a coordinator's instant phase events and decisions.
    writes: list[Callable[[], object]] = field(default_factory=list)


Outcome = Succeeded | Failed | Waiting
