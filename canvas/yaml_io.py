"""Plan YAML and workflow.yaml import/export (docs/plans-yaml.md). Pure functions, no ORM.

Import is `load_yaml` (bounded safe loading) then `plan_from_document` (which form, then
pydantic and the structural checks of `canvas.plan.plan_problems`). Every refusal is an
`InvalidDocument` whose problems carry a dotted `field` ("steps.1.depends_on.0"), the step id
in `node` where known, and a message.

Safe loading
    Built on `yaml.SafeLoader` (pure Python, so the composer can be bounded). Only plain data
    is accepted: strings, numbers, booleans, null, lists and mappings. Explicit tags outside
    that set (`!!python/...`, `!!binary`, `!!set`, `!!timestamp`, local `!tags`) are refused
    before anything is constructed; dates and `=` stay strings. Nothing is ever executed.

    Limits: `max_bytes` (size of the UTF-8 text), `max_depth` (nested lists/mappings) and
    `max_nodes`. Nodes are counted while the document is composed, and an alias counts the
    full expanded size of what it points to, so a "billion laughs" bomb is refused as soon as
    its expansion would pass `max_nodes` — nothing is ever expanded. Likewise the scalar text
    of the expanded document may not exceed `max_bytes` characters (an alias to a long string
    repeated many times). The rule: a document with aliases is accepted only if writing it
    out without them would be. Aliases and merge keys
    (`<<: *base`) are allowed within that budget; an alias to a collection that contains it
    (a recursive structure) is refused. Mapping keys must be strings (`yes:`, `1:`, `~:` are
    refused: quote them) and may appear once per mapping.

Callers inside Django pass `**yaml_limits()` (settings.BATON_YAML_MAX_BYTES / _DEPTH / _NODES).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import yaml
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from pydantic_core import to_jsonable_python
from yaml.events import (
    AliasEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from canvas.errors import InvalidDocument, Problem
from canvas.plan import (
    STEP_ID_PATTERN,
    STEP_TYPES,
    ConditionStep,
    OutputSpec,
    ParallelStep,
    Plan,
    PlanProblem,
    Step,
    StepBase,
    Strict,
    TransformStep,
    find_cycle,
    plan_problems,
)
from coordinator.unstorable import first_unstorable

DEFAULT_MAX_BYTES = 512 * 1024
DEFAULT_MAX_DEPTH = 32
DEFAULT_MAX_NODES = 50_000

DOCUMENT = "document"  # the `field` of problems about the document as a whole

__all__ = [
    "draft_to_yaml",
    "dump_yaml",
    "load_yaml",
    "plan_and_ui_from_yaml",
    "plan_from_document",
    "plan_from_yaml",
    "plan_to_yaml",
    "workflow_to_plan",
    "yaml_limits",
]


def yaml_limits() -> dict[str, int]:
    """The configured limits (settings.BATON_YAML_MAX_*), or the defaults outside Django."""
    limits = {
        "max_bytes": DEFAULT_MAX_BYTES,
        "max_depth": DEFAULT_MAX_DEPTH,
        "max_nodes": DEFAULT_MAX_NODES,
    }
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is a dependency
        return limits
    if settings.configured:
        limits["max_bytes"] = getattr(settings, "BATON_YAML_MAX_BYTES", DEFAULT_MAX_BYTES)
        limits["max_depth"] = getattr(settings, "BATON_YAML_MAX_DEPTH", DEFAULT_MAX_DEPTH)
        limits["max_nodes"] = getattr(settings, "BATON_YAML_MAX_NODES", DEFAULT_MAX_NODES)
    return limits


# --------------------------------------------------------------------------- safe loading

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_MERGE = _TAG + "merge"
_ALLOWED_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map"))
_DROPPED_IMPLICIT = frozenset({_TAG + "timestamp", _TAG + "value"})


class _Refused(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.problem = Problem(field=field or DOCUMENT, message=message)


def _at(mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "?"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader whose composer counts expanded nodes and depth, checks tags and keys."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_IMPLICIT]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    yaml_constructors = {
        tag: constructor
        for tag, constructor in yaml.SafeLoader.yaml_constructors.items()
        if tag in _ALLOWED_TAGS or tag is None  # None: construct_undefined (refuses)
    }
    yaml_multi_constructors: dict = {}

    def __init__(self, stream: str, *, max_depth: int, max_nodes: int, max_chars: int):
        super().__init__(stream)
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.max_chars = max_chars
        self.depth = 0  # collections open around the current node
        self.deepest = 0  # the deepest level reached inside the node being composed
        self.nodes = 0
        self.chars = 0
        # id(anchored node) -> (nodes, scalar characters, levels) it adds each time it is used
        self.weights: dict[int, tuple[int, int, int]] = {}
        self.path: list[str] = []
        self.key_problems: list[tuple[int, Problem]] = []  # (position, problem)

    def _field(self) -> str:
        return ".".join(self.path) or DOCUMENT

    def _count(self, nodes: int, chars: int, mark) -> None:
        self.nodes += nodes
        self.chars += chars
        if self.nodes > self.max_nodes:
            raise _Refused(
                self._field(),
                f"the document has more than {self.max_nodes:,} nodes once aliases are "
                f"expanded (at {_at(mark)}); refusing it as a possible YAML bomb",
            )
        if self.chars > self.max_chars:
            raise _Refused(
                self._field(),
                f"the document's text is longer than {self.max_chars:,} characters once "
                f"aliases are expanded (at {_at(mark)}); refusing it as a possible YAML bomb",
            )

    def get_single_node(self):
        self.get_event()  # stream start
        document = None
        if not self.check_event(StreamEndEvent):
            document = self.compose_document()
        if not self.check_event(StreamEndEvent):
            event = self.get_event()
            raise _Refused(
                DOCUMENT,
                "expected a single YAML document, but another one starts at "
                f"{_at(event.start_mark)}; import one document at a time",
            )
        self.get_event()  # stream end
        return document

    def compose_node(self, parent, index):
        segment = None
        if isinstance(parent, SequenceNode):
            segment = str(index)
        elif isinstance(parent, MappingNode) and index is not None:  # a value; index is its key
            segment = str(index.value) if isinstance(index, ScalarNode) else "?"
        if segment is not None:
            self.path.append(segment)
        try:
            return self._compose(parent, index)
        finally:
            if segment is not None:
                self.path.pop()

    def _compose(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self.get_event()
            target = self.anchors.get(event.anchor)
            if target is None:
                raise _Refused(
                    self._field(), f"undefined alias *{event.anchor} at {_at(event.start_mark)}"
                )
            weight = self.weights.get(id(target))
            if weight is None:
                raise _Refused(
                    self._field(),
                    f"alias *{event.anchor} at {_at(event.start_mark)} refers to a collection "
                    "that contains it; recursive structures are not allowed",
                )
            nodes, chars, height = weight
            self._deeper(self.depth + height, event.start_mark, " once aliases are expanded")
            self._count(nodes, chars, event.start_mark)
            return target
        tag = event.tag
        if tag not in (None, "!") and tag not in _ALLOWED_TAGS:
            raise _Refused(
                self._field(),
                f"tag {_short_tag(tag)} at {_at(event.start_mark)} is not allowed; only plain "
                "data (strings, numbers, booleans, null, lists, mappings) can be imported",
            )
        collection = isinstance(event, SequenceStartEvent | MappingStartEvent)
        start_depth, outer_deepest = self.depth, self.deepest
        self.deepest = self.depth
        if collection:
            self.depth += 1
            self._deeper(self.depth, event.start_mark)
        before = (self.nodes, self.chars)
        self._count(1, len(event.value) if isinstance(event, ScalarEvent) else 0, event.start_mark)
        node = super().compose_node(parent, index)
        self.depth = start_depth
        if isinstance(node, MappingNode):
            self._check_keys(node)
        if event.anchor is not None:
            height = self.deepest - start_depth
            self.weights[id(node)] = (self.nodes - before[0], self.chars - before[1], height)
        self.deepest = max(outer_deepest, self.deepest)
        return node

    def _deeper(self, level: int, mark, how: str = "") -> None:
        if level > self.max_depth:
            raise _Refused(
                self._field(),
                f"the document is nested more than {self.max_depth} levels deep{how} "
                f"(at {_at(mark)})",
            )
        self.deepest = max(self.deepest, level)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, TypeError) as exc:  # !!int "x", !!bool "maybe", 5000 digits
            raise _Refused(
                DOCUMENT,
                f"the value {_preview(node)} at {_at(node.start_mark)} cannot be read as "
                f"{_short_tag(node.tag)}: {exc}",
            ) from None

    def _key_problem(self, key, field: str, message: str) -> None:
        problem = Problem(field=field or DOCUMENT, message=f"{message} (at {_at(key.start_mark)})")
        self.key_problems.append((key.start_mark.index, problem))

    def _check_keys(self, node: MappingNode) -> None:
        seen: set[str] = set()
        for key, _value in node.value:
            if key.tag == _MERGE:
                continue
            if not (isinstance(key, ScalarNode) and key.tag == _STR):
                if isinstance(key, ScalarNode):
                    found = f"{key.value!r}, read as {_short_tag(key.tag)[2:]}; quote it"
                else:
                    found = "a list" if isinstance(key, SequenceNode) else "a mapping"
                where = [*self.path, key.value] if isinstance(key, ScalarNode) else self.path
                self._key_problem(
                    key, ".".join(where), f"mapping keys must be strings: found {found}"
                )
            elif key.value in seen:
                self._key_problem(
                    key,
                    ".".join([*self.path, key.value]),
                    f"duplicate key {key.value!r}; a key may appear only once in a mapping",
                )
            else:
                seen.add(key.value)


def _preview(node) -> str:
    if isinstance(node, ScalarNode):
        return repr(node.value if len(node.value) <= 40 else node.value[:40] + "…")
    return "(a collection)"


def _yaml_error_message(exc: yaml.YAMLError, text: str) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML syntax error at {_at(mark)}: {exc.problem or exc.context}"
        if exc.context and exc.problem and exc.context_mark is not None:
            message += f" ({exc.context} at {_at(exc.context_mark)})"
        return message
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return (
            f"unacceptable character #x{exc.character:04x} at line {line}, column {column}: "
            "control characters are not allowed"
        )
    return f"YAML error: {exc}"  # pragma: no cover - every PyYAML error is one of the above


def _decode(text: str | bytes, max_bytes: int) -> str:
    if isinstance(text, bytes | bytearray):
        if len(text) > max_bytes:
            raise _Refused(
                DOCUMENT, f"the document is {len(text):,} bytes; the limit is {max_bytes:,} bytes"
            )
        try:
            decoded = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Refused(
                DOCUMENT,
                f"the document is not valid UTF-8 (byte 0x{text[exc.start]:02x} at offset "
                f"{exc.start})",
            ) from None
    elif isinstance(text, str):
        if len(text) > max_bytes:
            raise _Refused(
                DOCUMENT,
                f"the document is at least {len(text):,} bytes; the limit is {max_bytes:,} bytes",
            )
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:
            raise _Refused(
                DOCUMENT, f"the document is not valid UTF-8 (lone surrogate at offset {exc.start})"
            ) from None
        if size > max_bytes:
            raise _Refused(
                DOCUMENT, f"the document is {size:,} bytes; the limit is {max_bytes:,} bytes"
            )
        decoded = text
    else:
        raise TypeError(f"load_yaml needs str or bytes, not {type(text).__name__}")
    return decoded.removeprefix("\ufeff")


def load_yaml(
    text: str | bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Any:
    """Parse one YAML document of plain data, within the limits, or raise InvalidDocument."""
    problems: list[Problem] = []
    data: Any = None
    source = ""
    loader = None
    try:
        source = _decode(text, max_bytes)
        loader = _BoundedLoader(
            source, max_depth=max_depth, max_nodes=max_nodes, max_chars=max_bytes
        )
        node = loader.get_single_node()
        if node is None or (isinstance(node, ScalarNode) and node.tag == _TAG + "null"):
            raise _Refused(DOCUMENT, "the document is empty")
        if loader.key_problems:
            problems = [problem for _, problem in sorted(loader.key_problems, key=lambda p: p[0])]
        else:
            data = loader.construct_document(node)
            found = first_unstorable(data)  # "\0" and "\udfff" escapes make unstorable text
            if found:
                problems = [Problem(field=found[0] or DOCUMENT, message=found[1])]
    except _Refused as refused:
        problems = [refused.problem]
    except yaml.YAMLError as exc:
        problems = [Problem(field=DOCUMENT, message=_yaml_error_message(exc, source))]
    except RecursionError:
        problems = [Problem(field=DOCUMENT, message="the document is nested too deeply")]
    finally:
        if loader is not None:
            loader.dispose()
    if problems:
        raise InvalidDocument(problems, summary="Invalid YAML document.")
    return data


# --------------------------------------------------------------------------- plans


UI = "ui"  # the optional canvas section of plan YAML (canvas/ui_section.py reads it)


def plan_from_yaml(text: str | bytes, **limits: int) -> Plan:
    """A Plan from plan YAML or workflow.yaml (detected), or InvalidDocument with every problem.

    `limits` are load_yaml's max_bytes / max_depth / max_nodes. A `ui:` section is ignored
    here; `plan_and_ui_from_yaml` returns it.
    """
    return plan_and_ui_from_yaml(text, **limits)[0]


def plan_and_ui_from_yaml(text: str | bytes, **limits: int) -> tuple[Plan, Any]:
    """The Plan and the raw `ui:` section (None without one) of plan YAML or workflow.yaml."""
    data = load_yaml(text, **limits)
    ui = None
    if isinstance(data, dict) and UI in data:
        data = dict(data)
        ui = data.pop(UI)
    return plan_from_document(data), ui


def plan_from_document(data: Any) -> Plan:
    """A Plan from already-parsed data: `workflow:` mapping → workflow.yaml, `steps:` → plan."""
    if not isinstance(data, dict):
        raise InvalidDocument(
            [
                Problem(
                    field=DOCUMENT,
                    message="expected a mapping with a top-level 'steps:' list (a plan) or "
                    f"'workflow:' mapping (a workflow.yaml); found {_kind(data)}",
                )
            ],
            summary="Invalid plan.",
        )
    if "workflow" in data and "steps" in data:
        raise InvalidDocument(
            [
                Problem(
                    field=DOCUMENT,
                    message="the document has both 'workflow:' (workflow.yaml) and 'steps:' "
                    "(plan); keep one of them",
                )
            ],
            summary="Invalid plan.",
        )
    if "workflow" in data:
        return workflow_to_plan(data)
    if "steps" in data:
        return _plan_from_dict(data)
    found = ", ".join(repr(str(key)) for key in list(data)[:10]) or "none"
    raise InvalidDocument(
        [
            Problem(
                field="steps",
                message="not a plan or a workflow.yaml: a plan needs a top-level 'steps:' list, "
                f"a workflow.yaml a top-level 'workflow:' mapping (found keys: {found})",
            )
        ],
        summary="Invalid plan.",
    )


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def _plan_from_dict(data: dict) -> Plan:
    problems: list[Problem] = []
    plan: Plan | None = None
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, data))
    structural = plan_problems(plan if plan is not None else _skeleton(data))
    problems.extend(_located(structural, _step_paths(data.get("steps"), "steps")))
    if problems:
        raise InvalidDocument(problems, summary=f"Invalid plan: {len(problems)} problem(s).")
    assert plan is not None
    return plan


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _skeleton(data: dict) -> Plan:
    """Just the ids and references of a plan pydantic refused, so structural checks still run."""

    def step(raw: Any):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            return None
        fields: dict[str, Any] = {"id": raw["id"], "depends_on": _strings(raw.get("depends_on"))}
        kind = raw.get("type")
        if kind == "condition":
            fields["if_true"] = _strings(raw.get("if_true"))
            fields["if_false"] = _strings(raw.get("if_false"))
            return ConditionStep.model_construct(**fields)
        if kind == "parallel":
            fields["branches"] = steps(raw.get("branches"))
            return ParallelStep.model_construct(**fields)
        return TransformStep.model_construct(**fields)

    def steps(raw: Any) -> list:
        return [s for s in map(step, raw) if s is not None] if isinstance(raw, list) else []

    result = data.get("result") if isinstance(data.get("result"), str) else None
    return Plan.model_construct(steps=steps(data.get("steps")), result=result)


def _step_paths(raw_steps: Any, prefix: str) -> dict[str, list[str]]:
    """Step id -> dotted paths of the steps with that id (branches included), in order."""
    paths: dict[str, list[str]] = {}

    def walk(raw: Any, base: str) -> None:
        if not isinstance(raw, list):
            return
        for i, item in enumerate(raw):
            if isinstance(item, dict):
                if isinstance(item.get("id"), str):
                    paths.setdefault(item["id"], []).append(f"{base}.{i}")
                walk(item.get("branches"), f"{base}.{i}.branches")

    walk(raw_steps, prefix)
    return paths


def _located(structural: list[PlanProblem], paths: dict[str, list[str]]) -> list[Problem]:
    problems = []
    duplicates: Counter[str] = Counter()
    for p in structural:
        if p.step is None:
            problems.append(Problem(field=p.field, message=p.message))
            continue
        where = paths.get(p.step, [])
        if p.field == "id":  # the n-th repeat of an id
            duplicates[p.step] += 1
            index = min(duplicates[p.step], len(where) - 1)
        else:
            index = 0
        base = where[index] if where else "steps"
        problems.append(Problem(field=f"{base}.{p.field}", node=p.step, message=p.message))
    return problems


_STEP_LISTS = ("steps", "branches", "agents")


def _validation_problems(exc: ValidationError, data: Any) -> list[Problem]:
    """Pydantic errors as Problems: dotted paths into the document, the step id as `node`."""
    problems = []
    for error in exc.errors(include_url=False):
        path: list[str | int] = []
        node: str | None = None
        current: Any = data
        in_step = False
        for segment in error["loc"]:
            if in_step and isinstance(current, dict) and segment == current.get("type"):
                in_step = False  # the discriminator tag pydantic puts in the location
                continue
            in_step = False
            path.append(segment)
            if isinstance(current, dict) and isinstance(segment, str):
                current = current.get(segment)
            elif isinstance(current, list) and isinstance(segment, int) and segment < len(current):
                current = current[segment]
            else:
                current = None
            if (
                len(path) >= 2
                and path[-2] in _STEP_LISTS
                and isinstance(path[-1], int)
                and isinstance(current, dict)
            ):
                in_step = path[-2] != "agents"  # plan steps are a tagged union; agents are not
                if isinstance(current.get("id"), str):
                    node = current["id"]
                elif isinstance(current.get("name"), str):
                    node = current["name"]
        kind = error["type"]
        if kind in ("union_tag_invalid", "union_tag_not_found"):
            path.append("type")
            valid = ", ".join(STEP_TYPES)
            if kind == "union_tag_invalid":
                message = f"unknown step type {error['ctx']['tag']!r}; valid types: {valid}"
            else:
                message = f"a step needs a 'type'; valid types: {valid}"
        elif kind == "missing":
            message = "this field is required"
        elif kind == "extra_forbidden":
            message = f"unknown field {path[-1]!r}"
        else:
            message = error["msg"].removeprefix("Value error, ")
        field = ".".join(str(p) for p in path) or DOCUMENT
        problems.append(Problem(field=field, node=node, message=message))
    return problems


# --------------------------------------------------------------------------- workflow.yaml


class _WorkflowAgent(Strict):
    name: str = Field(pattern=STEP_ID_PATTERN)
    type: str | None = Field(default=None, min_length=1, max_length=100)
    goal: str | None = Field(default=None, max_length=20_000)


class _Workflow(Strict):
    name: str = Field(min_length=1, max_length=200)
    orchestration_agent: str | None = Field(default=None, max_length=200)
    goal: str | None = Field(default=None, max_length=4000)
    agents: list[_WorkflowAgent] = Field(min_length=1, max_length=5000)
    dependencies: Any = None  # parsed by _parse_dependencies
    strategy: str | None = Field(default=None, max_length=200)
    max_retries: int = Field(default=0, ge=0)
    human_approval: bool = False
    output: OutputSpec | None = None


class _WorkflowDocument(Strict):
    workflow: _Workflow


_RETRY_LIMIT = next(
    m.le for m in StepBase.model_fields["retries"].metadata if getattr(m, "le", None) is not None
)


class _ChainError(Exception):
    pass


def _tokens(chain: str) -> list[tuple[str, str, int]]:
    """Tokens of one dependency chain: ("name", text, column) | ("->" | "[" | "]" | ",", …)."""
    tokens = []
    i, n = 0, len(chain)
    while i < n:
        char = chain[i]
        if char.isspace():
            i += 1
        elif chain.startswith("->", i) or char == "→":
            width = 2 if char == "-" else 1
            tokens.append(("->", chain[i : i + width], i + 1))
            i += width
        elif char in "[],":
            tokens.append((char, char, i + 1))
            i += 1
        else:
            start = i
            while (
                i < n
                and not chain[i].isspace()
                and chain[i] not in "[],→"
                and not chain.startswith("->", i)
            ):
                i += 1
            tokens.append(("name", chain[start:i], start + 1))
    return tokens


def _parse_chain(chain: str) -> list[list[str]]:
    """Parse one chain: 'a -> [b, c] -> d' → [["a"], ["b", "c"], ["d"]]. No recursion, no eval."""
    tokens = _tokens(chain)
    groups: list[list[str]] = []
    i = 0

    def describe(pos: int) -> str:
        return f"{tokens[pos][1]!r} at column {tokens[pos][2]}" if pos < len(tokens) else "the end"

    while True:
        if i < len(tokens) and tokens[i][0] == "name":
            groups.append([tokens[i][1]])
            i += 1
        elif i < len(tokens) and tokens[i][0] == "[":
            i += 1
            group: list[str] = []
            while True:
                if i < len(tokens) and tokens[i][0] == "name":
                    group.append(tokens[i][1])
                    i += 1
                else:
                    raise _ChainError(f"expected an agent name, found {describe(i)}")
                if i < len(tokens) and tokens[i][0] == ",":
                    i += 1
                elif i < len(tokens) and tokens[i][0] == "]":
                    i += 1
                    break
                else:
                    raise _ChainError(f"expected ',' or ']', found {describe(i)}")
            groups.append(group)
        else:
            raise _ChainError(f"expected an agent name or '[', found {describe(i)}")
        if i == len(tokens):
            return groups
        if tokens[i][0] != "->":
            raise _ChainError(f"expected '->', found {describe(i)}")
        i += 1


def _parse_dependencies(
    raw: Any, agents: list[str], problems: list[Problem]
) -> dict[str, list[str]]:
    """Agent name -> names it depends on, from "a -> b" chains (a string or a list of them)."""
    deps: dict[str, list[str]] = {name: [] for name in agents}
    field = "workflow.dependencies"
    if raw is None:
        return deps
    if isinstance(raw, str):
        items = [(field, raw)]
    elif isinstance(raw, list):
        items = [(f"{field}.{i}", item) for i, item in enumerate(raw)]
    else:
        problems.append(
            Problem(
                field=field,
                message=f"expected a chain like 'a -> b -> c' or a list of them; found {_kind(raw)}",
            )
        )
        return deps
    known = set(agents)
    for where, text in items:
        if not isinstance(text, str):
            problems.append(
                Problem(field=where, message=f"expected a chain like 'a -> b'; found {_kind(text)}")
            )
            continue
        for chain in re.split(r"[\n;]", text):
            if not chain.strip():
                continue
            try:
                groups = _parse_chain(chain)
            except _ChainError as exc:
                problems.append(Problem(field=where, message=f"in {chain.strip()!r}: {exc}"))
                continue
            unknown = [name for group in groups for name in group if name not in known]
            for name in dict.fromkeys(unknown):
                problems.append(
                    Problem(
                        field=where,
                        node=name,
                        message=f"unknown agent {name!r} in dependencies; agents are: "
                        + ", ".join(agents),
                    )
                )
            if unknown:
                continue
            for before, after in zip(groups, groups[1:], strict=False):
                for later in after:
                    for earlier in before:
                        if earlier not in deps[later]:
                            deps[later].append(earlier)
    return deps


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")[:100]


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def workflow_to_plan(doc: dict) -> Plan:
    """A Plan from the workflow.yaml form (reference 004). Import only: export is plan YAML.

    Mapping rules:
    - each agent becomes an agent step: id = its name, agent = the name slugified (the
      registry slug), query = its goal, retries = max_retries (clamped to the step limit,
      10), name = "NAME (TYPE)" when the agent has a type;
    - `dependencies` ("a -> b -> c", "a -> [b, c] -> d", or a list of such chains; one chain
      per line or separated by ';') become depends_on; agents in no chain have none, so a
      parallel strategy without dependencies simply runs every agent at once;
    - `strategy: sequential` without dependencies runs the agents one after another in the
      listed order; `parallel` (or no strategy) leaves agents no chain orders free to run at
      once; any other strategy, and `orchestration_agent`, are refused with what to write
      instead (`_unsupported_workflow_fields`);
    - goal goes into the plan description ("Goal: …"); output becomes the plan's output spec;
    - the result: the sink agent (the one nothing depends on) when there is exactly one and
      no approval. With `human_approval: true`, an "approval" step waits on every sink and a
      transform step "output" after it passes the sink outputs through; the result is
      "output", so nothing is released before a human approves. Several sinks and no
      approval: "output" collects them directly.
    """
    problems: list[Problem] = []
    workflow: _Workflow | None = None
    try:
        workflow = _WorkflowDocument.model_validate(doc).workflow
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, doc))

    raw = doc.get("workflow") if isinstance(doc, dict) else None
    raw = raw if isinstance(raw, dict) else {}
    raw_agents = raw.get("agents") if isinstance(raw.get("agents"), list) else []
    names: list[str] = []
    for i, agent in enumerate(raw_agents):
        name = agent.get("name") if isinstance(agent, dict) else None
        if not isinstance(name, str):
            continue
        if name in names:
            problems.append(
                Problem(
                    field=f"workflow.agents.{i}.name",
                    node=name,
                    message=f"duplicate agent name {name!r}",
                )
            )
            continue
        names.append(name)
        if workflow is not None and not _slug(name):
            problems.append(
                Problem(
                    field=f"workflow.agents.{i}.name",
                    node=name,
                    message=f"{name!r} has no letters or digits to make an agent slug from",
                )
            )
    deps = _parse_dependencies(raw.get("dependencies"), names, problems)
    cycle = find_cycle(deps)
    if cycle:
        problems.append(
            Problem(
                field="workflow.dependencies",
                node=cycle[0],
                message="cycle: " + " -> ".join(cycle),
            )
        )
    if workflow is not None:
        problems.extend(_unsupported_workflow_fields(workflow))
    if problems or workflow is None:
        raise InvalidDocument(problems, summary=f"Invalid workflow: {len(problems)} problem(s).")
    if workflow.strategy == "sequential" and raw.get("dependencies") is None:
        deps = _one_after_another(names)

    retries = min(workflow.max_retries, _RETRY_LIMIT)
    steps: list[dict[str, Any]] = []
    for agent in workflow.agents:
        step: dict[str, Any] = {"id": agent.name, "type": "agent", "agent": _slug(agent.name)}
        if agent.type:
            step["name"] = f"{agent.name} ({agent.type})"
        if deps[agent.name]:
            step["depends_on"] = deps[agent.name]
        if agent.goal:
            step["query"] = agent.goal
        if retries:
            step["retries"] = retries
        steps.append(step)

    needed = {dep for agent_deps in deps.values() for dep in agent_deps}
    sinks = [name for name in names if name not in needed]
    taken = set(names)
    result = sinks[-1]
    if workflow.human_approval or len(sinks) > 1:
        gate = sinks
        if workflow.human_approval:
            approval = _unique("approval", taken)
            steps.append(
                {
                    "id": approval,
                    "type": "human_approval",
                    "depends_on": sinks,
                    "prompt": f"Approve the result of workflow {workflow.name!r} before it is "
                    "released",
                }
            )
            gate = [approval]
        result = _unique("output", taken)
        passed = (
            f"{{{{ steps.{sinks[0]}.output }}}}"
            if len(sinks) == 1
            else {sink: f"{{{{ steps.{sink}.output }}}}" for sink in sinks}
        )
        steps.append({"id": result, "type": "transform", "depends_on": gate, "output": passed})

    plan_data: dict[str, Any] = {"name": workflow.name, "steps": steps, "result": result}
    if workflow.goal:
        plan_data["description"] = f"Goal: {workflow.goal}"
    if workflow.output is not None:
        plan_data["output"] = workflow.output.model_dump()
    return _plan_from_dict(plan_data)


WORKFLOW_STRATEGIES = ("sequential", "parallel")


def _unsupported_workflow_fields(workflow: _Workflow) -> list[Problem]:
    """workflow.yaml fields Baton cannot honour as written, each with what to write instead."""
    problems: list[Problem] = []
    agents = [agent.name for agent in workflow.agents]
    if workflow.orchestration_agent:
        name = _slug(workflow.orchestration_agent) or "coordinator"
        goal = workflow.goal or "the goal"
        problems.append(
            Problem(
                field="workflow.orchestration_agent",
                message="Baton does not pick an orchestration agent from workflow.yaml: it runs "
                "the listed agents as steps in the order `dependencies` gives. Remove "
                "orchestration_agent; or, to let a Coordinator choose and order agents for a "
                "goal, import plan YAML with a coordinator step instead: "
                f"`steps: [{{id: {name}, type: coordinator, agents: [{', '.join(agents)}], "
                f"query: {goal!r}}}]`",
            )
        )
    strategy = workflow.strategy
    if strategy is not None and strategy not in WORKFLOW_STRATEGIES:
        problems.append(
            Problem(
                field="workflow.strategy",
                message=f"unknown strategy {strategy!r}; write `sequential` (each agent after "
                "the one before it, or in the order `dependencies` gives) or `parallel` (agents "
                "not ordered by `dependencies` run at the same time). For reviewers that work "
                "side by side, bracket them in dependencies, e.g. "
                "`writer -> [reviewer, fact_checker] -> formatter`",
            )
        )
    return problems


def _one_after_another(names: list[str]) -> dict[str, list[str]]:
    """strategy: sequential without dependencies: each agent waits for the one listed before it."""
    return {name: ([names[i - 1]] if i else []) for i, name in enumerate(names)}


# --------------------------------------------------------------------------- export

_STEP_KEYS_FIRST = ("id", "type", "name", "agent", "agents", "plan", "depends_on")


class _FlowMapping(dict):
    """A mapping written on one line ({x: 10, y: 20}), for the short entries of `ui:`."""


def flow_mapping(items: dict[str, Any]) -> dict[str, Any]:
    return _FlowMapping(items)


class _PlanDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):
        # "steps:\n  - id: …" as in docs/plans-yaml.md
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # the emitter falls back to quotes if it must
    return dumper.represent_scalar(_STR, value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    short = (
        all(isinstance(item, int | float | str) or item is None for item in value)
        and sum(len(str(item)) + 2 for item in value) <= 80
        and not any(isinstance(item, str) and "\n" in item for item in value)
    )  # depends_on: [extract] as in docs/plans-yaml.md; lists of mappings stay block style
    return dumper.represent_sequence(_TAG + "seq", value, flow_style=short)


_PlanDumper.add_representer(str, _represent_str)
_PlanDumper.add_representer(list, _represent_list)
_PlanDumper.add_representer(
    _FlowMapping,
    lambda dumper, value: dumper.represent_mapping(_TAG + "map", dict(value), flow_style=True),
)


def _minimal(model: BaseModel) -> dict[str, Any]:
    """A model's fields that differ from their defaults (steps always keep id and type)."""
    out: dict[str, Any] = {}
    is_step = isinstance(model, StepBase)
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        always = is_step and name in ("id", "type")
        if not (always or info.is_required()) and value == info.get_default(
            call_default_factory=True
        ):
            continue
        out[name] = _plain(value)
    if is_step:
        ordered = {key: out.pop(key) for key in _STEP_KEYS_FIRST if key in out}
        out = ordered | out
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _minimal(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return to_jsonable_python(value)


def plan_to_yaml(plan: Plan) -> str:
    """Plan YAML (docs/plans-yaml.md): keys in schema order, defaults left out; plan_from_yaml reads it back."""
    return dump_yaml(_minimal(plan))


_STEP_ADAPTER = TypeAdapter(Step)


def draft_to_yaml(document: dict[str, Any]) -> str:
    """A plan document that may not validate (a draft), written like `plan_to_yaml`.

    Each step that validates on its own is written minimal; the others as they are, without
    null or empty values, so the text shows what the draft says and the problems can be fixed.
    """
    try:
        return plan_to_yaml(Plan.model_validate(document))
    except ValidationError:
        pass
    out: dict[str, Any] = {"name": document.get("name")}
    if document.get("description"):
        out["description"] = document["description"]
    if document.get("input_schema") is not None:
        out["input_schema"] = document["input_schema"]
    out["steps"] = [_draft_step(step) for step in document.get("steps", [])]
    for key in ("result", "adaptive", "output"):
        if document.get(key) is not None:
            out[key] = _plain(document[key])
    return dump_yaml(out)


def _draft_step(step: dict[str, Any]) -> dict[str, Any]:
    try:
        return _minimal(_STEP_ADAPTER.validate_python(step))
    except ValidationError:
        pass
    out = {}
    for key in (*_STEP_KEYS_FIRST, *step):
        value = step.get(key)
        if key in out or value is None or value == [] or value == {}:
            continue
        if key == "branches":
            value = [_draft_step(branch) for branch in value]
        out[key] = _plain(value)
    return out


def dump_yaml(data: Any) -> str:
    """YAML as Baton writes it: keys in the given order, one document, block style."""
    return yaml.dump(
        data,
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,  # long lines stay whole; multi-line text is written as a | block
    )
