"""Follow-ups that point back ("what is its default?", "and how do I change it?"): the
pronoun is replaced by what the previous user turn was about, so routing and the agents
see a self-contained question. Pure; no model."""

from __future__ import annotations

import re

from . import text as T
from .router import split_query

MAX_FOLLOW_UP_WORDS = 8
_PRONOUN_RE = re.compile(r"\b(its|it|they|them|their|this|that|these|those)\b", re.IGNORECASE)
_QUESTION_HEAD_RE = re.compile(
    r"^(?:(?:how|what|which|who|when|where|why)\b(?:\s+(?:do|does|did|can|could|should|would|"
    r"is|are|was|were|much|many)\b)?(?:\s+(?:i|we|you|they))?|(?:can|could|would|will)\s+you"
    r"|please|tell me|show me|explain)\s*",
    re.IGNORECASE,
)
_LEADING_FILLER = frozenset(("the", "a", "an", "my", "our", "your", "good", "best"))


def referent(previous: str) -> str:
    """What a previous question was about: the content words of its last clause ("How do I
    set the sub-agent timeout?" → "sub-agent timeout")."""
    fragments = [f for f in split_query(previous) if not f.context]
    if not fragments:
        return ""
    clause = _QUESTION_HEAD_RE.sub("", fragments[-1].text.strip()).strip(" ?.!")
    words = clause.split()
    # drop leading stopwords, filler and one verb ("write good agent descriptions")
    while words and (words[0].lower() in T.STOPWORDS or words[0].lower() in _LEADING_FILLER):
        words = words[1:]
    if len(words) > 1 and words[0].lower() in _VERBS:
        words = words[1:]
    while words and words[0].lower() in _LEADING_FILLER:
        words = words[1:]
    return " ".join(words[-4:])


_VERBS = frozenset(
    (
        "write",
        "set",
        "make",
        "create",
        "configure",
        "use",
        "change",
        "add",
        "run",
        "find",
        "get",
        "give",
        "show",
        "list",
        "check",
        "read",
        "open",
        "start",
        "stop",
    )
)


def resolve(query: str, history: list[dict]) -> tuple[str, str | None]:
    """``query`` with its back-reference replaced, and what it was replaced by (None when
    the query is not a short follow-up with a pronoun, or there is no previous turn)."""
    if len(query.split()) > MAX_FOLLOW_UP_WORDS or not _PRONOUN_RE.search(query):
        return query, None
    previous = [t.get("content", "") for t in history if t.get("role") == "user"]
    previous = [p for p in previous if p.strip() and p.strip() != query.strip()]
    if not previous:
        return query, None
    topic = referent(previous[-1])
    if not topic:
        return query, None

    def swap(match: re.Match[str]) -> str:
        word = match.group(1).lower()
        if word in ("its", "their"):
            return f"the {topic}'" if topic.endswith("s") else f"the {topic}'s"
        return f"the {topic}"

    return _PRONOUN_RE.sub(swap, query, count=1), topic
