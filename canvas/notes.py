"""Sticky notes: `note` nodes kept in a canvas's graph for the people reading it.

A note is `{id, type: "note", position, data: {label, config: {text}}}`. It is saved with
every version and exported with the raw graph, but it is not a step: validation checks only
its own shape, and compilation to a plan never sees it. Nothing may connect to a note.
"""

from __future__ import annotations

from typing import Any

from canvas.errors import Problem

NOTE_TYPE = "note"
MAX_NOTE_CHARS = 10_000


def is_note(raw: Any) -> bool:
    return isinstance(raw, dict) and raw.get("type") == NOTE_TYPE


def split_notes(graph: Any) -> tuple[Any, list[dict]]:
    """(the graph without its notes and any edge touching one, the notes). Anything not
    shaped like a graph is returned unchanged, for validation to report."""
    if not isinstance(graph, dict) or not isinstance(graph.get("nodes"), list):
        return graph, []
    notes = [n for n in graph["nodes"] if is_note(n)]
    if not notes:
        return graph, []
    ids = {n.get("id") for n in notes}
    edges = graph.get("edges")
    if isinstance(edges, list):
        edges = [e for e in edges if not _touches(e, ids)]
    return {**graph, "nodes": [n for n in graph["nodes"] if not is_note(n)], "edges": edges}, notes


def _touches(edge: Any, ids: set) -> bool:
    return isinstance(edge, dict) and (edge.get("source") in ids or edge.get("target") in ids)


def note_problems(notes: list[dict], edges: Any) -> list[Problem]:
    """A note's text must be a string of bounded size, and no edge may touch it."""
    problems = []
    ids = set()
    for note in notes:
        note_id = note.get("id")
        where = {"node": note_id} if isinstance(note_id, str) and note_id else {}
        if where:
            ids.add(note_id)
        data = note.get("data") or {}
        config = data.get("config") if isinstance(data, dict) else None
        text = (config or {}).get("text", "") if isinstance(config, dict) else None
        if not isinstance(text, str):
            problems.append(Problem(message="a note's text must be a string", **where))
        elif len(text) > MAX_NOTE_CHARS:
            problems.append(
                Problem(
                    message=f"a note holds at most {MAX_NOTE_CHARS} characters",
                    field="data.config.text",
                    **where,
                )
            )
    for edge in edges if isinstance(edges, list) else []:
        if _touches(edge, ids):
            edge_id = edge.get("id")
            problems.append(
                Problem(
                    message="notes cannot be connected",
                    edge=edge_id if isinstance(edge_id, str) and edge_id else None,
                )
            )
    return problems
