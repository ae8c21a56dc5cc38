"""Token counts and history truncation. litellm's tokenizer is used only for real models."""

from __future__ import annotations

import math

from coordinator.llm.base import content_text, is_local
from coordinator.llm.loading import load_litellm


def estimate_tokens(messages_or_text: str | list[dict]) -> int:
    """A fast estimate (no tokenizer): max(words, chars / 4), plus 4 per message."""
    if isinstance(messages_or_text, str):
        text = messages_or_text
        return max(len(text.split()), math.ceil(len(text) / 4))
    return sum(estimate_tokens(content_text(m.get("content"))) + 4 for m in messages_or_text)


def count_tokens(messages_or_text: str | list[dict], model: str | None) -> int:
    """Tokens in a text or message list for ``model``.

    Real models use litellm's tokenizer (tiktoken encodings bundled with litellm,
    so it works offline; Hugging Face downloads are disabled). ``baton/local``,
    ``None`` and any tokenizer failure use :func:`estimate_tokens`.
    """
    if is_local(model):
        return estimate_tokens(messages_or_text)
    try:
        litellm = load_litellm()
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
