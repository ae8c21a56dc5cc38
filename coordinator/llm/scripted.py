"""A Model whose replies are scripted per task, recording every call — for exercising code
that calls a model (phases, agents, plan generation) without calling one.

    model = ScriptedModel(
        {
            "complexity": [ComplexityDecision(level="LOW", ...)],      # one reply per call
            "selection": lambda context: {"agents": ["docs-search"]},  # computed from context
            "planning": [ModelError("model scripted/test failed")],    # raised
            COMPLETE: ["first answer", "second answer"],               # complete() replies
        }
    )
    ...
    assert model.tasks == ["complexity", "selection"]
    assert model.calls_for("selection")[0].context["query"] == "..."

A task's script is a list (each call takes the next item; running out fails
loudly), or a callable (``context`` → reply for structured(), ``messages``
→ text for complete()). A reply may be a pydantic instance, a dict (validated
against the requested schema), text for complete(), an Exception instance
(raised), or a ``(reply, Usage)`` tuple to script usage. ``fallback`` (e.g.
``LocalModel()``) answers tasks that are not scripted instead of failing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from coordinator.llm.base import Model, Usage
from coordinator.llm.tokens import estimate_tokens

#: the script key for complete() replies
COMPLETE = "complete"


class ScriptExhausted(AssertionError):
    """The code under test made more model calls than were scripted.

    An AssertionError, not a ModelError: code that handles model failures must not
    swallow a script that ran out."""


@dataclass
class ModelCall:
    kind: str  # "structured" | "complete"
    task: str
    messages: list[dict]
    context: dict = field(default_factory=dict)
    schema: type[BaseModel] | None = None
    options: dict = field(default_factory=dict)

    @property
    def prompt(self) -> str:
        """All message contents joined (handy for `in` assertions)."""
        return "\n".join(str(m.get("content", "")) for m in self.messages)


class ScriptedModel:
    """A Model whose replies are scripted per task, recording every call."""

    def __init__(
        self,
        script: dict[str, Any] | None = None,
        *,
        completions: list[Any] | Callable[[list[dict]], Any] | None = None,
        name: str = "scripted/test",
        usage: Usage | None = None,
        fallback: Model | None = None,
    ) -> None:
        self.name = name
        self.script: dict[str, Any] = dict(script or {})
        if completions is not None:
            self.script[COMPLETE] = completions
        self.usage = usage if usage is not None else Usage(10, 5, 0.0)
        self.fallback = fallback
        self.calls: list[ModelCall] = []
        self._lock = threading.Lock()
        self._positions: dict[str, int] = {}

    # -- assertions helpers

    @property
    def tasks(self) -> list[str]:
        return [c.task for c in self.calls]

    def calls_for(self, task: str) -> list[ModelCall]:
        return [c for c in self.calls if c.task == task]

    def remaining(self, task: str) -> int:
        entry = self.script.get(task)
        if not isinstance(entry, list):
            return 0
        return len(entry) - self._positions.get(task, 0)

    # -- the Model protocol

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
    ) -> tuple[BaseModel, Usage]:
        options = {
            "temperature": temperature,
            "timeout": timeout,
            "thinking_budget": thinking_budget,
        }
        self._record(ModelCall("structured", task, list(messages), context, schema, options))
        if task not in self.script and self.fallback is not None:
            return self.fallback.structured(
                messages,
                schema,
                task=task,
                context=context,
                temperature=temperature,
                timeout=timeout,
                thinking_budget=thinking_budget,
            )
        reply, usage = self._next(task, context)
        if isinstance(reply, BaseModel) and not isinstance(reply, schema):
            reply = reply.model_dump()
        if not isinstance(reply, BaseModel):
            reply = schema.model_validate(reply)
        return reply, usage

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
    ) -> tuple[str, Usage]:
        options = {
            "temperature": temperature,
            "max_tokens": max_tokens,
            "timeout": timeout,
            "thinking_budget": thinking_budget,
            "metadata": metadata,
        }
        self._record(ModelCall("complete", COMPLETE, list(messages), {}, None, options))
        if COMPLETE not in self.script and self.fallback is not None:
            return self.fallback.complete(
                messages,
                temperature=temperature,
                max_tokens=max_tokens,
                timeout=timeout,
                on_delta=on_delta,
                thinking_budget=thinking_budget,
            )
        reply, usage = self._next(COMPLETE, messages)
        text = str(reply)
        if on_delta is not None:
            for piece in _pieces(text):
                on_delta(piece)
        return text, usage

    # -- internals

    def _record(self, call: ModelCall) -> None:
        with self._lock:
            self.calls.append(call)

    def _next(self, task: str, argument: Any) -> tuple[Any, Usage]:
        with self._lock:
            if task not in self.script:
                scripted = ", ".join(sorted(self.script)) or "nothing"
                raise ScriptExhausted(
                    f"ScriptedModel has no script for task {task!r} (scripted: {scripted})"
                )
            entry = self.script[task]
            if isinstance(entry, list):
                position = self._positions.get(task, 0)
                if position >= len(entry):
                    raise ScriptExhausted(
                        f"ScriptedModel ran out of replies for task {task!r} "
                        f"after {len(entry)} call(s)"
                    )
                self._positions[task] = position + 1
                reply = entry[position]
            else:
                reply = entry
        if callable(reply) and not isinstance(reply, BaseModel | type):
            reply = reply(argument)
        usage = self.usage
        if isinstance(reply, tuple) and len(reply) == 2 and isinstance(reply[1], Usage):
            reply, usage = reply
        if isinstance(reply, BaseException):
            raise reply
        return reply, usage


def _pieces(text: str, parts: int = 3) -> list[str]:
    if not text:
        return []
    size = max(1, -(-len(text) // parts))
    return [text[i : i + size] for i in range(0, len(text), size)]


def usage_for(text: str) -> Usage:
    """A plausible Usage for a scripted reply (completion tokens estimated from the text)."""
    return Usage(10, estimate_tokens(text), 0.0)
