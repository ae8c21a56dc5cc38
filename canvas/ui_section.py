"""The optional `ui:` section of plan YAML: what a canvas shows that its plan does not say.

A plan says what runs. A canvas also has ids and labels for its begin, interact and
delegated sub-agent nodes, a position for every node, a viewport, and a few settings that
live only on the canvas (the begin node's greeting and conversation mode, the interact
node's message and format when nothing is saved, inline sub-agent definitions, a delegated
sub-agent's query and timeout). Export writes them here (`ui_section`) and import puts them
back (`apply_ui`), so export → import → export gives the same text::

    ui:
      viewport: {x: 40, y: 120, zoom: 0.9}
      nodes:
        start: {type: begin, label: Start, x: 0, y: 0}
        triage: {x: 310, y: 0}
        docs: {type: sub_agent, coordinator: triage, agent: search-docs, label: Docs search, x: 300, y: 150}
        reply: {type: interact, label: Reply, x: 900, y: 0}
        note-1: {type: note, x: 0, y: -120, text: Ask the docs team before changing triage.}

Entries are keyed by node id, in the canvas's node order (import keeps that order). An
entry without `type` is a step: its key is the step id and its label is the step's `name`.
`type: begin` / `interact` names the begin / interact node; `type: sub_agent` one of a
coordinator's sub-agents, by the coordinator's step id and the agent slug in its `agents`.
`type: note` is a sticky note (canvas/notes.py): it has no step behind it, so its entry
carries its own `text` and position, and import creates it.
`config` holds only canvas-only settings; what the steps say cannot be overridden here.
Nodes without an entry (or without x/y) are placed by the automatic layout, below the others.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from canvas.components import COMPONENTS
from canvas.errors import InvalidDocument, Problem
from canvas.graph import inline_slugs, step_options_schema
from canvas.notes import MAX_NOTE_CHARS, NOTE_TYPE
from canvas.plan import STEP_ID_PATTERN, Slug, StepId, Strict
from canvas.yaml_io import flow_mapping

__all__ = ["apply_ui", "ui_section"]

AUTO_LABELS = {"begin": "Begin", "interact": "Answer"}  # what plan_to_graph calls them
NOTE_LABEL = "Note"  # what the editor calls a new note
# Settings a plan does not carry, by the role of the node on the canvas.
CANVAS_ONLY: dict[str, tuple[str, ...]] = {
    "begin": ("conversation_mode", "greeting"),
    "interact": ("message", "format"),
    "delegate": ("inline", "query", "timeout_seconds"),
    "sub_agent": ("inline",),
}
UNPLACED_GAP = 160


class UiViewport(Strict):
    x: float
    y: float
    zoom: float = Field(gt=0, le=10)


class UiNode(Strict):
    type: Literal["begin", "interact", "sub_agent", "note"] | None = None
    coordinator: StepId | None = None
    agent: Slug | None = None
    label: str | None = Field(default=None, max_length=200)
    x: float | None = None
    y: float | None = None
    text: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)
    config: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self):
        if (self.x is None) != (self.y is None):
            raise ValueError("give both x and y, or neither")
        if self.type == "sub_agent" and not (self.coordinator and self.agent):
            raise ValueError("a sub_agent entry names its coordinator (step id) and agent (slug)")
        if self.type != "sub_agent" and (self.coordinator or self.agent):
            raise ValueError("coordinator and agent belong to type: sub_agent entries")
        if self.type == "note" and (self.text is None or self.x is None or self.config):
            raise ValueError("a note entry has text, x and y (and no config)")
        if self.type != "note" and self.text is not None:
            raise ValueError("text belongs to type: note entries")
        return self


class Ui(Strict):
    viewport: UiViewport | None = None
    nodes: dict[str, UiNode] = Field(default_factory=dict)


# --------------------------------------------------------------------------- export


@functools.cache
def _is_step_type(type_: str) -> bool:
    return step_options_schema(type_) is not None  # None for begin, interact (not steps)


def _number(value: Any) -> int | float:
    return round(value) if isinstance(value, int | float) else 0


def _canvas_only(type_: str, role: str, config: Any) -> dict[str, Any]:
    """The canvas-only settings of a node that differ from their defaults."""
    if not isinstance(config, dict):
        return {}
    fields = COMPONENTS[type_].config_model.model_fields
    keys = CANVAS_ONLY.get(role, ())
    if role == "interact" and config.get("destination"):
        keys = tuple(k for k in keys if k != "format")  # the plan's output carries it then
    found = {}
    for key in keys:
        if key in config and config[key] != fields[key].get_default(call_default_factory=True):
            found[key] = config[key]
    return found


def ui_section(graph: Any) -> dict[str, Any]:
    """The `ui:` section for a graph (also a draft): node entries in graph order, viewport."""
    if not isinstance(graph, dict) or not isinstance(graph.get("nodes"), list):
        return {}
    nodes = [n for n in graph["nodes"] if isinstance(n, dict) and isinstance(n.get("id"), str)]
    types = {n["id"]: n.get("type") for n in reversed(nodes)}  # the first node of an id wins
    delegated_by: dict[str, str] = {}
    for edge in graph.get("edges") or []:
        if (
            isinstance(edge, dict)
            and edge.get("sourceHandle") == "agents"
            and types.get(edge.get("source")) == "coordinator"
            and types.get(edge.get("target")) == "sub_agent"
        ):
            delegated_by.setdefault(edge["target"], edge["source"])
    inline = inline_slugs(graph)
    entries: dict[str, Any] = {}
    taken: set[Any] = set()  # roles already given an entry: "begin", (coordinator, slug) …
    for node in nodes:
        node_id, type_ = node["id"], node.get("type")
        data = node.get("data") if isinstance(node.get("data"), dict) else {}
        config = data.get("config")
        if node_id in entries:
            continue
        if type_ == NOTE_TYPE:
            entries[node_id] = _note_entry(node, data, config)
            continue
        if type_ not in COMPONENTS:
            continue
        entry: dict[str, Any] = {}
        auto_label = None
        if type_ in AUTO_LABELS:
            role = claim = type_
            entry["type"] = type_
            auto_label = AUTO_LABELS[type_]
        elif node_id in delegated_by:
            role = "delegate"
            slug = inline.get(node_id) or (config or {}).get("agent")
            claim = (delegated_by[node_id], slug)
            entry.update(type="sub_agent", coordinator=delegated_by[node_id], agent=slug)
            auto_label = slug
        elif _is_step_type(type_):
            role, claim = type_, node_id
        else:
            continue  # on the canvas but neither a step nor placed by the plan: not carried
        if claim in taken or (role == "delegate" and not isinstance(claim[1], str)):
            continue  # a second begin, or a second node for the same sub-agent: not importable
        taken.add(claim)
        label = data.get("label")
        if auto_label is not None and isinstance(label, str) and label != auto_label:
            entry["label"] = label
        position = node.get("position") if isinstance(node.get("position"), dict) else {}
        entry["x"], entry["y"] = _number(position.get("x")), _number(position.get("y"))
        settings = _canvas_only(type_, role, config)
        if settings:
            entry["config"] = settings
            entries[node_id] = entry
        else:
            entries[node_id] = flow_mapping(entry)
    section: dict[str, Any] = {}
    viewport = graph.get("viewport")
    if isinstance(viewport, dict) and all(
        isinstance(viewport.get(k), int | float) for k in ("x", "y", "zoom")
    ):
        section["viewport"] = flow_mapping(
            {
                "x": round(viewport["x"]),
                "y": round(viewport["y"]),
                "zoom": _whole(round(viewport["zoom"], 3)),
            }
        )
    if entries:
        section["nodes"] = entries
    return section


def _note_entry(node: dict, data: dict, config: Any) -> dict[str, Any]:

    entry: dict[str, Any] = {"type": NOTE_TYPE}
    label = data.get("label")
    if isinstance(label, str) and label != NOTE_LABEL:
        entry["label"] = label
    position = node.get("position") if isinstance(node.get("position"), dict) else {}
    entry["x"], entry["y"] = _number(position.get("x")), _number(position.get("y"))
    text = config.get("text") if isinstance(config, dict) else None
    entry["text"] = text if isinstance(text, str) else ""
    return flow_mapping(entry) if "\n" not in entry["text"] else entry


# --------------------------------------------------------------------------- import


def _problems(exc: ValidationError, prefix: str) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False, include_input=False):
        path = ".".join([prefix, *(str(p) for p in err["loc"])])
        problems.append(Problem(field=path, message=err["msg"].removeprefix("Value error, ")))
    return problems


def _roles(graph: dict) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Node id -> role ("begin", "interact", "delegate" or its type) and (coordinator, slug) -> id."""
    types = {n["id"]: n["type"] for n in graph["nodes"]}
    by_id = {n["id"]: n for n in graph["nodes"]}
    delegates: dict[tuple[str, str], str] = {}
    for edge in graph["edges"]:
        if edge["sourceHandle"] == "agents":
            agent = by_id[edge["target"]]["data"]["config"]["agent"]
            delegates[(edge["source"], agent)] = edge["target"]
    roles = {}
    delegated = set(delegates.values())
    for node_id, type_ in types.items():
        roles[node_id] = "delegate" if node_id in delegated else type_
    return roles, delegates


def apply_ui(graph: dict, raw: Any) -> dict:
    """`graph` (from `plan_to_graph`) with the `ui:` section applied, or InvalidDocument.

    Without a section the automatic layout stays and the graph has no viewport, so the editor
    fits it in view when it opens.
    """
    graph = {"nodes": graph["nodes"], "edges": graph["edges"]}
    if raw is None:
        return graph
    try:
        ui = Ui.model_validate(raw)
    except ValidationError as exc:
        raise InvalidDocument(_problems(exc, "ui"), "Invalid ui section.") from None
    roles, delegates = _roles(graph)
    by_role = {role: node_id for node_id, role in reversed(roles.items())}
    problems: list[Problem] = []
    target_of: dict[str, str] = {}  # ui key -> node id in `graph`
    notes: list[str] = []  # ui keys of sticky notes: nodes the section itself creates
    claimed: dict[str, str] = {}
    valid_id = re.compile(STEP_ID_PATTERN)
    for key, entry in ui.nodes.items():
        where = f"ui.nodes.{key}"
        if not valid_id.fullmatch(key):
            problems.append(Problem(field=where, message="not a valid node id"))
            continue
        if entry.type == NOTE_TYPE:
            notes.append(key)
            continue
        if entry.type in ("begin", "interact"):
            target = by_role.get(entry.type)
        elif entry.type == "sub_agent":
            target = delegates.get((entry.coordinator, entry.agent))
            if target is None:
                problems.append(
                    Problem(
                        field=where,
                        message=f"no coordinator step {entry.coordinator!r} with agent "
                        f"{entry.agent!r} in its agents",
                    )
                )
                continue
        else:
            target = key if roles.get(key) not in (None, "begin", "interact", "delegate") else None
            if target is None:
                problems.append(
                    Problem(
                        field=where,
                        message=f"no step {key!r} in this plan; an entry names a step by its "
                        "id, or has type: begin, interact or sub_agent",
                    )
                )
                continue
            if entry.label is not None:
                problems.append(
                    Problem(
                        field=f"{where}.label",
                        message="a step's label is its name: set `name` on the step instead",
                    )
                )
        if target in claimed:
            problems.append(
                Problem(field=where, message=f"names the same node as ui.nodes.{claimed[target]}")
            )
            continue
        claimed[target] = key
        target_of[key] = target

    final = {node_id: node_id for node_id in roles}
    for key, target in target_of.items():
        final[target] = key
    owners: dict[str, str] = {}
    for node_id, new_id in final.items():
        if new_id in owners:  # two nodes can only meet at an id a ui key gave one of them
            problems.append(
                Problem(
                    field=f"ui.nodes.{new_id}",
                    message=f"{new_id!r} is already the id of another node (a step or the "
                    "automatic id of another node); choose another",
                )
            )
        owners[new_id] = node_id
    for key in notes:
        if key in owners:
            problems.append(
                Problem(
                    field=f"ui.nodes.{key}",
                    message=f"{key!r} is already the id of another node; give the note another",
                )
            )

    nodes = {n["id"]: n for n in graph["nodes"]}
    for key, target in target_of.items():
        entry = ui.nodes[key]
        if entry.config:
            problems.extend(_check_config(f"ui.nodes.{key}.config", nodes[target], roles, entry))
    if problems:
        raise InvalidDocument(problems, "Invalid ui section.")
    return _placed(graph, ui, target_of, final, notes)


def _check_config(where: str, node: dict, roles: dict[str, str], entry: UiNode) -> list[Problem]:
    role = roles[node["id"]]
    allowed = CANVAS_ONLY.get(role, ())
    current = node["data"]["config"]
    problems = []
    for key in entry.config:
        if key not in allowed:
            message = (
                f"{key!r} is not a canvas-only setting of this node"
                + (f" (those are: {', '.join(allowed)})" if allowed else "")
                + "; what the plan says is written in its steps"
            )
            problems.append(Problem(field=f"{where}.{key}", message=message))
        elif key in current and not (key == "inline" and role in ("sub_agent", "delegate")):
            problems.append(
                Problem(
                    field=f"{where}.{key}",
                    message="the plan already sets this (in its steps or output); change it there",
                )
            )
    if "inline" in entry.config and not str(current.get("agent", "")).startswith("inline-"):
        problems.append(
            Problem(
                field=f"{where}.inline",
                message=f"the plan names agent {current.get('agent')!r}; an inline definition "
                "belongs to a step whose agent is inline-<node id>",
            )
        )
    if problems:
        return problems
    try:
        COMPONENTS[node["type"]].config_model.model_validate(_merged(current, entry.config))
    except ValidationError as exc:
        return _problems(exc, where)
    return []


def _merged(config: dict, settings: dict) -> dict:
    merged = {**config, **settings}
    if settings.get("inline") is not None:
        merged["agent"] = None  # the inline definition replaces the inline-<id> slug
    return merged


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _placed(
    graph: dict, ui: Ui, target_of: dict[str, str], final: dict[str, str], notes: list[str]
) -> dict:
    """The graph with ids, labels, settings and positions from the section, in its order."""
    entry_of = {target: ui.nodes[key] for key, target in target_of.items()}
    placed = [e for e in entry_of.values() if e.x is not None]
    lowest = max((e.y for e in placed), default=0)
    unplaced = [n for n in graph["nodes"] if entry_of.get(n["id"], UiNode()).x is None]
    top = min((n["position"]["y"] for n in unplaced), default=0)
    shift = lowest + UNPLACED_GAP - top if placed else 0

    nodes = []
    for node in graph["nodes"]:
        entry = entry_of.get(node["id"])
        data = dict(node["data"])
        position = dict(node["position"])
        if entry is None or entry.x is None:
            position["y"] += shift
        else:
            position = {"x": _whole(entry.x), "y": _whole(entry.y)}
        if entry is not None:
            if entry.label is not None:
                data["label"] = entry.label
            if entry.config:
                data["config"] = _merged(data["config"], entry.config)
        nodes.append({**node, "id": final[node["id"]], "position": position, "data": data})
    for key in notes:
        entry = ui.nodes[key]
        nodes.append(
            {
                "id": key,
                "type": NOTE_TYPE,
                "position": {"x": _whole(entry.x), "y": _whole(entry.y)},
                "data": {"label": entry.label or NOTE_LABEL, "config": {"text": entry.text}},
            }
        )
    rank = {key: i for i, key in enumerate(ui.nodes)}
    nodes.sort(key=lambda n: rank.get(n["id"], len(rank)))  # stable: the rest keep plan order
    edges = [
        {**e, "source": final[e["source"]], "target": final[e["target"]]} for e in graph["edges"]
    ]
    result: dict[str, Any] = {"nodes": nodes, "edges": edges}
    if ui.viewport is not None:
        result["viewport"] = ui.viewport.model_dump()
    return result
