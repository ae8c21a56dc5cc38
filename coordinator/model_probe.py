"""One tiny model call through a Connection, to show staff that it works (and how fast).

The call goes exactly the way a run's would — `credentials.model_for`, the egress check,
the connection's key — so a passing test means runs will reach the model too. The
outcome is data: a latency, or the provider's error in the words `llm.ModelError` uses
(keys are already masked there).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from coordinator import clock
from coordinator.credentials import CredentialError, model_for
from coordinator.llm import ModelError

PROMPT = [{"role": "user", "content": "Reply with the single word OK."}]
MAX_TOKENS = 5
MAX_REPLY_CHARS = 200


def probe(user, model: str, connection: str) -> dict[str, Any]:
    """`{"ok": True, "latency_ms", "reply", "tokens"}` or `{"ok": False, "error", …}`."""
    result: dict[str, Any] = {"model": model, "connection": connection}
    try:
        target = model_for(user, model, connection)
    except CredentialError as exc:
        return {**result, "ok": False, "error": str(exc), "status_code": None, "latency_ms": None}
    started = clock.monotonic()
    try:
        text, usage = target.complete(
            PROMPT, max_tokens=MAX_TOKENS, timeout=settings.BATON_MODEL_TEST_TIMEOUT
        )
    except ModelError as exc:
        return {
            **result,
            "ok": False,
            "error": str(exc),
            "status_code": exc.status_code,
            "latency_ms": _elapsed_ms(started),
        }
    return {
        **result,
        "ok": True,
        "latency_ms": _elapsed_ms(started),
        "reply": text[:MAX_REPLY_CHARS],
        "tokens": usage.total_tokens,
    }


def _elapsed_ms(started: float) -> int:
    return round((clock.monotonic() - started) * 1000)
