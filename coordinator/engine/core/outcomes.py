"""What executing a step can lead to. Executors return one; the engine records it atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coordinator.llm import Usage


@dataclass
class Succeeded:
    output: Any
    usage: Usage = field(default_factory=Usage)
    skip: list[str] = field(default_factory=list)  # condition: step ids of the branch not taken


@dataclass
class Failed:
    error: str
    output: Any = None
    usage: Usage = field(default_factory=Usage)
    retryable: bool = True


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


Outcome = Succeeded | Failed | Waiting
