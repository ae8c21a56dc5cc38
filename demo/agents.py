"""Built-in demo agents: `python`-kind sub-agents that do real work offline.

Every agent is a module-level callable ``fn(payload) -> dict`` where ``payload`` is
``{"query": str, "history": [{"role", "content"}], "input": dict, "context": dict}``.
Each returns a JSON-serialisable dict with a human-readable ``text`` and, where it
has them, structured ``rows``, ``sources`` and a ``confidence`` in 0..1. Bad input
raises ``ValueError`` with a message meant for the person who sent it.

They only run when named in ``settings.BATON_PYTHON_AGENTS`` (docs/architecture.md). No network,
no model: search and summaries are lexical (BM25, term frequency), statistics come
from Baton's own database.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.utils.text import slugify

from canvas.models import Agent, Canvas, CanvasVersion
from coordinator import lexical

__all__ = [
    "extract_document",
    "keyword_trends",
    "publish_summary",
    "search_docs",
    "summarize_text",
    "workspace_statistics",
]

MAX_TEXT_CHARS = 2_000_000
MAX_DOC_BYTES = 2 * 1024 * 1024
DOC_SUFFIXES = (".md", ".markdown", ".txt")

# --------------------------------------------------------------------------- payload


def _payload(payload: Any) -> tuple[str, list[dict], dict, dict]:
    """Checks the agent contract and returns (query, history, input, context)."""
    if not isinstance(payload, dict):
        raise ValueError("payload must be an object with query, history, input and context")
    query = payload.get("query", "")
    if query is None:
        query = ""
    if not isinstance(query, str):
        raise ValueError("query must be a string")
    history = payload.get("history")
    history = [] if history is None else history
    if not isinstance(history, list):
        raise ValueError("history must be a list of {role, content} turns")
    for turn in history:
        if (
            not isinstance(turn, dict)
            or turn.get("role") not in ("user", "assistant")
            or not isinstance(turn.get("content", ""), str)
        ):
            raise ValueError(
                'each history turn must be {"role": "user"|"assistant", "content": str}'
            )
    data = payload.get("input")
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ValueError("input must be an object")
    context = payload.get("context")
    context = {} if context is None else context
    if not isinstance(context, dict):
        raise ValueError("context must be an object")
    return query.strip(), history, data, context


def _earlier_text(context: dict) -> str:
    """The text of the steps this one depends on (their `text`, or `answer`, or a string
    output): what "summarise what the earlier step found" refers to."""
    parts = []
    for output in context.values():
        if isinstance(output, str):
            parts.append(output)
        elif isinstance(output, dict):
            value = output.get("text") or output.get("answer") or output.get("summary")
            if isinstance(value, str):
                parts.append(value)
    return "\n\n".join(parts)[:MAX_TEXT_CHARS]


def _text_field(data: dict, name: str, *, required: bool = True) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise ValueError(f"input.{name} is required")
        return ""
    if not isinstance(value, str):
        raise ValueError(f"input.{name} must be a string")
    if len(value) > MAX_TEXT_CHARS:
        raise ValueError(
            f"input.{name} is too long ({len(value)} characters; at most {MAX_TEXT_CHARS})"
        )
    return value


# --------------------------------------------------------------------------- text tools

FOLLOW_UP = re.compile(
    r"^\s*(and|also|then|so|but|what about|how about|and what|and how|what of|same for)\b", re.I
)
PRONOUNS = frozenset(
    {"it", "its", "that", "this", "those", "these", "them", "they", "one", "there"}
)


# --------------------------------------------------------------------------- docs index


def _docs_root() -> Path:
    root = Path(settings.BATON_DOCS_DIR)
    if not root.is_dir():
        raise ValueError(f"the documentation folder {root} does not exist")
    return root.resolve()


@dataclass
class Section:
    file: str
    heading: str
    level: int
    anchor: str
    plain: str
    terms: Counter = field(default_factory=Counter)
    length: int = 0


@dataclass
class DocsIndex:
    sections: list[Section]
    df: Counter
    avg_length: float
    surface: dict[str, Counter]  # stem → the words it came from, for display

    def idf(self, term: str) -> float:
        n = len(self.sections)
        df = self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


_CACHE: dict[str, tuple[tuple, DocsIndex]] = {}
_CACHE_LOCK = threading.Lock()


def _doc_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in DOC_SUFFIXES or not path.is_file():
            continue
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            continue  # a symlink pointing out of docs/
        if resolved.stat().st_size > MAX_DOC_BYTES:
            continue
        files.append(path)
    return files


def _split_sections(relpath: str, markdown: str) -> list[Section]:
    sections: list[Section] = []
    title = PurePosixPath(relpath).stem.replace("-", " ").replace("_", " ").capitalize()
    heading, level, body = title, 0, []
    in_fence = False

    def flush():
        raw = "\n".join(body).strip()
        if raw or level:
            sections.append(
                Section(relpath, heading, level, slugify(heading), lexical.strip_markdown(raw))
            )

    for line in markdown.splitlines():
        if lexical.FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else lexical.HEADING.match(line.strip())
        if match:
            flush()
            heading, level, body = lexical.strip_inline(match.group(2)), len(match.group(1)), []
        else:
            body.append(line)
    flush()
    return [s for s in sections if s.plain]  # a heading with no text of its own says nothing


def _build_index(root: Path, files: list[Path]) -> DocsIndex:
    sections: list[Section] = []
    df: Counter = Counter()
    surface: dict[str, Counter] = {}
    for path in files:
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        for section in _split_sections(rel, text):
            words = lexical.content_words(section.plain)
            for w in words:
                surface.setdefault(lexical.stem(w), Counter())[w] += 1
            terms = Counter(lexical.stem(w) for w in words)
            # The heading and file name say what a section is about: weigh them in.
            for term in lexical.terms(section.heading):
                terms[term] += 3
            for term in lexical.terms(PurePosixPath(rel).stem.replace("-", " ")):
                terms[term] += 1
            section.terms = terms
            section.length = sum(terms.values())
            df.update(terms.keys())
            sections.append(section)
    avg = (sum(s.length for s in sections) / len(sections)) if sections else 0.0
    return DocsIndex(sections, df, avg, surface)


def docs_index() -> DocsIndex:
    """The section index of BATON_DOCS_DIR, rebuilt only when a file's mtime or size changes."""
    root = _docs_root()
    files = _doc_files(root)
    key = tuple(
        (p.relative_to(root).as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in files
    )
    with _CACHE_LOCK:
        cached = _CACHE.get(str(root))
        if cached and cached[0] == key:
            return cached[1]
    index = _build_index(root, files)
    with _CACHE_LOCK:
        _CACHE[str(root)] = (key, index)
    return index


def _bm25(index: DocsIndex, weights: dict[str, float], k1: float = 1.4, b: float = 0.75):
    """(score, section) pairs, best first. BM25, scaled by how much of the query weight a
    section covers, so a section matching every term beats one repeating a single term."""
    scored = []
    total = sum(weights.values()) or 1.0
    for section in index.sections:
        score = covered = 0.0
        for term, weight in weights.items():
            tf = section.terms.get(term, 0)
            if not tf:
                continue
            norm = 1 - b + b * (section.length / index.avg_length if index.avg_length else 1)
            score += weight * index.idf(term) * tf * (k1 + 1) / (tf + k1 * norm)
            covered += weight
        if score > 0:
            scored.append((score * (1 + covered / total) / 2, section))
    scored.sort(key=lambda pair: (-pair[0], pair[1].file, pair[1].heading))
    return scored


def _query_weights(query: str, history: list[dict]) -> tuple[dict[str, float], bool]:
    """Query terms (weight 1) plus, for a short follow-up, the last user turn (weight 0.5)."""
    weights = dict.fromkeys(lexical.terms(query), 1.0)
    raw_words = set(lexical.words(query))
    follow_up = len(weights) <= 2 or (
        len(weights) <= 5 and (bool(FOLLOW_UP.match(query)) or bool(raw_words & PRONOUNS))
    )
    used_history = False
    if follow_up:
        for turn in reversed(history):
            content = turn.get("content", "").strip()
            if turn.get("role") == "user" and content and content != query:
                for term in lexical.terms(content):
                    weights.setdefault(term, 0.5)
                used_history = True
                break
    return weights, used_history


def _excerpt(plain: str, weights: dict[str, float], limit: int = 320, idf=None) -> str:
    """The window of up to three sentences that covers the most (idf-weighted) query weight."""
    sentences = lexical.sentences(plain)
    if not sentences:
        return ""
    best, best_score = 0, -1.0
    for i, sentence in enumerate(sentences):
        terms = set(lexical.terms(sentence))
        score = sum(w * (idf(t) if idf else 1.0) for t, w in weights.items() if t in terms)
        if score > best_score:
            best, best_score = i, score
    window = [sentences[best]]
    for nxt in sentences[best + 1 : best + 3]:
        if len(" ".join([*window, nxt])) > limit:
            break
        window.append(nxt)
    return lexical.shorten(" ".join(window), limit)


# --------------------------------------------------------------------------- agents


def search_docs(payload: dict) -> dict:
    """Ranked search over the Markdown sections of Baton's docs/ folder (BM25)."""
    query, history, data, _ = _payload(payload)
    query = query or _text_field(data, "query", required=False).strip()
    if not query:
        raise ValueError("search_docs needs a query")
    limit = data.get("limit", 3)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 20:
        raise ValueError("input.limit must be an integer between 1 and 20")
    weights, used_history = _query_weights(query, history)
    if not weights:
        raise ValueError(
            "the query has no searchable words; ask about a topic, e.g. 'coordinator timeouts'"
        )
    index = docs_index()
    hits = _bm25(index, weights)[:limit]
    if not hits:
        return {
            "text": f"The documentation has nothing about {query!r}.",
            "rows": [],
            "sources": [],
            "confidence": 0.0,
        }
    rows, sources = [], []
    for score, section in hits:
        rows.append(
            {
                "file": section.file,
                "heading": section.heading,
                "score": round(score, 3),
                "excerpt": _excerpt(section.plain, weights, idf=index.idf),
            }
        )
        sources.append(f"{section.file}#{section.anchor}" if section.level else section.file)
    top = hits[0][1]
    total = sum(weights.values())
    covered = sum(w for t, w in weights.items() if t in top.terms)
    # The answer first, then where it comes from.
    lines = [
        rows[0]["excerpt"],
        f'(From "{rows[0]["heading"]}" in {rows[0]["file"]}.)',
    ]
    if len(rows) > 1:
        lines.append("")
        lines.append("Also relevant:")
        lines.extend(
            f'- "{r["heading"]}" ({r["file"]}): {lexical.shorten(r["excerpt"], 200)}'
            for r in rows[1:]
        )
    if used_history:
        lines.append("")
        lines.append("(Read as a follow-up to your previous question.)")
    return {
        "text": "\n".join(lines),
        "rows": rows,
        "sources": sources,
        "confidence": round(covered / total, 2) if total else 0.0,
    }


def _stems(words: str) -> frozenset[str]:
    return frozenset(lexical.stem(w) for w in words.split())


RUN_TOPIC = _stems("run runs status statuses duration failed succeeded queued cancelled timed")
APPROVAL_TOPIC = _stems("approval approvals approve approved review reviewer pending decided inbox")
AGENT_TOPIC = _stems("agent agents kind kinds enabled disabled python http llm registry")


def _field_name(model, *candidates: str) -> str | None:
    names = {f.name for f in model._meta.get_fields()}
    return next((c for c in candidates if c in names), None)


def _run_statistics(canvases) -> dict | None:
    from django.apps import apps
    from django.db.models import Count, F

    try:
        run_model = apps.get_model("coordinator", "Run")
    except LookupError:
        return None
    runs = run_model.objects.filter(canvas__in=canvases.values("pk"))
    by_status = {
        row["status"]: row["n"]
        for row in runs.values("status").annotate(n=Count("pk")).order_by("status")
    }
    stats: dict[str, Any] = {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "median_duration_seconds": None,
    }
    start = _field_name(run_model, "started_at", "started")
    end = _field_name(run_model, "finished_at", "finished", "ended_at", "completed_at")
    if start and end:
        spans = (
            runs.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
            .annotate(span=F(end) - F(start))
            .order_by(f"-{end}")
            .values_list("span", flat=True)[:1000]
        )
        seconds = [s.total_seconds() for s in spans if s is not None]
        if seconds:
            stats["median_duration_seconds"] = round(statistics.median(seconds), 3)
    return stats


def _approval_statistics(canvases) -> dict | None:
    from django.apps import apps

    try:
        approval_model = apps.get_model("coordinator", "Approval")
    except LookupError:
        return None
    objects = approval_model.objects.filter(run__canvas__in=canvases.values("pk"))
    if _field_name(approval_model, "status"):
        pending = objects.filter(status="pending").count()
    elif decision := _field_name(approval_model, "decision"):
        pending = (
            objects.filter(**{f"{decision}__isnull": True}).count()
            + objects.filter(**{decision: ""}).count()
        )
    elif decided_at := _field_name(approval_model, "decided_at", "decided"):
        pending = objects.filter(**{f"{decided_at}__isnull": True}).count()
    else:
        return {"total": objects.count(), "pending": None, "decided": None}
    total = objects.count()
    return {"total": total, "pending": pending, "decided": total - pending}


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


# "running" is left out: its stem is the topic word "run" itself.
_STATUS_WORDS = {
    lexical.stem(w): status
    for status, words in {
        "failed": "failed fail failure failures failing",
        "succeeded": "succeeded succeed successful success",
        "cancelled": "cancelled canceled cancel",
        "timed_out": "timed timeout",
        "queued": "queued queue",
        "waiting": "waiting",
    }.items()
    for w in words.split()
}


def _direct_answer(query: str, runs: dict | None) -> str:
    """The sentence that answers "how many runs failed?" first, zero included."""
    if runs is None:
        return ""
    asked = [_STATUS_WORDS[t] for t in lexical.terms(query) if t in _STATUS_WORDS]
    if not asked or not set(lexical.terms(query)) & RUN_TOPIC:
        return ""
    parts = []
    for status in dict.fromkeys(asked):
        n = runs["by_status"].get(status, 0)
        label = status.replace("_", " ")
        parts.append(f"{n} run{'s' * (n != 1)} {label}")
    return f"{', '.join(parts)} (of {runs['total']} in total)."


CANVAS_TOPIC = _stems("canvas canvases workflow workflows")


def _count_answer(query, canvases, versions, agents, enabled, approvals) -> str:
    """Direct answers for "how many canvases / agents / pending approvals"."""
    topic = set(lexical.terms(query))
    parts = []
    if topic & CANVAS_TOPIC:
        parts.append(f"There are {canvases} canvases ({versions} saved versions).")
    if topic & _stems("agent agents"):
        parts.append(f"There are {agents} agents ({enabled} enabled).")
    if topic & APPROVAL_TOPIC and approvals is not None and approvals["pending"] is not None:
        parts.append(f"{approvals['pending']} approvals are pending.")
    return " ".join(parts)


def _workspace_of(payload: dict):
    """(canvases, agents) the run's user may see: the engine passes `user` to python agents,
    so one user never learns another's canvas names, owners or counts. Without a user (a
    direct call from server code) the whole installation is counted."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    who = payload.get("user")
    if who is None:
        return Canvas.objects.all(), Agent.objects.all()
    user = get_user_model().objects.filter(pk=(who or {}).get("id")).first() or AnonymousUser()
    return Canvas.objects.visible_to(user), Agent.objects.visible_to(user)


def workspace_statistics(payload: dict) -> dict:
    """Counts over Baton's own data: canvases, versions, agents, runs and approvals."""
    from django.db.models import Count, Q

    query, history, _, _ = _payload(payload)
    visible_canvases, visible_agents = _workspace_of(payload)
    canvases = visible_canvases.count()
    versions = CanvasVersion.objects.filter(canvas__in=visible_canvases.values("pk")).count()
    agent_rows = list(
        visible_agents.values("kind")
        .annotate(n=Count("pk"), enabled=Count("pk", filter=Q(enabled=True)))
        .order_by("kind")
    )
    agents_by_kind = {row["kind"]: row["n"] for row in agent_rows}
    agents_enabled = sum(row["enabled"] for row in agent_rows)
    recent = [
        {
            "canvas": c.name,
            "slug": c.slug,
            "version": c.latest_version,
            "owner": c.owner.get_username() if c.owner_id else None,
            "updated": c.updated.isoformat(timespec="seconds"),
        }
        for c in visible_canvases.select_related("owner").order_by("-updated")[:5]
    ]
    runs = _run_statistics(visible_canvases)
    approvals = _approval_statistics(visible_canvases)

    stats: dict[str, Any] = {
        "canvases": canvases,
        "versions": versions,
        "agents": sum(agents_by_kind.values()),
        "agents_enabled": agents_enabled,
        "agents_by_kind": agents_by_kind,
        "runs": runs,
        "approvals": approvals,
    }

    kinds = ", ".join(f"{k} {n}" for k, n in agents_by_kind.items()) or "none"
    lead = " ".join(
        p
        for p in (
            _direct_answer(query, runs),
            _count_answer(query, canvases, versions, stats["agents"], agents_enabled, approvals),
        )
        if p
    )
    lines = [
        *([lead, ""] if lead else []),
        "Workspace statistics:",
        f"- Canvases: {canvases} ({versions} saved version{'s' if versions != 1 else ''})",
        f"- Agents: {stats['agents']} ({agents_enabled} enabled); by kind: {kinds}",
    ]
    if runs is None:
        lines.append("- Runs: no run history is recorded in this installation yet")
    else:
        statuses = ", ".join(f"{s} {n}" for s, n in runs["by_status"].items()) or "none yet"
        median = runs["median_duration_seconds"]
        lines.append(
            f"- Runs: {runs['total']} ({statuses})"
            + (f"; median duration {_duration(median)}" if median is not None else "")
        )
    if approvals is not None and approvals["pending"] is not None:
        lines.append(f"- Approvals: {approvals['pending']} pending, {approvals['decided']} decided")
    if recent:
        lines.append(
            "Most recently updated canvases: "
            + "; ".join(f"{r['canvas']} (v{r['version']}, {r['updated']})" for r in recent)
        )

    # Rows answer the question asked: runs, approvals or agents when the query is about them.
    topic = set(lexical.terms(query))
    if not topic and history:
        topic = set(lexical.terms(history[-1].get("content", "")))
    rows: list[dict] = recent
    if topic & RUN_TOPIC and runs is not None:
        rows = [{"status": s, "runs": n} for s, n in runs["by_status"].items()]
    elif topic & APPROVAL_TOPIC and approvals is not None and approvals["pending"] is not None:
        rows = [
            {"state": "pending", "approvals": approvals["pending"]},
            {"state": "decided", "approvals": approvals["decided"]},
        ]
    elif topic & AGENT_TOPIC:
        rows = [
            {"kind": row["kind"], "agents": row["n"], "enabled": row["enabled"]}
            for row in agent_rows
        ]
    return {
        "text": "\n".join(lines),
        "rows": rows,
        "stats": stats,
        "sources": ["Baton database"],
        "confidence": 1.0,
    }


def summarize_text(payload: dict) -> dict:
    """Extractive summary: the top sentences by term frequency and position, in order."""
    query, _, data, context = _payload(payload)
    text = _text_field(data, "text", required=False) or _earlier_text(context)
    focus = query if text else ""
    text = text or query
    if not text.strip():
        raise ValueError("summarize_text needs input.text (or a query holding the text)")
    max_sentences = data.get("max_sentences")
    if max_sentences is not None and (
        not isinstance(max_sentences, int)
        or isinstance(max_sentences, bool)
        or not 1 <= max_sentences <= 50
    ):
        raise ValueError("input.max_sentences must be an integer between 1 and 50")
    summary = lexical.summarize(text, focus=focus, max_sentences=max_sentences)
    return {
        "summary": summary.text,
        "text": summary.text,
        "key_points": summary.key_points,
        "sentence_count": summary.sentence_count,
        "word_count": summary.word_count,
        "confidence": summary.confidence,
    }


def _document_path(document_id: Any) -> tuple[Path, str]:
    if not isinstance(document_id, str) or not document_id.strip():
        raise ValueError("input.document_id is required: a file in docs/, e.g. 'coordinator.md'")
    name = document_id.strip().replace("\\", "/")
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\x00" in name or re.match(r"^[A-Za-z]:", name):
        raise ValueError(f"document_id {document_id!r} must be a path inside docs/")
    if not pure.suffix:
        pure = pure.with_suffix(".md")
    if pure.suffix.lower() not in DOC_SUFFIXES:
        raise ValueError(f"document_id {document_id!r}: only {', '.join(DOC_SUFFIXES)} files")
    root = _docs_root()
    path = (root / pure).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"document_id {document_id!r} must be a path inside docs/")
    if not path.is_file():
        available = ", ".join(p.relative_to(root).as_posix() for p in _doc_files(root)[:20])
        raise ValueError(
            f"no document {pure.as_posix()!r} in docs/ (available: {available or 'none'})"
        )
    if path.stat().st_size > MAX_DOC_BYTES:
        raise ValueError(f"document {pure.as_posix()!r} is larger than {MAX_DOC_BYTES} bytes")
    return path, pure.as_posix()


def extract_document(payload: dict) -> dict:
    """Plain text, title, headings and word count of one document in docs/."""
    _, _, data, _ = _payload(payload)
    path, document_id = _document_path(data.get("document_id"))
    markdown = path.read_text(encoding="utf-8", errors="replace")
    headings: list[str] = []
    in_fence = False
    for line in markdown.splitlines():
        if lexical.FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else lexical.HEADING.match(line.strip())
        if match:
            headings.append(lexical.strip_inline(match.group(2)))
    text = lexical.strip_markdown(markdown)
    title = (
        headings[0] if headings else PurePosixPath(document_id).stem.replace("-", " ").capitalize()
    )
    return {
        "document_id": document_id,
        "title": title,
        "text": text,
        "word_count": len(lexical.words(text)),
        "headings": headings,
        "sources": [document_id],
    }


def publish_summary(payload: dict) -> dict:
    """Writes input.summary to MEDIA_ROOT/published/<slug of input.title>.md."""
    _, _, data, _ = _payload(payload)
    summary = _text_field(data, "summary")
    if not summary.strip():
        raise ValueError("input.summary is empty; there is nothing to publish")
    title = _text_field(data, "title", required=False).strip() or "Summary"
    slug = slugify(title)[:80].strip("-_") or "summary"
    media = Path(settings.MEDIA_ROOT).resolve()
    folder = media / "published"
    folder.mkdir(parents=True, exist_ok=True)
    target = (folder / f"{slug}.md").resolve()
    if not target.is_relative_to(media) or target.parent != folder.resolve():
        raise ValueError("refusing to write outside the media directory")
    body = f"# {title}\n\n{summary.strip()}\n".encode()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".publish-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    relative = target.relative_to(media).as_posix()
    return {
        "path": relative,
        "bytes": len(body),
        "url": f"{settings.MEDIA_URL.rstrip('/')}/{relative}",
        "text": f"Published {title!r} to {relative} ({len(body)} bytes).",
    }


TREND_META_WORDS = _stems(
    "keyword keywords term terms trend trends frequency frequent common most top word words "
    "count counts mention mentions mentioned popular table docs documentation topic"
)


def keyword_trends(payload: dict) -> dict:
    """The most frequent terms in the docs sections about the query's topic."""
    query, history, data, _ = _payload(payload)
    top_n = data.get("top", 10)
    if not isinstance(top_n, int) or isinstance(top_n, bool) or not 1 <= top_n <= 100:
        raise ValueError("input.top must be an integer between 1 and 100")
    weights, _ = _query_weights(query, history)
    topic = {t: w for t, w in weights.items() if t not in TREND_META_WORDS}
    index = docs_index()
    if topic:
        hits = [section for _, section in _bm25(index, topic)[:8]]
        scope = f"the {len(hits)} documentation sections about {', '.join(sorted(topic))}"
    else:
        hits = list(index.sections)
        scope = f"all {len(hits)} documentation sections"
    if not hits:
        return {
            "text": f"No documentation section mentions {query!r}.",
            "rows": [],
            "sources": [],
            "confidence": 0.0,
        }
    counts: Counter = Counter()
    files: dict[str, set[str]] = {}
    for section in hits:
        for word in lexical.words(section.plain):
            if word in lexical.STOPWORDS or len(word) < 3 or word.isdigit():
                continue
            stem = lexical.stem(word)
            if stem in topic:
                continue  # the topic itself is not a finding
            counts[stem] += 1
            files.setdefault(stem, set()).add(section.file)
    rows = []
    for stem, count in counts.most_common(top_n):
        term = index.surface.get(stem, Counter({stem: 1})).most_common(1)[0][0]
        rows.append({"term": term, "count": count, "files": len(files[stem])})
    table = ", ".join(f"{r['term']} ({r['count']})" for r in rows)
    return {
        "text": f"Most frequent terms in {scope}: {table}.",
        "rows": rows,
        "sources": sorted({s.file for s in hits}),
        "confidence": 1.0 if topic else 0.6,
    }
