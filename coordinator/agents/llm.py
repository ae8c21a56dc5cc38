"""`llm` agents: a model with its own system prompt and temperature, streaming deltas."""

import json

from django.conf import settings

from coordinator.agents import AgentCall, AgentError, AgentResult, AgentTimeout
from coordinator.llm import ModelError, ModelTimeout, get_model


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
    model = get_model(
        config.get("model") or settings.BATON_DEFAULT_MODEL,
        api_base=str(config["api_base"]) if config.get("api_base") else None,
        api_key_env=config.get("api_key_env"),
    )
    try:
        text, usage = model.complete(
            messages_for(call),
            temperature=config.get("temperature"),
            max_tokens=config.get("max_tokens"),
            timeout=call.timeout,
            on_delta=call.on_delta,
        )
    except ModelTimeout as exc:
        raise AgentTimeout(str(exc)) from exc
    except ModelError as exc:
        raise AgentError(str(exc)) from exc
    return AgentResult(output={"text": text, "model": model.name}, usage=usage)
