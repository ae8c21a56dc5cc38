"""``baton/local``: the built-in offline model — deterministic, no network, cost 0.

``structured()`` dispatches on the task name to handlers registered with
:func:`local_task` (the phases register theirs). ``complete()`` answers *extractively*:
it quotes the sentences of the conversation most relevant to the last user message and
never invents text. Nothing here imports litellm.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from coordinator.llm.base import (
    LOCAL_MODEL,
    ModelError,
    Usage,
    content_text,
    validation_summary,
)
from coordinator.llm.tokens import estimate_tokens

#: task name → handler(schema, context) for baton/local structured output
LOCAL_TASKS: dict[str, Callable[[type[BaseModel], dict], BaseModel | dict]] = {}


def local_task(task: str) -> Callable[[Callable], Callable]:
    """Register the baton/local handler for a structured-output task."""

    def register(fn: Callable[[type[BaseModel], dict], BaseModel | dict]) -> Callable:
        LOCAL_TASKS[task] = fn
        return fn

    return register


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_STOPWORD_TEXT = """a about above after again all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out
    over own please same she should so some such tell than that the their theirs them then
    there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours give show explain describe
    find list"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
NO_EXTRACTIVE_ANSWER = (
    "baton/local found no text relevant to this request in the conversation. It answers "
    "extractively — it quotes the most relevant sentences of the messages it is given and "
    "cannot write new text — so configure a language model for generated answers."
)


def _terms(text: str) -> set[str]:
    return {w for w in (m.lower() for m in _WORD.findall(text)) if w not in _STOPWORDS}


def _passages(text: str) -> list[str]:
    """Sentences of a text; JSON objects/arrays contribute their string values."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        stripped = block.strip()
        if not stripped:
            continue
        head, _, rest = stripped.partition("\n")
        for candidate in (stripped, rest.strip()):
            if candidate[:1] in "{[":
                try:
                    data = json.loads(candidate)
                except ValueError:
                    continue
                label = head.strip()
                if candidate is not stripped and label and not label.endswith(":"):
                    out.append(label)
                out.extend(_json_strings(data))
                break
        else:
            for line in stripped.splitlines():
                out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


def _json_strings(data: Any, key: str = "") -> list[str]:
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _json_strings(v, str(k))]
    if isinstance(data, list):
        return [s for v in data for s in _json_strings(v, key)]
    if isinstance(data, str):
        return [
            s.strip() for line in data.splitlines() for s in _SENTENCE_END.split(line) if s.strip()
        ]
    if data is None or not key:
        return []
    return [f"{key}: {data}"]


def extractive_answer(
    messages: list[dict], *, max_sentences: int = 4, max_chars: int = 1500
) -> str:
    """Quote the sentences of ``messages`` most relevant to the last user message.

    The question is the last user message (its first paragraph when it has
    several; the rest counts as context). Sources are every other non-system
    message. Sentences are ranked by query-term overlap (normalised by sentence
    length); up to ``max_sentences`` scoring at least half the best are
    returned, in their original order.
    """
    last_user = next(
        (i for i in range(len(messages) - 1, -1, -1) if messages[i].get("role") == "user"), None
    )
    if last_user is None:
        return NO_EXTRACTIVE_ANSWER
    question_text = content_text(messages[last_user].get("content")).strip()
    question, _, extra = question_text.partition("\n\n")
    sources: list[str] = []
    for i, message in enumerate(messages):
        if i == last_user or message.get("role") == "system":
            continue
        sources.extend(_passages(content_text(message.get("content"))))
    sources.extend(_passages(extra))
    query = _terms(question)
    scored: list[tuple[float, int, str]] = []
    seen: set[str] = set()
    for order, sentence in enumerate(sources):
        key = sentence.lower()
        if key in seen or len(sentence) < 3:
            continue
        seen.add(key)
        words = _terms(sentence)
        overlap = len(query & words)
        if overlap:
            scored.append((overlap / math.sqrt(len(words) + 1), order, sentence))
    if not scored:
        return NO_EXTRACTIVE_ANSWER
    top = max(s[0] for s in scored)
    ranked = sorted((s for s in scored if s[0] >= top / 2), key=lambda s: (-s[0], s[1]))
    best = ranked[:max_sentences]
    chosen: list[str] = []
    length = 0
    for _, _, sentence in sorted(best, key=lambda s: s[1]):
        if chosen and length + len(sentence) > max_chars:
            break
        chosen.append(sentence[:max_chars])
        length += len(sentence) + 1
    return " ".join(chosen)


def _chunks(text: str, parts: int = 4) -> list[str]:
    words = re.findall(r"\S+\s*", text)
    if not words:
        return [text] if text else []
    size = max(1, math.ceil(len(words) / parts))
    return ["".join(words[i : i + size]) for i in range(0, len(words), size)]


class LocalModel:
    """The built-in offline model ``baton/local``: deterministic, no network, cost 0."""

    name = LOCAL_MODEL

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
        """Answer extractively (see :func:`extractive_answer`); never generates text."""
        text = extractive_answer(messages)
        if max_tokens:
            text = text[: max(max_tokens, 1) * 4]
        if on_delta is not None:
            for chunk in _chunks(text):
                on_delta(chunk)
        return text, Usage(estimate_tokens(messages), estimate_tokens(text), 0.0)

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
        handler = LOCAL_TASKS.get(task)
        if handler is None:
            known = ", ".join(sorted(LOCAL_TASKS)) or "none registered"
            raise ModelError(f"{LOCAL_MODEL} has no handler for task {task!r} (known: {known})")
        result = handler(schema, context)
        try:
            if not isinstance(result, schema):
                if isinstance(result, BaseModel):
                    result = result.model_dump()
                result = schema.model_validate(result)
        except ValidationError as exc:
            raise ModelError(
                f"{LOCAL_MODEL} returned invalid structured output for task {task!r}: "
                f"{validation_summary(exc)}"
            ) from exc
        usage = Usage(estimate_tokens(messages), estimate_tokens(result.model_dump_json()), 0.0)
        return result, usage


#: the one LocalModel instance (it holds no state)
LOCAL = LocalModel()
