"""Lexical text tools (no model, no network): Markdown to plain text, sentences, stemmed
content terms, and an extractive summary.

History summarisation (``coordinator.context``) and the demo agents use them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _wordset(
    """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could did didn do does doesn doing don
    down during each else etc few for from further get gets got had has hasn have haven having
    he her here hers herself him himself his how however i if in into is isn it its itself just
    let lets like many may me might more most much must my myself need no nor not now of off on once
    only or other ought our ours ourselves out over own per please same shall she should so
    some such than that the their theirs them themselves then there these they this those
    through to too under until up upon us use used using very via want was wasn we were weren
    what when where whether which while who whom whose why will with within without would you
    your yours yourself yourselves tell show give find explain describe know e g ie eg
    """
)

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]*")
VOWELS = set("aeiouy")
# Singular words that only look plural.
NO_STEM = frozenset({"alias", "atlas", "bias", "canvas", "news", "series", "species", "always"})


def stem(word: str) -> str:
    """A small, consistent suffix stripper: 'routing', 'routed', 'routes', 'route' → 'rout'."""
    w = word
    if len(w) <= 3 or w.isdigit() or w in NO_STEM:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "ases")) or (w.endswith("uses") and len(w) > 5):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix):
            base = w[: -len(suffix)]
            if len(base) >= 3 and VOWELS & set(base):
                w = base
                if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                    w = w[:-1]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    return [m.group(0).lower() for m in WORD.finditer(text)]


def content_words(text: str) -> list[str]:
    """Lower-cased words without stop words; snake_case names also give their parts, so
    'sub-agent timeout' finds `sub_agent_timeout`."""
    found = []
    for word in words(text):
        if word in STOPWORDS or len(word) < 2:
            continue
        found.append(word)
        if "_" in word.strip("_"):
            found.extend(p for p in word.split("_") if len(p) > 1 and p not in STOPWORDS)
    return found


def terms(text: str) -> list[str]:
    """Content terms of a text: lower-cased, stop words dropped, stemmed."""
    return [stem(w) for w in content_words(text)]


FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_TAG = re.compile(
    r"</?(?:a|abbr|b|blockquote|br|code|del|details|div|em|figcaption|figure|h[1-6]|hr|i|img|"
    r"ins|kbd|li|mark|ol|p|picture|pre|s|section|small|source|span|strong|sub|summary|sup|"
    r"table|tbody|td|th|thead|tr|u|ul|video)(?:\s[^>]*)?/?>",
    re.I,
)
_INLINE_SUBS = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links → their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (_HTML_TAG, ""),  # html tags (not placeholders such as <run_id>)
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
    (re.compile(r"\*\*(\S(?:.*?\S)?)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)__(\S(?:.*?\S)?)__(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(\S(?:.*?\S)?)_(?!\w)"), r"\1"),
]


def strip_inline(text: str) -> str:
    for pattern, repl in _INLINE_SUBS:
        text = pattern.sub(repl, text)
    return text.strip()


def strip_markdown(markdown: str) -> str:
    """Plain text of a Markdown document: markup gone, code and table contents kept."""
    out: list[str] = []
    in_fence = False
    for raw in markdown.splitlines():
        if FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(raw.rstrip())
            continue
        line = raw.strip()
        if not line:
            out.append("")
            continue
        heading = HEADING.match(line)
        if heading:
            out.append(strip_inline(heading.group(2)))
            continue
        if _TABLE_RULE.match(line) or re.fullmatch(r"(\*\s*){3,}|(-\s*){3,}|(_\s*){3,}", line):
            continue
        line = re.sub(r"^(>\s*)+", "", line)
        line = re.sub(r"^([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?", "", line)
        if line.startswith("|") or (line.count("|") >= 2 and not line.startswith("`")):
            cells = [strip_inline(c) for c in line.strip("|").split("|")]
            line = "; ".join(c for c in cells if c)
            if line and line[-1] not in ".!?:":
                line += "."
            out.append(line)
            continue
        out.append(strip_inline(line))
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[`]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Sentences of plain text; line breaks end sentences too (lists, table rows)."""
    found: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        # Lines of one wrapped paragraph are joined; list-like short lines stay apart.
        merged: list[str] = []
        for ln in lines:
            if merged and not re.search(r"[.!?:;]$", merged[-1]) and ln[:1].islower():
                merged[-1] = f"{merged[-1]} {ln}"
            else:
                merged.append(ln)
        for para in merged:
            found.extend(s.strip() for s in _SENTENCE_END.split(para) if s.strip())
    return found


def shorten(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


@dataclass(frozen=True)
class Summary:
    text: str
    key_points: list[str]
    sentence_count: int
    word_count: int
    confidence: float


def summarize(text: str, *, focus: str = "", max_sentences: int | None = None) -> Summary:
    """Extractive summary: the top sentences by term frequency and position, in order;
    sentences sharing words with ``focus`` rank higher. ValueError when there is no sentence."""
    plain = strip_markdown(text)
    found = sentences(plain)
    # Prefer prose: headings, table rows and fragments make poor summary sentences.
    prose = (
        [s for s in found if len(words(s)) >= 6 and ";" not in s]
        or [s for s in found if len(words(s)) >= 3]
        or found
    )
    word_count = len(words(plain))
    if not prose:
        raise ValueError("the text has no sentences to summarise")
    n = len(prose)
    k = max_sentences or min(5, max(min(n, 2), math.ceil(n * 0.25)))
    k = min(k, n)
    term_lists = [terms(s) for s in prose]
    scores = _sentence_scores(prose, term_lists, set(terms(focus)))
    chosen = _distinct_best(scores, term_lists, k)
    return Summary(
        text=" ".join(prose[i] for i in sorted(chosen)),
        key_points=[shorten(prose[i], 200) for i in chosen],
        sentence_count=n,
        word_count=word_count,
        confidence=round(min(1.0, 0.5 + 0.5 * len(chosen) / k), 2) if k else 0.0,
    )


def _sentence_scores(
    prose: list[str], term_lists: list[list[str]], focus_terms: set[str]
) -> list[float]:
    n = len(prose)
    freq = Counter(t for found in term_lists for t in set(found))
    top_freq = max(freq.values(), default=1)
    scores = []
    for i, found in enumerate(term_lists):
        unique = set(found)
        if not unique:
            scores.append(0.0)
            continue
        weight = sum(freq[t] / top_freq for t in unique) / math.sqrt(len(unique))
        position = 0.3 if i == 0 else 0.15 * (1 - i / n)
        score = weight * (1 + position)
        if prose[i].endswith(":"):
            score *= 0.6  # introduces a list; says little on its own
        if focus_terms:
            score *= 1 + len(unique & focus_terms) / len(focus_terms)
        scores.append(score)
    return scores


def _distinct_best(scores: list[float], term_lists: list[list[str]], k: int) -> list[int]:
    """The `k` best-scoring sentences, skipping near-duplicates of one already chosen."""
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) == k:
            break
        mine = set(term_lists[i])
        if any(
            mine and len(mine & set(term_lists[j])) / len(mine | set(term_lists[j])) > 0.6
            for j in chosen
        ):
            continue  # near-duplicate of a sentence already chosen
        chosen.append(i)
    return chosen
