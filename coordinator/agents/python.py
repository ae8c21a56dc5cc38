"""`python` agents: only callables named in settings.BATON_PYTHON_AGENTS ever run, each call in
an agent process that is killed when the call outlives its timeout (agents/processes.py)."""

import importlib
import inspect

from django.conf import settings

from coordinator.agents import processes
from coordinator.agents.base import AgentCall, AgentError, AgentResult


def resolve(path: str):
    if path not in settings.BATON_PYTHON_AGENTS:
        raise AgentError(f"{path!r} is not in the server's BATON_PYTHON_AGENTS allowlist")
    module_name, _, attr = path.rpartition(".")
    try:
        fn = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise AgentError(f"allowlisted callable {path!r} cannot be loaded: {exc}") from exc
    if not callable(fn):
        raise AgentError(f"{path!r} is not callable")
    return fn


def accepts_idempotency_key(fn) -> bool:
    """Callables that declare `idempotency_key` (or **kwargs) get it; others keep `fn(payload)`."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        p.name == "idempotency_key" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters
    )


def run(call: AgentCall) -> AgentResult:
    fn = resolve(call.config.get("callable", ""))
    # Server code (allowlisted) learns whom it works for, so it can scope what it reads.
    who = call.run_user
    payload = {
        **call.payload,
        "user": {"id": who.pk, "username": who.get_username()} if who is not None else {},
    }
    kwargs = {"idempotency_key": call.idempotency_key} if accepts_idempotency_key(fn) else {}
    result = processes.call(call.config["callable"], payload, kwargs, call.timeout, call.on_item)
    if isinstance(result, list):  # a generator's items
        result = {"items": result}
    if not isinstance(result, dict | str | list):
        raise AgentError(f"returned {type(result).__name__}; expected a JSON object")
    return AgentResult(output=result if isinstance(result, dict) else {"text": result})
