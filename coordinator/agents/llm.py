"""`llm` agents: a model with its own system prompt and temperature, streaming deltas."""

import json

from coordinator.agents.base import AgentCall, AgentError, AgentResult, AgentTimeout
from coordinator.credentials import CredentialError, model_for
from coordinator.llm import ModelError, ModelTimeout


def messages_for(call: AgentCall) -> list[dict]:
    config, payload = call.config, call.payload
    messages = []
    if config.get("system_prompt"):
        messages.append({"role": "system", "content": config["system_prompt"]})
    messages.extend(payload.get("history", []))
    extra = {k: payload[k] for k in ("input", "context") if payload.get(k)}
    content = payload.get("query", "")
    if extra:
        content += "\n\nContext:\n" + json.dumps(extra, ensure_ascii=False, default=str)[:50_000]
    messages.append({"role": "user", "content": content})
    return messages


def run(call: AgentCall) -> AgentResult:
    config = call.config
    try:
        model = model_for(call.owner, config.get("model"), config.get("connection"))
    except CredentialError as exc:
        raise AgentError(str(exc)) from None
    try:
        text, usage = model.complete(
            messages_for(call),
            temperature=config.get("temperature"),
            max_tokens=config.get("max_tokens"),
            timeout=call.timeout,
            on_delta=call.on_delta,
            metadata={"idempotency_key": call.idempotency_key} if call.idempotency_key else None,
        )
    except ModelTimeout as exc:
        raise AgentTimeout(str(exc)) from exc
    except ModelError as exc:
        raise AgentError(str(exc)) from exc
    return AgentResult(output={"text": text, "model": model.name}, usage=usage)
