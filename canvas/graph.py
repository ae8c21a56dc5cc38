"""React Flow JSON → validated graph → Plan, and back (docs/architecture.md). Pure functions, no Django.

The stored graph is React Flow's own JSON::

    {"nodes": [{"id", "type", "position": {"x", "y"}, "data": {"label", "config", "step"?}}],
     "edges": [{"id", "source", "target", "sourceHandle", "targetHandle"}],
     "viewport": {...}}

`node.type` is a component type (`canvas.components.COMPONENTS`), `data.config` that
component's config. An edge out of a coordinator's ``agents`` handle is *delegation*; every
other edge is a *flow* dependency. A missing/null ``sourceHandle`` means ``out``; a missing
``targetHandle`` means ``in`` (``delegate`` on delegation edges). ``note`` nodes (sticky
notes, `canvas.notes`) are set aside first: only their own shape is checked.

Public API:

* `validate_graph(graph, known_agents=None) -> list[Problem]` — every problem at once.
* `compile_graph(graph, name, description="") -> Plan` — raises `InvalidDocument`.
* `inline_agents(graph) -> dict[str, InlineAgent]` — definitions of inline sub-agents.
* `inline_slug(node_id)` — the slug an inline sub-agent node compiles to.
* `plan_to_graph(plan) -> dict` — the reverse, for putting a YAML plan on a canvas.
* `step_options_schema(component_type)` — JSON Schema of a node's optional ``data.step``.

Compilation rules (the ones the brief left open are marked *):

* Node ids become step ids, so every node id must match `STEP_ID_PATTERN`.
* ``begin`` gives `Plan.input_schema` (None when its config does not set one); it is not a
  step and edges from it add no dependency.
* A step's ``depends_on`` is its flow predecessors that are steps, in edge order.
* A label becomes the step's ``name``; an empty label, or one equal to the node id, gives
  ``name=None`` (*), so `plan_to_graph` can label nodes with their ids and still round-trip.
* ``coordinator`` → `CoordinatorStep`; its ``agents`` (and ``config.sub_agents``) are the
  slugs of the sub_agent nodes connected from its ``agents`` handle, de-duplicated in edge
  order. A delegation edge to another coordinator is only a warning and is *ignored* by
  compilation (*): the inner coordinator compiles as an ordinary step in its own flow.
* ``sub_agent`` reached by flow edges → `AgentStep` (``query`` "" → None). A sub_agent that
  is a delegation target is not a step and must have no flow edges.
* Inline sub-agents (``config.inline``) have no registry slug (*): they compile to
  ``agent="inline-<node id, lower-cased>"`` (with ``-2``, ``-3`` … on a clash) and
  `inline_agents(graph)` returns ``{slug: InlineAgent}`` for the engine to resolve them.
* ``parallel``: nodes connected from its ``branches`` handle become ``branches`` (compiled
  steps, removed from the top level, ``depends_on`` cleared); such a node may have no other
  incoming edge. An edge out of a branch node means "depends on the parallel step".
* ``condition``: ``if_true`` / ``if_false`` are the step targets of its ``true`` / ``false``
  handles (an interact target is not a step and is left out).
* ``interact`` (at most one) is not a step (*). `Plan.result` is the step feeding it; when
  several steps feed it, compilation adds a `TransformStep` with the interact node's id,
  depending on all of them, whose output is ``{step_id: "{{ steps.<id>.output }}"}``, and
  that step is the result (*). With no interact node, or nothing feeding it, result is None.
* Step options the component configs do not carry (``when``, ``retries``, ``loop``,
  ``timeout_seconds``; plus ``input``/``fallback`` for sub_agent and ``query`` for
  coordinator) live in the optional ``data.step`` object (*) and are validated there, so
  plans imported from YAML keep them. A sub_agent's timeout stays in ``config``.
* Plan settings live on the nodes they concern (`_plan_settings`): ``Plan.adaptive`` is the
  begin node's ``config.adaptive``; ``Plan.output`` is the interact node's ``format`` and
  ``destination`` (only when a destination is set: without one nothing is saved).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from canvas.components import COMPONENTS, Handle, InlineAgent
from canvas.errors import InvalidDocument, Problem, errors_only
from canvas.layout import layered_layout
from canvas.notes import note_problems, split_notes
from canvas.plan import (
    STEP_ID_PATTERN,
    AgentStep,
    CoordinatorStep,
    Plan,
    StepBase,
    find_cycle,
)
from canvas.step_types import BY_COMPONENT, REGISTRY

__all__ = [
    "compile_draft",
    "compile_graph",
    "inline_agents",
    "inline_slug",
    "inline_slugs",
    "plan_to_graph",
    "step_options_schema",
    "validate_graph",
]

# ---------------------------------------------------------------------------------------------
# Tables built once at import: handles per component, step-option models per component.

_STEP_ID_RE = re.compile(STEP_ID_PATTERN)
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
_LABEL_MAX = next(m.max_length for m in StepBase.model_fields["name"].metadata)  # step name
_MAX_STEPS = 5000  # Plan.steps max_length

_HANDLES: dict[str, dict[str, Handle]] = {
    t: {h.id: h for h in c.handles} for t, c in COMPONENTS.items()
}
_SOURCE_HANDLES: dict[str, list[str]] = {
    t: [h.id for h in c.handles if h.kind == "source"] for t, c in COMPONENTS.items()
}
_TARGET_HANDLES: dict[str, list[str]] = {
    t: [h.id for h in c.handles if h.kind == "target"] for t, c in COMPONENTS.items()
}
_NOT_STEPS = frozenset({"begin", "interact"})
DEFAULT_SOURCE_HANDLE = "out"
DEFAULT_TARGET_HANDLE = "in"
DELEGATE_TARGET_HANDLE = "delegate"


def _options_model(name: str, source: type[BaseModel], fields: tuple[str, ...]) -> type[BaseModel]:
    """A strict model of `fields` copied from a plan step model, so constraints stay in sync."""
    spec = {f: (source.model_fields[f].annotation, source.model_fields[f]) for f in fields}
    return create_model(name, __config__=ConfigDict(extra="forbid"), **spec)


_COMMON_OPTIONS = ("when", "timeout_seconds", "retries", "loop")
_StepOptions = _options_model("StepOptions", StepBase, _COMMON_OPTIONS)
_OPTION_MODELS: dict[str, type[BaseModel]] = {
    t: _StepOptions for t in COMPONENTS if t not in _NOT_STEPS
}
_OPTION_MODELS["sub_agent"] = _options_model(
    "AgentStepOptions", AgentStep, ("when", "retries", "loop", "input", "fallback")
)
_OPTION_MODELS["coordinator"] = _options_model(
    "CoordinatorStepOptions", CoordinatorStep, (*_COMMON_OPTIONS, "query")
)
_OPTION_FIELDS: dict[str, tuple[str, ...]] = {
    t: tuple(m.model_fields) for t, m in _OPTION_MODELS.items()
}


def step_options_schema(component_type: str) -> dict[str, Any] | None:
    """JSON Schema of a node's optional ``data.step`` object (None for begin and interact)."""
    model = _OPTION_MODELS.get(component_type)
    return model.model_json_schema() if model else None


# ---------------------------------------------------------------------------------------------
# Analysis: one pass that both validates and collects what compilation needs.


@dataclass
class _Node:
    id: str
    type: str
    label: str
    config: Any = None  # the parsed config model, or None when invalid
    options: dict[str, Any] = field(default_factory=dict)
    draft: Any = None  # the config as written, unvalidated, when it is invalid (draft export)


@dataclass
class _Edge:
    id: str | None
    source: str
    target: str
    source_handle: str
    delegation: bool
    valid: bool = False  # handles check out; only valid edges are flow/delegation structure


@dataclass
class _Analysis:
    problems: list[Problem] = field(default_factory=list)
    nodes: dict[str, _Node] = field(default_factory=dict)  # first node of each id, in order
    flow_out: dict[str, list[_Edge]] = field(default_factory=dict)
    flow_in: dict[str, list[_Edge]] = field(default_factory=dict)
    delegates: dict[str, list[str]] = field(default_factory=dict)  # coordinator → sub_agents
    delegated: dict[str, str] = field(default_factory=dict)  # delegated sub_agent → coordinator
    branch_parent: dict[str, str] = field(default_factory=dict)  # branch node → parallel node

    def error(self, message: str, **where: Any) -> None:
        self.problems.append(Problem(message=message, **where))

    def warning(self, message: str, **where: Any) -> None:
        self.problems.append(Problem(message=message, severity="warning", **where))


def _where(kind: str, index: int, ident: str | None, field_: str) -> dict[str, Any]:
    """Locate a problem on a node/edge by id, or by list position when it has no usable id."""
    if ident is not None:
        return {kind: ident, "field": field_}
    path = f"{kind}s.{index}"
    return {"field": f"{path}.{field_}" if field_ else path}


def _pydantic_problems(exc: ValidationError, prefix: str, where: dict[str, Any]) -> list[Problem]:
    found = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(part) for part in err["loc"])
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        base = where.get("field", "")
        path = ".".join(p for p in (base, prefix, loc) if p)
        found.append(Problem(message=message, **{**where, "field": path}))
    return found


def _check_nodes(raw_nodes: list, a: _Analysis) -> None:
    seen: set[str] = set()
    for index, raw in enumerate(raw_nodes):
        if not isinstance(raw, dict):
            a.error("node must be an object", field=f"nodes.{index}")
            continue
        ident = raw.get("id")
        node_id: str | None = ident if isinstance(ident, str) and ident else None
        if node_id is None:
            a.error("node has no id (a non-empty string)", **_where("node", index, None, "id"))
        elif node_id in seen:
            a.error(f"duplicate node id {node_id!r}", node=node_id, field="id")
            node_id = None  # the first node with this id is the one edges refer to
            ident = None
        else:
            seen.add(node_id)
            if not _STEP_ID_RE.fullmatch(node_id):
                a.error(
                    "node id must start with a letter or _ and contain only letters, digits,"
                    " _ and - (at most 64 characters), because it becomes the step id",
                    node=node_id,
                    field="id",
                )
        loc_id = ident if isinstance(ident, str) and ident else None

        type_ = raw.get("type")
        component = COMPONENTS.get(type_) if isinstance(type_, str) else None
        if not isinstance(type_, str) or not type_:
            a.error("node has no type", **_where("node", index, loc_id, "type"))
        elif component is None:
            a.error(
                f"unknown component type {type_!r}; expected one of {', '.join(COMPONENTS)}",
                **_where("node", index, loc_id, "type"),
            )

        data = raw.get("data", {})
        if data is None:
            data = {}
        if not isinstance(data, dict):
            a.error("data must be an object", **_where("node", index, loc_id, "data"))
            data = {}
        label = data.get("label", "")
        if label is None:
            label = ""
        if not isinstance(label, str):
            a.error("label must be a string", **_where("node", index, loc_id, "data.label"))
            label = ""
        elif len(label) > _LABEL_MAX:
            a.error(
                f"label must be at most {_LABEL_MAX} characters",
                **_where("node", index, loc_id, "data.label"),
            )

        config = options = None
        if component is not None:
            config = _check_config(component.type, data, index, loc_id, a)
            options = _check_options(component.type, data, index, loc_id, a)
        if node_id is not None:
            a.nodes[node_id] = _Node(
                node_id, component.type if component else "", label, config, options or {}
            )
            if component is not None and config is None:
                a.nodes[node_id].draft = _draft_config(component.type, data)


def _check_config(type_: str, data: dict, index: int, loc_id: str | None, a: _Analysis) -> Any:
    raw_config = data.get("config", {})
    if raw_config is None:
        raw_config = {}
    if not isinstance(raw_config, dict):
        a.error("config must be an object", **_where("node", index, loc_id, "data.config"))
        return None
    model = COMPONENTS[type_].config_model
    try:
        config = model.model_validate(raw_config)
    except ValidationError as exc:
        where = _where("node", index, loc_id, "")
        a.problems.extend(_pydantic_problems(exc, "data.config", where))
        a.problems.extend(_cross_field_problems(model, raw_config, exc, where))
        return None
    if type_ == "sub_agent" and config.agent and not _SLUG_RE.fullmatch(config.agent):
        a.error(
            "agent must be a registry slug (lower-case letters, digits, _ and -)",
            **_where("node", index, loc_id, "data.config.agent"),
        )
        return None
    if type_ == "sub_plan" and not _SLUG_RE.fullmatch(config.canvas):
        a.error(
            "canvas must be a canvas slug (lower-case letters, digits, _ and -)",
            **_where("node", index, loc_id, "data.config.canvas"),
        )
        return None
    return config


def _draft_config(type_: str, data: dict) -> Any:
    """An invalid config as written (defaults for what is missing), for exporting drafts."""
    raw = data.get("config")
    return COMPONENTS[type_].config_model.model_construct(**(raw if isinstance(raw, dict) else {}))


def _cross_field_problems(
    model: type, raw: dict, exc: ValidationError, where: dict[str, Any]
) -> list[Problem]:
    """Cross-field rules pydantic did not reach because other fields are invalid: checked on
    the valid fields (the invalid ones at their defaults), kept when they read no invalid one."""
    failed = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
    rules = [r for r in model.cross_fields if not failed & set(r.reads)]
    if not rules or not failed:
        return []
    try:
        model.model_validate({k: v for k, v in raw.items() if k not in failed})
    except ValidationError as again:
        fields = {r.field for r in rules}
        base = ".".join(p for p in (where.get("field", ""), "data.config") if p)
        return [
            Problem(message=err["msg"], **{**where, "field": f"{base}.{err['loc'][0]}"})
            for err in again.errors(include_url=False, include_input=False)
            if err["type"] == "cross_field" and err["loc"] and err["loc"][0] in fields
        ]
    return []


def _check_options(
    type_: str, data: dict, index: int, loc_id: str | None, a: _Analysis
) -> dict[str, Any] | None:
    raw = data.get("step")
    if raw is None:
        return {}
    model = _OPTION_MODELS.get(type_)
    if model is None:
        a.error(
            f"{type_} is not a step and takes no step options",
            **_where("node", index, loc_id, "data.step"),
        )
        return None
    if not isinstance(raw, dict):
        a.error("step options must be an object", **_where("node", index, loc_id, "data.step"))
        return None
    try:
        return model.model_validate(raw).model_dump(exclude_unset=True)
    except ValidationError as exc:
        a.problems.extend(_pydantic_problems(exc, "data.step", _where("node", index, loc_id, "")))
        return None


def _check_edges(raw_edges: list, a: _Analysis) -> list[_Edge]:
    """Validates each edge; returns those whose both ends exist, `valid` when handles are right.

    Edges with bad handles still count for reachability (one mistake, one problem) but not
    for cycles or compilation."""
    edges: list[_Edge] = []
    seen: set[str] = set()
    nodes = a.nodes
    for index, raw in enumerate(raw_edges):
        if not isinstance(raw, dict):
            a.error("edge must be an object", field=f"edges.{index}")
            continue
        ident = raw.get("id")
        edge_id: str | None = ident if isinstance(ident, str) and ident else None
        if edge_id is None:
            a.error("edge has no id (a non-empty string)", **_where("edge", index, None, "id"))
        elif edge_id in seen:
            a.error(f"duplicate edge id {edge_id!r}", edge=edge_id, field="id")
        else:
            seen.add(edge_id)

        ends = []
        for end in ("source", "target"):
            value = raw.get(end)
            if not isinstance(value, str) or not value:
                a.error(f"edge has no {end} (dangling edge)", **_where("edge", index, edge_id, end))
            elif value not in nodes:
                a.error(
                    f"edge {end} {value!r} is not a node of the graph (dangling edge)",
                    **_where("edge", index, edge_id, end),
                )
            else:
                ends.append(nodes[value])
        if len(ends) != 2:
            continue
        source, target = ends
        source_handle = raw.get("sourceHandle") or DEFAULT_SOURCE_HANDLE
        target_handle = raw.get("targetHandle")
        bad_handle = False
        for name, value in (("sourceHandle", source_handle), ("targetHandle", target_handle)):
            if value is not None and not isinstance(value, str):
                a.error(f"{name} must be a string or null", **_where("edge", index, edge_id, name))
                bad_handle = True
        if bad_handle:  # still counts for reachability, never for structure
            edges.append(_Edge(edge_id, source.id, target.id, "", False))
            continue
        delegation = source.type == "coordinator" and source_handle == "agents"
        checked = _Edge(edge_id, source.id, target.id, source_handle, delegation)
        edges.append(checked)
        if not source.type or not target.type:
            continue  # unknown component: already reported, handles unknowable

        if not _check_source_handle(source, source_handle, index, edge_id, a):
            continue
        if delegation and target.type != "sub_agent":
            if target.type == "coordinator":
                a.warning(
                    f"coordinator {source.id!r} delegates to coordinator {target.id!r}: avoid"
                    " deep nesting. A coordinator cannot be delegated to, so this edge is"
                    f" ignored when compiling and {target.id!r} runs as its own step",
                    **_where("edge", index, edge_id, "target"),
                )
                checked.valid = True
            else:
                a.error(
                    f"a coordinator delegates only to sub_agent nodes; {target.id!r} is a"
                    f" {target.type}",
                    **_where("edge", index, edge_id, "target"),
                )
            continue
        default_target = DELEGATE_TARGET_HANDLE if delegation else DEFAULT_TARGET_HANDLE
        handle_ok = _check_target_handle(
            target, target_handle or default_target, delegation, index, edge_id, a
        )
        # a delegation edge's meaning is clear from its source handle alone
        checked.valid = handle_ok or delegation

    return edges


def _check_source_handle(
    node: _Node, handle_id: str, index: int, edge_id: str | None, a: _Analysis
) -> bool:
    handle = _HANDLES[node.type].get(handle_id)
    outputs = ", ".join(_SOURCE_HANDLES[node.type]) or "none"
    if handle is None:
        a.error(
            f"{node.type} has no handle {handle_id!r}; its output handles are: {outputs}",
            **_where("edge", index, edge_id, "sourceHandle"),
        )
        return False
    if handle.kind != "source":
        a.error(
            f"handle {handle_id!r} of {node.type} is an input; an edge must leave from an"
            f" output handle ({outputs})",
            **_where("edge", index, edge_id, "sourceHandle"),
        )
        return False
    return True


def _check_target_handle(
    node: _Node, handle_id: str, delegation: bool, index: int, edge_id: str | None, a: _Analysis
) -> bool:
    handle = _HANDLES[node.type].get(handle_id)
    inputs = ", ".join(_TARGET_HANDLES[node.type]) or "none"
    if handle is None:
        message = f"{node.type} has no handle {handle_id!r}; its input handles are: {inputs}"
    elif handle.kind != "target":
        message = (
            f"handle {handle_id!r} of {node.type} is an output; an edge must end at an input"
            f" handle ({inputs})"
        )
    elif delegation and handle.role != "delegation":
        message = f"a delegation edge must end at the sub-agent's {DELEGATE_TARGET_HANDLE!r} handle"
    elif not delegation and handle.role == "delegation":
        message = (
            f"handle {handle_id!r} only accepts delegation edges from a coordinator's"
            " 'agents' handle"
        )
    else:
        return True
    a.error(message, **_where("edge", index, edge_id, "targetHandle"))
    return False


def _index_edges(edges: list[_Edge], a: _Analysis) -> None:
    for edge in edges:
        if not edge.valid:
            continue
        if edge.delegation:
            a.delegates.setdefault(edge.source, []).append(edge.target)
            if a.nodes[edge.target].type == "sub_agent":
                a.delegated.setdefault(edge.target, edge.source)
        else:
            a.flow_out.setdefault(edge.source, []).append(edge)
            a.flow_in.setdefault(edge.target, []).append(edge)
            if edge.source_handle == "branches" and a.nodes[edge.source].type == "parallel":
                a.branch_parent.setdefault(edge.target, edge.source)


def _check_topology(edges: list[_Edge], a: _Analysis) -> None:
    nodes = a.nodes
    by_type: dict[str, list[str]] = {}
    for node in nodes.values():
        by_type.setdefault(node.type, []).append(node.id)

    begins = by_type.get("begin", [])
    if not begins:
        a.error("the graph has no begin node", field="nodes")
    elif len(begins) > 1:
        for node_id in begins:
            a.error(
                f"the graph has {len(begins)} begin nodes ({', '.join(begins)}); keep exactly one",
                node=node_id,
                field="type",
            )
    interacts = by_type.get("interact", [])
    if len(interacts) > 1:
        for node_id in interacts:
            a.error(
                f"the graph has {len(interacts)} interact nodes ({', '.join(interacts)});"
                " keep at most one",
                node=node_id,
                field="type",
            )

    for coordinator in by_type.get("coordinator", []):
        targets = a.delegates.get(coordinator, [])
        if not any(nodes[t].type == "sub_agent" for t in targets):
            a.error(
                "a coordinator needs at least one sub-agent: connect sub_agent nodes to its"
                " 'agents' handle",
                node=coordinator,
                field="data.config.sub_agents",
            )
    for sub, boss in a.delegated.items():
        if sub in a.flow_in or sub in a.flow_out:
            a.error(
                f"sub-agent {sub!r} is delegated to by coordinator {boss!r} and also has flow"
                " edges; a sub_agent node is either a coordinator's sub-agent or a flow step —"
                " use a second sub_agent node for the flow step",
                node=sub,
            )

    for parallel in by_type.get("parallel", []):
        branches = [e for e in a.flow_out.get(parallel, []) if e.source_handle == "branches"]
        if not branches:
            a.error(
                "a parallel node needs at least one branch: connect steps to its 'branches' handle",
                node=parallel,
                field="branches",
            )
        for edge in branches:
            target = nodes[edge.target]
            if target.type == "interact":
                a.error(
                    "an interact node cannot be a parallel branch", edge=edge.id, field="target"
                )
            elif len(a.flow_in.get(target.id, ())) > 1:
                a.error(
                    f"{target.id!r} is a branch of parallel {parallel!r}, so it starts when the"
                    " parallel step starts and can have no other incoming edge",
                    node=target.id,
                )

    # (a node of unknown type counts as a step here: its type error is the problem to fix)
    steps = sum(1 for n in nodes.values() if n.type not in _NOT_STEPS and n.id not in a.delegated)
    if steps == 0:
        a.error("the graph has no steps: add a component between begin and interact", field="nodes")
    elif steps - len(a.branch_parent) > _MAX_STEPS:
        a.error(f"a plan has at most {_MAX_STEPS} top-level steps", field="nodes")

    _check_cycles(a)
    if len(begins) >= 1:
        _check_reachable(begins, edges, a)


def _check_cycles(a: _Analysis) -> None:
    succ = {n: [e.target for e in a.flow_out.get(n, ())] for n in a.nodes}
    position = {n: i for i, n in enumerate(succ)}
    for component in _strongly_connected(succ):
        if len(component) == 1 and component[0] not in succ[component[0]]:
            continue
        members = set(component)
        ordered = sorted(component, key=position.__getitem__)  # graph order: a stable message
        cycle = find_cycle({n: [t for t in succ[n] if t in members] for n in ordered})
        assert cycle is not None
        a.error("flow cycle: " + " -> ".join(cycle), node=cycle[0])


def _strongly_connected(succ: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: O(nodes + edges)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in succ:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ[root]))]
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                    break
                if w in on_stack and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[v] < low[parent]:
                        low[parent] = low[v]
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    found.append(component)
    return found


def _check_reachable(begins: list[str], edges: list[_Edge], a: _Analysis) -> None:
    adjacency: dict[str, list[str]] = {}
    for edge in edges:
        adjacency.setdefault(edge.source, []).append(edge.target)
    seen = set(begins)
    queue = deque(begins)
    while queue:
        for target in adjacency.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for node in a.nodes.values():
        if node.id not in seen:
            a.error(
                f"{node.type or 'node'} {node.id!r} is not reachable from the begin node",
                node=node.id,
            )


def _analyse(graph: Any, known_agents: set[str] | None) -> _Analysis:
    a = _Analysis()
    original_edges = graph.get("edges") if isinstance(graph, dict) else None
    graph, notes = split_notes(graph)  # for readers only: never steps
    a.problems.extend(note_problems(notes, original_edges))
    if not isinstance(graph, dict):
        a.error("graph must be an object with 'nodes' and 'edges' lists")
        return a
    raw_nodes, raw_edges = graph.get("nodes"), graph.get("edges")
    if not isinstance(raw_nodes, list):
        a.error("nodes must be a list", field="nodes")
    if not isinstance(raw_edges, list):
        a.error("edges must be a list", field="edges")
    if not isinstance(raw_nodes, list):
        return a
    _check_nodes(raw_nodes, a)
    edges = _check_edges(raw_edges, a) if isinstance(raw_edges, list) else []
    _index_edges(edges, a)
    _check_topology(edges, a)
    if known_agents is not None:
        for node in a.nodes.values():
            slug = node.config.agent if node.type == "sub_agent" and node.config else None
            if slug and slug not in known_agents:  # inline agents have no slug
                a.error(
                    f"unknown agent {slug!r}: no enabled agent with this slug that you may use",
                    node=node.id,
                    field="data.config.agent",
                )
    return a


def validate_graph(graph: Any, known_agents: set[str] | None = None) -> list[Problem]:
    """Every problem of a React Flow graph at once (errors and warnings), in O(nodes + edges).

    `known_agents`, when given, is the set of registry slugs sub_agent nodes may name.
    Warnings (a coordinator delegating to a coordinator) never block compilation.
    """
    return _analyse(graph, known_agents).problems


# ---------------------------------------------------------------------------------------------
# Compilation


def inline_slug(node_id: str) -> str:
    """The agent slug an inline sub_agent node compiles to (before clash suffixes)."""
    return "inline-" + node_id.lower()


def _inline_slugs(nodes: dict[str, _Node]) -> dict[str, str]:
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for node in nodes.values():
        if node.type == "sub_agent" and node.config is not None and node.config.inline:
            slug = base = inline_slug(node.id)
            n = 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            slugs[node.id] = slug
    return slugs


def inline_agents(graph: dict) -> dict[str, InlineAgent]:
    """``{slug: InlineAgent}`` for every inline sub_agent node whose config is valid.

    The slugs are the ones `compile_graph` puts in `AgentStep.agent` and
    `CoordinatorStep.agents`; the engine resolves them here before the registry.
    """
    a = _Analysis()
    graph, _notes = split_notes(graph)
    if isinstance(graph, dict) and isinstance(graph.get("nodes"), list):
        _check_nodes(graph["nodes"], a)
    slugs = _inline_slugs(a.nodes)
    return {slugs[node_id]: a.nodes[node_id].config.inline for node_id in slugs}


def inline_slugs(graph: dict) -> dict[str, str]:
    """``{node id: slug}`` for every inline sub_agent node whose config is valid."""
    a = _Analysis()
    if isinstance(graph, dict) and isinstance(graph.get("nodes"), list):
        _check_nodes(graph["nodes"], a)
    return _inline_slugs(a.nodes)


def _dedupe(items) -> list:
    return list(dict.fromkeys(items))


def compile_graph(graph: dict, name: str, description: str = "") -> Plan:
    """Compile a React Flow graph to a Plan (rules in the module docstring).

    Raises `InvalidDocument` carrying every problem (warnings included) when the graph has
    errors, or when the plan itself would be invalid (e.g. a bad `name`).
    """
    a = _analyse(graph, None)
    if errors_only(a.problems):
        raise InvalidDocument(a.problems, "Invalid graph.")
    document = _plan_document(a, name, description)
    try:
        return Plan.model_validate(document)
    except ValidationError as exc:
        raise InvalidDocument(
            _plan_problems(exc, document), "The graph does not compile to a valid plan."
        ) from exc


def compile_draft(graph: dict, name: str, description: str = "") -> tuple[dict, list[Problem]]:
    """The plan document a graph would compile to, as far as it can be read, and its problems.

    For exporting drafts: invalid configs are taken as written, nodes of unknown type and
    invalid edges are left out. The document is not validated; the problems say what is wrong.
    """
    a = _analyse(graph, None)
    for node_id in [n.id for n in a.nodes.values() if not n.type]:
        del a.nodes[node_id]
    for node in a.nodes.values():
        if node.config is None:
            node.config = node.draft
    return _plan_document(a, name, description), a.problems


def _plan_document(a: _Analysis, name: str, description: str) -> dict[str, Any]:
    nodes = a.nodes
    slugs = _inline_slugs(nodes)

    def agent_slug(node: _Node) -> str:
        return slugs.get(node.id) or node.config.agent

    def owner(node_id: str) -> str:
        """The top-level step standing for node_id (a branch stands for its parallel)."""
        seen = {node_id}
        while node_id in a.branch_parent and a.branch_parent[node_id] not in seen:
            node_id = a.branch_parent[node_id]  # (a draft may nest parallels in a cycle)
            seen.add(node_id)
        return node_id

    def is_step(node_id: str) -> bool:
        return nodes[node_id].type not in _NOT_STEPS and node_id not in a.delegated

    input_schema = None
    step_dicts: dict[str, dict[str, Any]] = {}
    for node in nodes.values():
        if node.type == "begin" and "input_schema" in node.config.model_fields_set:
            input_schema = node.config.input_schema  # unset: None, the plan takes any input
        if not is_step(node.id):
            continue
        step: dict[str, Any] = {"id": node.id}
        if node.label and node.label != node.id:
            step["name"] = node.label
        if node.id not in a.branch_parent:
            deps = [owner(e.source) for e in a.flow_in.get(node.id, ()) if is_step(e.source)]
            if deps:
                step["depends_on"] = _dedupe(deps)
        step.update(node.options)
        step.update(_step_fields(node, a, agent_slug, is_step))
        step_dicts[node.id] = step

    def rooted(branch: str) -> bool:  # its parallels lead up to a top-level step
        top = owner(branch)
        return top != branch and top not in a.branch_parent

    nested = [b for b in a.branch_parent if b in step_dicts and rooted(b)]
    for branch in nested:
        parallel = a.branch_parent[branch]
        step_dicts[parallel].setdefault("branches", []).append(step_dicts[branch])
    top_level = [s for node_id, s in step_dicts.items() if node_id not in set(nested)]

    result = None
    interact = next((n for n in nodes.values() if n.type == "interact"), None)
    if interact is not None:
        feeders = _dedupe(
            owner(e.source) for e in a.flow_in.get(interact.id, ()) if is_step(e.source)
        )
        if len(feeders) == 1:
            result = feeders[0]
        elif feeders:
            collector: dict[str, Any] = {
                "id": interact.id,
                "type": "transform",
                "depends_on": feeders,
                "output": {f: _output_of(f) for f in feeders},
            }
            if interact.label and interact.label != interact.id:
                collector["name"] = interact.label
            top_level.append(collector)
            result = interact.id

    return {
        "name": name,
        "description": description,
        "input_schema": input_schema,
        "steps": top_level,
        "result": result,
        **_plan_settings(nodes.values()),
    }


def _plan_settings(nodes) -> dict[str, Any]:
    """The plan-level fields carried by node configs: begin's adaptive, interact's output."""
    settings: dict[str, Any] = {}
    for node in nodes:
        if node.type == "begin" and node.config.adaptive is not None:
            settings["adaptive"] = node.config.adaptive
        if node.type == "interact" and node.config.destination:
            settings["output"] = {
                "format": node.config.format,
                "destination": node.config.destination,
            }
    return settings


def _plan_settings_on_nodes(plan: Plan) -> tuple[dict[str, Any], dict[str, Any]]:
    """The begin and interact config entries that carry a plan's adaptive and output."""
    begin: dict[str, Any] = {}
    interact: dict[str, Any] = {}
    if plan.adaptive is not None:
        begin["adaptive"] = plan.adaptive.model_dump(mode="json")
    if plan.output is not None:
        interact = plan.output.model_dump(mode="json")
    return begin, interact


def _output_of(step_id: str) -> str:
    return "{{ steps." + step_id + ".output }}"


def _plan_problems(exc: ValidationError, document: dict) -> list[Problem]:
    """Pydantic errors on the compiled plan, located on the node whose step is at fault."""
    problems = []
    for err in exc.errors(include_url=False, include_input=False):
        node_id, value = None, document
        for part in err["loc"]:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                continue  # a union tag such as "agent": not a key of the document
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                node_id = value["id"]
        field_ = ".".join(str(p) for p in err["loc"])
        problems.append(Problem(message=err["msg"], field=field_, node=node_id))
    return problems


class _NodeLinks:
    """A node's edges as its step type's graph → plan mapping asks for them (NodeLinks)."""

    def __init__(self, node: _Node, a: _Analysis, agent_slug, is_step):
        self.node, self.a, self.agent_slug, self.is_step = node, a, agent_slug, is_step

    def agent(self) -> str:
        return self.agent_slug(self.node)

    def delegated_agents(self) -> list[str]:
        nodes = self.a.nodes
        return _dedupe(
            self.agent_slug(nodes[s])
            for s in self.a.delegates.get(self.node.id, ())
            if nodes[s].type == "sub_agent"
        )

    def branch_targets(self, handle: str) -> list[str]:
        out = self.a.flow_out.get(self.node.id, ())
        return _dedupe(
            e.target for e in out if e.source_handle == handle and self.is_step(e.target)
        )


def _step_fields(node: _Node, a: _Analysis, agent_slug, is_step) -> dict[str, Any]:
    entry = BY_COMPONENT.get(node.type)
    if entry is None:  # pragma: no cover - every step component has a registry entry
        raise AssertionError(f"no compilation rule for component {node.type!r}")
    return entry.to_plan(node.config, _NodeLinks(node, a, agent_slug, is_step))


# ---------------------------------------------------------------------------------------------
# Plan → graph

WIDE_NODE_WIDTH = 240  # coordinators (styles.css)


def _node_config(step: Any) -> tuple[str, dict[str, Any]]:
    """The component type and config a plan step becomes on the canvas (canvas/step_types)."""
    entry = REGISTRY.get(step.type)
    if entry is None:  # pragma: no cover - every plan step type has a registry entry
        raise AssertionError(f"no canvas component for step type {step.type!r}")
    return entry.component, entry.to_node(step)


def plan_to_graph(plan: Plan) -> dict:
    """A React Flow graph for a plan, laid out left to right, for importing plans onto a canvas.

    One begin node (config: the plan's input schema), one node per step (ids = step ids),
    parallel branches connected from the parallel node's ``branches`` handle, each coordinator's
    agents as sub_agent nodes on its ``agents`` handle, flow edges from ``depends_on`` (steps
    with none hang off begin), and an interact node fed by ``plan.result`` — or, without a
    result, by the sink steps. A dependency on a condition comes out of its ``true`` handle
    when the step is in ``if_true``, ``false`` when in ``if_false``, both when in neither.
    Positions: `canvas.layout.layered_layout` (columns by longest path, sub-agents in a row
    beneath their coordinator).

    `compile_graph(plan_to_graph(plan))` gives back the same steps, dependencies and configs,
    except what the canvas cannot say: ``depends_on`` of parallel
    branches (dropped); a dependency on a branch (becomes one on its parallel step); a step in
    ``if_true``/``if_false`` that did not depend on the condition (now does); ``if_true`` /
    ``if_false`` order (comes back in step order); a coordinator's ``config.sub_agents``
    (comes back equal to ``agents``); ``input_schema``/``result`` as described above
    (``result`` None with one sink comes back as that sink; with several sinks, as the
    collecting transform `compile_graph` adds).
    """
    all_steps = plan.all_steps()
    by_id = {s.id: s for s in all_steps}
    graph = _GraphBuilder(used_ids=set(by_id))
    begin_settings, interact_settings = _plan_settings_on_nodes(plan)
    begin_config: dict[str, Any] = dict(begin_settings)
    if plan.input_schema is not None:
        begin_config["input_schema"] = plan.input_schema
    begin_id = graph.fresh_id("begin")
    graph.add_node(begin_id, "begin", "Begin", begin_config)
    for step in plan.steps:
        graph.add_step(step)

    flow_steps = [s for s in all_steps if s.id not in graph.parallel_of]
    needed = _connect_dependencies(graph, flow_steps, by_id, begin_id)
    needed |= _connect_condition_targets(graph, all_steps, by_id)
    feeders = _answer_feeders(plan, by_id, needed, graph.parallel_of)
    interact_id = graph.fresh_id("interact")
    graph.add_node(interact_id, "interact", "Answer", interact_settings)
    for feeder in feeders:
        for handle in _condition_handles(by_id[feeder], interact_id):
            graph.add_edge(feeder, interact_id, handle)
    return graph.build()


class _GraphBuilder:
    """The nodes and edges of one plan's graph, in the order `plan_to_graph` adds them
    (edge ids count up, so the order is part of the result)."""

    def __init__(self, used_ids: set[str]) -> None:
        self.used = used_ids
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.delegate_ids: dict[str, list[str]] = {}  # coordinator id → its sub_agent node ids
        self.parallel_of: dict[str, str] = {}  # branch id → its top-level parallel step id

    def fresh_id(self, base: str) -> str:
        """An unused node id that is a valid step id, starting from `base` (itself valid)."""
        candidate, n = base, 2
        while candidate in self.used or not _STEP_ID_RE.fullmatch(candidate):
            candidate, n = f"{base[:58]}_{n}", n + 1
        self.used.add(candidate)
        return candidate

    def add_node(
        self, node_id: str, type_: str, label: str, config: dict, step: dict | None = None
    ) -> None:
        data: dict[str, Any] = {"label": label, "config": config}
        if step:
            data["step"] = step
        self.nodes.append(
            {"id": node_id, "type": type_, "position": {"x": 0, "y": 0}, "data": data}
        )

    def add_edge(
        self, source: str, target: str, source_handle: str = "out", target_handle: str = "in"
    ) -> None:
        self.edges.append(
            {
                "id": f"e{len(self.edges) + 1}",
                "source": source,
                "target": target,
                "sourceHandle": source_handle,
                "targetHandle": target_handle,
            }
        )

    def linked_pairs(self) -> set[tuple[str, str]]:
        return {(e["source"], e["target"]) for e in self.edges}

    def add_step(self, step: Any) -> None:
        """The step's node, then its coordinator's agents or its parallel branches."""
        type_, config = _node_config(step)
        fields = _OPTION_FIELDS[type_]
        options = step.model_dump(mode="json", include=set(fields), exclude_defaults=True)
        self.add_node(step.id, type_, step.name or step.id, config, options or None)
        if step.type == "coordinator":
            self._add_delegates(step)
        if step.type == "parallel":
            self._add_branches(step)

    def _add_delegates(self, coordinator: Any) -> None:
        for slug in _dedupe(coordinator.agents):
            base = f"{coordinator.id}_{slug}"
            agent_id = self.fresh_id(base if _STEP_ID_RE.fullmatch(base) else "agent")
            self.add_node(agent_id, "sub_agent", slug, {"agent": slug})
            self.add_edge(coordinator.id, agent_id, "agents", DELEGATE_TARGET_HANDLE)
            self.delegate_ids.setdefault(coordinator.id, []).append(agent_id)

    def _add_branches(self, parallel: Any) -> None:
        for branch in parallel.branches:
            self.parallel_of[branch.id] = self.parallel_of.get(parallel.id, parallel.id)
            self.add_step(branch)
            self.add_edge(parallel.id, branch.id, "branches", "in")

    def build(self) -> dict:
        _layout(self.nodes, self.edges, self.delegate_ids)
        return {"nodes": self.nodes, "edges": self.edges, "viewport": {"x": 0, "y": 0, "zoom": 1}}


def _condition_handles(source: Any, target: str) -> list[str]:
    """The handles an edge from `source` to `target` leaves by: a condition's ``true`` and/or
    ``false`` (both when the target is in neither list), any other step's ``out``."""
    if source.type != "condition":
        return ["out"]
    handles = [
        h for h, ids in (("true", source.if_true), ("false", source.if_false)) if target in ids
    ]
    return handles or ["true", "false"]


def _connect_dependencies(
    graph: _GraphBuilder, steps: list[Any], by_id: dict[str, Any], begin_id: str
) -> set[str]:
    """Flow edges from each step's dependencies (from begin when it has none); returns the
    steps something depends on."""
    needed: set[str] = set()
    for step in steps:
        deps = [d for d in _dedupe(step.depends_on) if d in by_id]
        needed.update(deps)
        if not deps:
            graph.add_edge(begin_id, step.id)
        for dep in deps:
            for handle in _condition_handles(by_id[dep], step.id):
                graph.add_edge(dep, step.id, handle)
    return needed


def _connect_condition_targets(
    graph: _GraphBuilder, steps: list[Any], by_id: dict[str, Any]
) -> set[str]:
    """Edges to condition targets that do not depend on their condition; returns the
    conditions that gained one."""
    linked = graph.linked_pairs()
    needed: set[str] = set()
    for step in steps:
        if step.type != "condition":
            continue
        for handle, targets in (("true", step.if_true), ("false", step.if_false)):
            for target in targets:
                if target in by_id and (step.id, target) not in linked:
                    graph.add_edge(step.id, target, handle)
                    linked.add((step.id, target))
                    needed.add(step.id)
    return needed


def _answer_feeders(
    plan: Plan, by_id: dict[str, Any], needed: set[str], parallel_of: dict[str, str]
) -> list[str]:
    """The steps that feed the interact node: ``plan.result``, or else the top-level steps
    nothing depends on (the last step when every one is needed)."""
    if plan.result and plan.result in by_id:
        return [plan.result]
    needed_top_level = {parallel_of.get(n, n) for n in needed}
    feeders = [s.id for s in plan.steps if s.id not in needed_top_level]
    return feeders or [plan.steps[-1].id]


def _layout(nodes: list[dict], edges: list[dict], delegate_ids: dict[str, list[str]]) -> None:
    """Positions from `canvas.layout`: layered columns, each coordinator's sub-agents in a row."""
    delegated = {d for ids in delegate_ids.values() for d in ids}
    order = [n["id"] for n in nodes if n["id"] not in delegated]
    flow = [(e["source"], e["target"]) for e in edges if e["sourceHandle"] != "agents"]
    widths = {n["id"]: WIDE_NODE_WIDTH for n in nodes if n["type"] == "coordinator"}
    position = layered_layout(order, flow, delegate_ids, widths)
    for node in nodes:
        x, y = position[node["id"]]
        node["position"] = {"x": x, "y": y}
