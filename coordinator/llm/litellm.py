"""Provider models through litellm (OpenAI, Anthropic, Azure, Ollama, any
OpenAI-compatible ``api_base``).

Its own retries are off (``num_retries=0``, ``max_retries=0``): retrying is the engine's
failure policy. Every failure is a :class:`ModelError` whose message names the model and
what went wrong; timeouts are :class:`ModelTimeout`.

Keys and addresses come from staff-managed Connections (``coordinator.credentials``): the
caller passes the key's *value* and the ``api_base``; this module never reads an
environment variable for a key. Without a key a placeholder is sent, so litellm never
falls back to a provider key in the server's environment. Every ``api_base`` passes the
outbound destination check (``coordinator.egress``) and the connection is pinned to the
checked address.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from coordinator import egress
from coordinator.llm.base import ModelError, ModelTimeout, Usage, content_text, validation_summary
from coordinator.llm.loading import load_litellm
from coordinator.llm.tokens import count_tokens

#: placeholder key sent when a connection has no secret (litellm must not read the environment)
_NO_KEY = "baton-no-key"
_MAX_ERROR_CHARS = 400


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
            f"the JSON does not match the schema: {validation_summary(exc)}"
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
        first["content"] = f"{content_text(first.get('content'))}\n\n{instructions}".strip()
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
            return bool(getattr(load_litellm(), check)(model=self.name))
        except Exception:
            return None

    def _json_supported(self) -> bool:
        if self._json_mode is not None:
            return self._json_mode
        try:
            params = load_litellm().get_supported_openai_params(model=self.name) or []
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
        litellm = load_litellm()
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
            cost = float(load_litellm().completion_cost(completion_response=response) or 0.0)
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
            prompt_cost, completion_cost = load_litellm().cost_per_token(
                model=self.name, prompt_tokens=prompt, completion_tokens=completion
            )
            return float(prompt_cost + completion_cost)
        except Exception:
            return 0.0

    def _error(self, exc: Exception, timeout: float | None, secret: str | None) -> ModelError:
        if isinstance(exc, ModelError):
            return exc
        litellm = load_litellm()
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
