"""Model calls: litellm for real providers, and the built-in offline model ``baton/local``.

This is the only module that imports litellm, and it does so lazily (importing
it takes seconds): the ``baton/local`` path — :class:`LocalModel`,
:func:`count_tokens` and :func:`truncate_history` without a real model — never
imports it.

* :class:`LiteLLMModel` calls any provider litellm supports (OpenAI, Anthropic,
  Azure, Ollama, any OpenAI-compatible ``api_base``). Its own retries are off
  (``num_retries=0``, ``max_retries=0``): retrying is the engine's failure
  policy. Every failure is a :class:`ModelError` whose message names the model
  and what went wrong; timeouts are :class:`ModelTimeout`.
* :class:`LocalModel` is deterministic and offline. ``structured()`` dispatches
  on the task name to handlers registered with :func:`local_task` (the phases
  register theirs). ``complete()`` answers *extractively*: it quotes the
  sentences of the conversation most relevant to the last user message and
  never invents text.

Keys and addresses come from staff-managed Connections (``coordinator.credentials``): the
caller passes the key's *value* and the ``api_base``; this module never reads an
environment variable for a key. Without a key a placeholder is sent, so litellm never
falls back to a provider key in the server's environment. Every ``api_base`` passes the
outbound destination check (``coordinator.egress``) and the connection is pinned to the
checked address.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from types import ModuleType

__all__ = [
    "LOCAL_MODEL",
    "LOCAL_TASKS",
    "LiteLLMModel",
    "LocalModel",
    "Model",
    "ModelError",
    "ModelTimeout",
    "Usage",
    "count_tokens",
    "estimate_tokens",
    "get_model",
    "local_task",
    "reasoning_params",
    "truncate_history",
]

LOCAL_MODEL = "baton/local"
#: placeholder key sent when a connection has no secret (litellm must not read the environment)
_NO_KEY = "baton-no-key"
_MAX_ERROR_CHARS = 400


# --------------------------------------------------------------------------- basics


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


# --------------------------------------------------------------------------- litellm loading

_litellm_module: ModuleType | None = None
_litellm_lock = threading.Lock()


def _litellm() -> ModuleType:
    """Import litellm once, configured to stay offline except for the model calls."""
    global _litellm_module
    if _litellm_module is None:
        with _litellm_lock:
            if _litellm_module is None:
                os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
                import litellm

                litellm.suppress_debug_info = True
                # token_counter would fetch Hugging Face tokenizers for llama/cohere/claude-2
                # names; the bundled tiktoken encodings are used instead.
                litellm.disable_hf_tokenizer_download = True
                litellm.telemetry = False
                _litellm_module = litellm
    return _litellm_module


# --------------------------------------------------------------------------- tokens


def _content_text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # multimodal parts
        return " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)
    return str(content)


def estimate_tokens(messages_or_text: str | list[dict]) -> int:
    """A fast estimate (no tokenizer): max(words, chars / 4), plus 4 per message."""
    if isinstance(messages_or_text, str):
        text = messages_or_text
        return max(len(text.split()), math.ceil(len(text) / 4))
    return sum(estimate_tokens(_content_text(m.get("content"))) + 4 for m in messages_or_text)


def count_tokens(messages_or_text: str | list[dict], model: str | None) -> int:
    """Tokens in a text or message list for ``model``.

    Real models use litellm's tokenizer (tiktoken encodings bundled with litellm,
    so it works offline; Hugging Face downloads are disabled). ``baton/local``,
    ``None`` and any tokenizer failure use :func:`estimate_tokens`.
    """
    if is_local(model):
        return estimate_tokens(messages_or_text)
    try:
        litellm = _litellm()
        if isinstance(messages_or_text, str):
            return int(litellm.token_counter(model=model, text=messages_or_text))
        return int(litellm.token_counter(model=model, messages=messages_or_text))
    except Exception:
        return estimate_tokens(messages_or_text)


def truncate_history(history: list[dict], max_tokens: int, model: str | None) -> list[dict]:
    """The most recent turns of ``history`` whose total fits in ``max_tokens``.

    The latest user turn is always kept; when it alone is too long, its text is
    cut from the start (the end of a message is usually the question). Turns are
    kept as a contiguous most-recent suffix, in their original order; the input
    list and dicts are not modified.
    """
    if not history:
        return []
    max_tokens = max(int(max_tokens), 1)
    latest_user = next(
        (i for i in range(len(history) - 1, -1, -1) if history[i].get("role") == "user"), None
    )
    kept: dict[int, dict] = {}
    total = 0
    if latest_user is not None:
        turn = dict(history[latest_user])
        cost = count_tokens([turn], model)
        if cost > max_tokens:
            turn = _cut_turn(turn, max_tokens, model)
            cost = count_tokens([turn], model)
        kept[latest_user] = turn
        total = cost
    for i in range(len(history) - 1, -1, -1):
        if i == latest_user:
            continue
        cost = count_tokens([history[i]], model)
        if total + cost > max_tokens:
            break
        kept[i] = dict(history[i])
        total += cost
    return [kept[i] for i in sorted(kept)]


def _cut_turn(turn: dict, max_tokens: int, model: str | None) -> dict:
    text = turn.get("content")
    if not isinstance(text, str):
        return turn
    marker = "… "
    overhead = count_tokens([{**turn, "content": ""}], model)
    budget = max(max_tokens - overhead - 1, 0)
    keep = min(len(text), budget * 4)
    while keep > 0:
        candidate = marker + text[len(text) - keep :]
        if count_tokens([{**turn, "content": candidate}], model) <= max_tokens:
            return {**turn, "content": candidate}
        keep = int(keep * 0.8)
    return {**turn, "content": ""}


# --------------------------------------------------------------------------- local model

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
    question_text = _content_text(messages[last_user].get("content")).strip()
    question, _, extra = question_text.partition("\n\n")
    sources: list[str] = []
    for i, message in enumerate(messages):
        if i == last_user or message.get("role") == "system":
            continue
        sources.extend(_passages(_content_text(message.get("content"))))
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
                f"{_validation_summary(exc)}"
            ) from exc
        usage = Usage(estimate_tokens(messages), estimate_tokens(result.model_dump_json()), 0.0)
        return result, usage


_LOCAL = LocalModel()


# --------------------------------------------------------------------------- litellm model


def reasoning_params(model: str, budget: int | None, *, supports: bool | None = None) -> dict:
    """Provider parameters for a thinking budget (tokens), or {} when not applicable.

    Anthropic Claude models get ``thinking={"type": "enabled", "budget_tokens": N}``
    (Anthropic's minimum is 1024); OpenAI o-series and gpt-5 get
    ``reasoning_effort`` (≤2048 → low, ≤16384 → medium, above → high). Other
    models get nothing. ``supports`` is litellm's ``supports_reasoning`` answer
    when known; the model-name families below count as supporting either way.
    """
    if not budget or budget <= 0:
        return {}
    provider, _, bare = model.rpartition("/")
    bare = bare.lower()
    provider = provider.lower()
    if "claude" in bare:
        family = re.search(r"claude-(3-7|(opus|sonnet|haiku)-4|4)", bare) is not None
        if (supports or family) and budget >= 1024:
            return {"thinking": {"type": "enabled", "budget_tokens": int(budget)}}
        return {}
    if provider in ("", "openai", "azure", "openrouter/openai") and re.match(r"(o\d|gpt-5)", bare):
        effort = "low" if budget <= 2048 else "medium" if budget <= 16384 else "high"
        return {"reasoning_effort": effort}
    return {}


class _InvalidOutput(ValueError):
    pass


def _validation_summary(exc: ValidationError, limit: int = 5) -> str:
    parts = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(root)"
        parts.append(f"{loc}: {err.get('msg')}")
    more = exc.error_count() - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


def extract_json_object(text: str) -> dict:
    """The first JSON object in a model reply (code fences and <think> blocks ignored)."""
    cleaned = _THINK.sub("", text or "").strip()
    candidates = [m.group(1) for m in _FENCE.finditer(cleaned)] + [cleaned]
    decoder = json.JSONDecoder()
    for candidate in candidates:
        start = candidate.find("{")
        while start != -1:
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except ValueError:
                start = candidate.find("{", start + 1)
                continue
            if isinstance(value, dict):
                return value
            start = candidate.find("{", start + 1)
    raise _InvalidOutput("the reply contains no JSON object")


def _parse_structured(text: str, schema: type[BaseModel]) -> BaseModel:
    data = extract_json_object(text)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise _InvalidOutput(
            f"the JSON does not match the schema: {_validation_summary(exc)}"
        ) from None


def _schema_instructions(schema: type[BaseModel], task: str) -> str:
    schema_json = json.dumps(schema.model_json_schema(), separators=(",", ":"))
    return (
        f"Output format for the task {task!r}: reply with exactly one JSON object that "
        "validates against the JSON Schema below. Reply with the JSON object only — no "
        f"prose, no code fences.\nJSON Schema:\n{schema_json}"
    )


def _with_system(messages: list[dict], instructions: str) -> list[dict]:
    if messages and messages[0].get("role") == "system":
        first = dict(messages[0])
        first["content"] = f"{_content_text(first.get('content'))}\n\n{instructions}".strip()
        return [first, *messages[1:]]
    return [{"role": "system", "content": instructions}, *messages]


def _exception_chain(exc: BaseException, limit: int = 8) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < limit and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _clean_message(exc: BaseException, secret: str | None) -> str:
    text = str(exc) or type(exc).__name__
    text = re.sub(r"^(?:(?:litellm\.)?\w+(?:Error|Exception):\s*)+", "", text)
    text = re.sub(r"\b\w+Exception - ", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    if secret:
        text = text.replace(secret, "***")
    if len(text) > _MAX_ERROR_CHARS:
        text = text[: _MAX_ERROR_CHARS - 1] + "…"
    return text


class LiteLLMModel:
    """A provider model called through litellm (retries off; errors → ModelError)."""

    def __init__(self, name: str, *, api_base: str | None = None, api_key: str | None = None):
        self.name = name
        self.api_base = api_base or None
        self._key = api_key or None
        self._json_mode: bool | None = None  # None: not yet known for this endpoint

    def __repr__(self) -> str:
        return f"LiteLLMModel({self.name!r}, api_base={self.api_base!r})"

    # -- credentials and parameters

    def _api_key(self) -> str:
        return self._key or _NO_KEY

    def _supports(self, check: str) -> bool | None:
        try:
            return bool(getattr(_litellm(), check)(model=self.name))
        except Exception:
            return None

    def _json_supported(self) -> bool:
        if self._json_mode is not None:
            return self._json_mode
        try:
            params = _litellm().get_supported_openai_params(model=self.name) or []
        except Exception:
            return True  # try it; a 400 turns it off
        return "response_format" in params

    def _params(
        self,
        *,
        temperature: float | None,
        max_tokens: int | None,
        timeout: float | None,
        thinking_budget: int | None,
    ) -> dict:
        params: dict[str, Any] = {}
        if temperature is not None:
            params["temperature"] = temperature
        if max_tokens is not None:
            params["max_tokens"] = int(max_tokens)
        if timeout is not None:
            params["timeout"] = float(timeout)
        if thinking_budget:
            extra = reasoning_params(
                self.name, thinking_budget, supports=self._supports("supports_reasoning")
            )
            if "thinking" in extra:
                # Anthropic: thinking needs temperature 1 and max_tokens above the budget.
                params.pop("temperature", None)
                budget = extra["thinking"]["budget_tokens"]
                params["max_tokens"] = budget + (params.get("max_tokens") or 4096)
            params.update(extra)
        return params

    # -- calling

    def _call(
        self,
        messages: list[dict],
        params: dict,
        on_delta: Callable[[str], None] | None = None,
    ) -> tuple[str, Usage]:
        api_key = self._api_key()
        if self.api_base:
            from coordinator import egress

            try:
                destination = egress.check(self.api_base)
            except egress.EgressRefused as exc:
                raise ModelError(f"model {self.name}: refused {self.api_base}: {exc}") from None
            with egress.pinned(destination):
                return self._send(messages, params, on_delta, api_key)
        return self._send(messages, params, on_delta, api_key)

    def _send(
        self,
        messages: list[dict],
        params: dict,
        on_delta: Callable[[str], None] | None,
        api_key: str,
    ) -> tuple[str, Usage]:
        litellm = _litellm()
        kwargs: dict[str, Any] = {
            "model": self.name,
            "messages": messages,
            "num_retries": 0,
            "max_retries": 0,
            "drop_params": True,
            **params,
        }
        if self.api_base:
            kwargs["api_base"] = self.api_base
        if api_key:
            kwargs["api_key"] = api_key
        timeout = params.get("timeout")
        started = time.monotonic()
        if on_delta is None:
            try:
                response = litellm.completion(**kwargs)
                choice = response.choices[0]
                text = (choice.message.content if choice.message else None) or ""
            except Exception as exc:
                raise self._error(exc, timeout, api_key) from exc
            return text, self._usage(response, messages, text)

        kwargs["stream"] = True
        kwargs["stream_options"] = {"include_usage": True}
        parts: list[str] = []
        usage_obj = None
        try:
            stream = iter(litellm.completion(**kwargs))
        except Exception as exc:
            raise self._error(exc, timeout, api_key) from exc
        while True:
            try:
                chunk = next(stream)
            except StopIteration:
                break
            except Exception as exc:
                raise self._error(exc, timeout, api_key) from exc
            usage_obj = getattr(chunk, "usage", None) or usage_obj
            for choice in getattr(chunk, "choices", None) or []:
                delta = getattr(choice, "delta", None)
                piece = getattr(delta, "content", None) if delta is not None else None
                if piece:
                    parts.append(piece)
                    on_delta(piece)  # callback errors propagate unchanged
            if timeout is not None and time.monotonic() - started > timeout:
                raise ModelTimeout(
                    f"model {self.name} did not finish streaming within {timeout:g} s{self._where()}"
                )
        text = "".join(parts)
        return text, self._stream_usage(usage_obj, messages, text)

    def _where(self) -> str:
        return f" at {self.api_base}" if self.api_base else ""

    def _usage(self, response: Any, messages: list[dict], text: str) -> Usage:
        usage = getattr(response, "usage", None)
        prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
        completion = int(getattr(usage, "completion_tokens", 0) or 0)
        if not usage or (prompt == 0 and completion == 0):
            prompt, completion = count_tokens(messages, self.name), count_tokens(text, self.name)
        try:
            cost = float(_litellm().completion_cost(completion_response=response) or 0.0)
        except Exception:
            cost = self._cost(prompt, completion)
        return Usage(prompt, completion, cost)

    def _stream_usage(self, usage: Any, messages: list[dict], text: str) -> Usage:
        prompt = int(getattr(usage, "prompt_tokens", 0) or 0) if usage else 0
        completion = int(getattr(usage, "completion_tokens", 0) or 0) if usage else 0
        if prompt == 0 and completion == 0:
            prompt, completion = count_tokens(messages, self.name), count_tokens(text, self.name)
        return Usage(prompt, completion, self._cost(prompt, completion))

    def _cost(self, prompt: int, completion: int) -> float:
        try:
            prompt_cost, completion_cost = _litellm().cost_per_token(
                model=self.name, prompt_tokens=prompt, completion_tokens=completion
            )
            return float(prompt_cost + completion_cost)
        except Exception:
            return 0.0

    def _error(self, exc: Exception, timeout: float | None, secret: str | None) -> ModelError:
        if isinstance(exc, ModelError):
            return exc
        litellm = _litellm()
        detail = _clean_message(exc, secret)
        status = getattr(exc, "status_code", None)
        status = status if isinstance(status, int) else None
        model, where = self.name, self._where()
        chain = _exception_chain(exc)
        names = {type(e).__name__ for e in chain}
        texts = " ".join(str(e) for e in chain).lower()
        if (
            isinstance(exc, litellm.Timeout)
            or any("Timeout" in n for n in names)
            or "timed out" in texts
        ):
            limit = f" within {timeout:g} s" if timeout else ""
            return ModelTimeout(f"model {model} did not answer{limit}{where}", status_code=status)
        if (
            isinstance(exc, litellm.APIConnectionError)
            or names & {"ConnectError", "APIConnectionError", "ConnectionRefusedError"}
            or "connection error" in texts
        ):
            return ModelError(f"could not connect to model {model}{where}: {detail}")
        if status in (401, 403) or isinstance(
            exc, litellm.AuthenticationError | litellm.PermissionDeniedError
        ):
            return ModelError(
                f"model {model} rejected the connection's API key{where} (HTTP {status}): {detail}",
                status_code=status,
            )
        if isinstance(exc, litellm.ContextWindowExceededError):
            return ModelError(
                f"the conversation is too long for model {model}'s context window: {detail}",
                status_code=status,
            )
        if status == 404 or isinstance(exc, litellm.NotFoundError):
            return ModelError(
                f"model {model} was not found by the provider{where}: {detail}", status_code=status
            )
        if status == 429 or isinstance(exc, litellm.RateLimitError):
            return ModelError(
                f"model {model} is rate-limited (HTTP 429){where}: {detail}", status_code=status
            )
        if isinstance(exc, litellm.BadRequestError) or (status is not None and status < 500):
            return ModelError(
                f"model {model} rejected the request (HTTP {status or 400}){where}: {detail}",
                status_code=status or 400,
            )
        if status is not None:
            return ModelError(
                f"model {model} failed with HTTP {status}{where}: {detail}", status_code=status
            )
        return ModelError(f"model {model} call failed{where}: {type(exc).__name__}: {detail}")

    # -- the Model protocol

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
        params = self._params(
            temperature=temperature,
            max_tokens=max_tokens,
            timeout=timeout,
            thinking_budget=thinking_budget,
        )
        if metadata and metadata.get("idempotency_key"):
            # litellm hands `metadata` to its callbacks; the header reaches the provider.
            params["metadata"] = dict(metadata)
            params["extra_headers"] = {"Idempotency-Key": str(metadata["idempotency_key"])}
        return self._call(messages, params, on_delta)

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
        """JSON output validated against ``schema``; one repair attempt, then ModelError."""
        params = self._params(
            temperature=temperature,
            max_tokens=None,
            timeout=timeout,
            thinking_budget=thinking_budget,
        )
        conversation = _with_system(messages, _schema_instructions(schema, task))
        text, usage = self._json_call(conversation, params, usage=Usage())
        try:
            return _parse_structured(text, schema), usage
        except _InvalidOutput as first:
            problem = first
        repair = [
            *conversation,
            {"role": "assistant", "content": text[:20_000]},
            {
                "role": "user",
                "content": f"Your reply was not valid: {problem}. Reply again with only the "
                "corrected JSON object, matching the JSON Schema exactly, and nothing else.",
            },
        ]
        text, usage = self._json_call(repair, params, usage=usage)
        try:
            return _parse_structured(text, schema), usage
        except _InvalidOutput as second:
            raise ModelError(
                f"model {self.name} returned invalid structured output for task {task!r} "
                f"(after one repair attempt): {second}",
                usage=usage,
            ) from None

    def _json_call(self, messages: list[dict], params: dict, *, usage: Usage) -> tuple[str, Usage]:
        use_json = self._json_supported()
        call_params = {**params, "response_format": {"type": "json_object"}} if use_json else params
        try:
            text, used = self._call(messages, call_params)
        except ModelTimeout as exc:
            exc.usage = usage + exc.usage
            raise
        except ModelError as exc:
            if not (use_json and exc.status_code in (400, 415, 422)):
                exc.usage = usage + exc.usage
                raise
            # Some OpenAI-compatible servers reject response_format: ask again without it.
            self._json_mode = False
            try:
                text, used = self._call(messages, params)
            except ModelError as retry_exc:
                retry_exc.usage = usage + retry_exc.usage
                raise
        else:
            if use_json:
                self._json_mode = True
        return text, usage + used


# --------------------------------------------------------------------------- factory


@lru_cache(maxsize=256)
def _litellm_model(name: str, api_base: str | None, api_key: str | None) -> LiteLLMModel:
    return LiteLLMModel(name, api_base=api_base, api_key=api_key)


def get_model(
    name: str | None, *, api_base: str | None = None, api_key: str | None = None
) -> Model:
    """``""``/``None``/``"baton/local"`` → the LocalModel singleton; anything else → litellm.

    LiteLLMModel instances are reused per (name, api_base, key) so what is learned
    about an endpoint (e.g. that it rejects ``response_format``) sticks. Callers outside
    tests go through ``coordinator.credentials.model_for``, which supplies both from a
    staff-managed Connection.
    """
    if is_local(name):
        return _LOCAL
    return _litellm_model(str(name).strip(), api_base or None, api_key or None)
