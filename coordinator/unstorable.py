"""Text that cannot be stored: NUL characters and lone UTF-16 surrogates.

PostgreSQL refuses both (in text and jsonb), and a lone surrogate that reaches SQLite
through a JSON column comes back out as a string no response can encode as UTF-8 — one
such value used to turn every list showing it into a 500. Input is refused at the edge
naming the field (`first_unstorable`); values Baton itself produces (agent outputs,
expression results) are repaired before they are written (`repaired`).
"""

from __future__ import annotations

import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def problem_in(text: str) -> str | None:
    match = _UNSTORABLE.search(text)
    if match is None:
        return None
    if match.group() == "\x00":
        return "contains a NUL character (\\u0000), which cannot be stored"
    return (
        f"contains a lone surrogate (\\u{ord(match.group()):04x}), which is not valid Unicode text"
    )


def first_unstorable(value: Any, path: str = "") -> tuple[str, str] | None:
    """(field path, message) of the first string, or key, that cannot be stored; else None."""
    if isinstance(value, str):  # the common case, without the walk
        problem = problem_in(value)
        return (path, problem) if problem else None
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            problem = problem_in(item)
            if problem:
                return where, problem
        elif isinstance(item, dict):
            for key, sub in item.items():
                name = repaired(str(key))  # the path is echoed back: it must be storable itself
                sub_path = f"{where}.{name}" if where else name
                if isinstance(key, str) and problem_in(key):
                    return sub_path, "the key " + problem_in(key)
                stack.append((sub, sub_path))
        elif isinstance(item, list | tuple):
            stack.extend((sub, f"{where}.{i}" if where else str(i)) for i, sub in enumerate(item))
    return None


def repaired(value: Any) -> Any:
    """`value` with every unstorable character replaced by U+FFFD (keys included)."""
    if isinstance(value, str):
        return _UNSTORABLE.sub(REPLACEMENT, value) if _UNSTORABLE.search(value) else value
    if isinstance(value, dict):
        return {repaired(k): repaired(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [repaired(v) for v in value]
    return value


def refuse_unstorable(value: Any, path: str = "") -> None:
    """Raise DRF's ValidationError (a 400 naming the field) if `value` holds unstorable text."""
    found = first_unstorable(value, path)
    if found:
        from rest_framework.exceptions import ValidationError

        raise ValidationError({found[0] or "body": found[1]})
