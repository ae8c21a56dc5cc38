"""Sandboxed ``{{ ... }}`` rendering and condition evaluation.

This module is the only place where user-written expressions are evaluated. It
uses Jinja2's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` (never
``eval``) and hardens it further:

* names: only ``input``, ``steps``, ``run``, ``step`` (whatever the caller puts
  in the context), ``now()``, a capped ``range()`` and ``dict()``. ``cycler``,
  ``joiner``, ``namespace`` and ``lipsum`` are removed; ``self`` and
  ``{% include/import/extends %}`` are refused when the expression is compiled.
* attributes: anything starting with ``_`` is refused (at compile time when it
  is written literally, by the sandbox at run time otherwise); ``str.format``
  runs through the sandbox's formatter, so ``'{0.__class__}'.format(1)`` fails.
* calls: only a whitelist is callable — the globals above, macros, ``loop``
  helpers and methods of plain data (``str``, ``int``, ``float``, ``list``,
  ``dict``, ``tuple``, ``set``). Methods of other objects (ORM rows, pydantic
  models, …) cannot be called, so pass plain data in the context.
* size: template source is capped at :data:`MAX_SOURCE_CHARS`, rendered text at
  :data:`MAX_OUTPUT_CHARS`; ``*``, ``**``, ``+``, ``%``, ``~`` and the
  amplifying filters/methods (``center``, ``indent``, ``format``, ``batch``,
  ``slice``, ``replace``, ``join``, ``sum``, ``ljust`` …) refuse results
  beyond those limits *before* building them; integers are capped at
  :data:`MAX_INT_BITS` bits.
* work: ``range()`` yields at most :data:`MAX_RANGE` items, and one render may
  perform at most :data:`MAX_STEPS` loop iterations and calls in total.

Every failure — syntax error, undefined name, refused operation, runtime error —
is raised as :class:`ExpressionError` with a message a user can act on.

In text templates, dicts and lists are rendered as JSON (what prompts and HTTP
payloads want); a string that is exactly one ``{{ expr }}`` renders to the
native value (dict, list, number, bool, None) instead of its text.
"""

from __future__ import annotations

import contextvars
import json
import math
import re
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import lru_cache, update_wrapper
from typing import Any, Literal

from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.runtime import BlockReference, LoopContext, Macro, StrictUndefined, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing as _MISSING
from jinja2.visitor import NodeTransformer

__all__ = [
    "MAX_INT_BITS",
    "MAX_ITEMS",
    "MAX_OUTPUT_CHARS",
    "MAX_RANGE",
    "MAX_SOURCE_CHARS",
    "MAX_STEPS",
    "ExpressionError",
    "evaluate",
    "is_true",
    "render",
    "validate_expression",
]

#: longest template / expression source accepted
MAX_SOURCE_CHARS = 10_000
#: longest text a render may produce (and longest string any operation may build)
MAX_OUTPUT_CHARS = 1_000_000
#: longest list/tuple an operation may build
MAX_ITEMS = 100_000
#: most items ``range()`` may produce
MAX_RANGE = 10_000
#: most loop iterations plus calls one render may perform
MAX_STEPS = 50_000
#: longest one render may run (checked between operations)
MAX_SECONDS = 5.0
#: largest integer (in bits) ``*`` and ``**`` may produce
MAX_INT_BITS = 4_096
#: deepest nesting of a native result
_MAX_DEPTH = 64

_DELIMITERS = ("{{", "{%", "{#")
_FORBIDDEN_NAMES = frozenset({"self"})
_SAFE_SELF_TYPES = (list, dict, tuple, set, frozenset)
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*?:([^{}]*)\}")


class ExpressionError(ValueError):
    """An expression could not be compiled or evaluated (or was refused)."""


# --------------------------------------------------------------------------- limits


#: the clock of MAX_SECONDS: the real one (the sandbox guards a worker's real time); a test
#: replaces it to make time pass deterministically
_monotonic = time.monotonic


class _Budget:
    __slots__ = ("chars", "deadline", "steps")

    def __init__(self) -> None:
        self.steps = 0
        self.chars = 0
        self.deadline = _monotonic() + MAX_SECONDS

    def produced(self, chars: int) -> None:
        """Count characters of result; one render (all its strings together) has one limit."""
        self.chars += chars
        if self.chars > MAX_OUTPUT_CHARS:
            raise SecurityError(
                f"the result is larger than the limit of {MAX_OUTPUT_CHARS:,} characters"
            )
        if _monotonic() > self.deadline:
            raise SecurityError(f"expression took longer than {MAX_SECONDS:g} seconds")

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise SecurityError(
                f"expression did too much work (more than {MAX_STEPS} loop iterations,"
                " calls and filters)"
            )
        if _monotonic() > self.deadline:
            raise SecurityError(f"expression took longer than {MAX_SECONDS:g} seconds")


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "baton_expression_budget", default=None
)


def _tick() -> None:
    budget = _budget.get()
    if budget is None:  # pragma: no cover - every entry point installs one
        budget = _Budget()
        _budget.set(budget)
    budget.tick()


def _refuse(what: str) -> SecurityError:
    return SecurityError(f"{what} exceeds the expression size limit")


def _approx_size(value: Any, limit: int = MAX_OUTPUT_CHARS) -> int:
    """Rough number of characters ``value`` renders to; stops counting past ``limit``."""
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2 + 2 * len(item)
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            total += max(1, item.bit_length() // 3)
        else:
            total += 8
    return total


def _check_str_len(length: int, what: str) -> None:
    if length > MAX_OUTPUT_CHARS:
        raise _refuse(what)


def _check_sequence(length: int, size: int, what: str) -> None:
    if length > MAX_ITEMS or size > MAX_OUTPUT_CHARS:
        raise _refuse(what)


def _check_int(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise _refuse("an integer")


def _check_result(value: Any) -> Any:
    if isinstance(value, str):
        _check_str_len(len(value), "a string")
    elif isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            raise _refuse("a list")
    else:
        _check_int(value)
    return value


def _check_format_spec(fmt: Any, args: Iterable[Any]) -> None:
    """Refuse ``%``/``str.format`` specs (or ``*``/nested widths) that pad to giant sizes."""
    if not isinstance(fmt, str):
        return
    for match in _PERCENT_SPEC.finditer(fmt):
        for number in match.groups():
            if number and number.isdigit() and int(number) > MAX_OUTPUT_CHARS:
                raise _refuse("a format width")
    for spec in _BRACE_SPEC.findall(fmt):
        for number in re.findall(r"\d+", spec):
            if int(number) > MAX_OUTPUT_CHARS:
                raise _refuse("a format width")
    if "*" in fmt or "{" in fmt:  # widths taken from the arguments
        for arg in args:
            if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_OUTPUT_CHARS:
                raise _refuse("a format width")


def _safe_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise SecurityError(f"range() is limited to {MAX_RANGE} items (asked for {len(rng)})")
    return rng


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _mul(left: Any, right: Any) -> Any:
    seq, count = (left, right) if isinstance(right, int) else (right, left)
    if isinstance(count, int) and not isinstance(seq, int | float):
        n = max(int(count), 0)
        if isinstance(seq, str):
            _check_str_len(len(seq) * n, "a repeated string")
        elif isinstance(seq, list | tuple):
            _check_sequence(len(seq) * n, _approx_size(seq) * n, "a repeated list")
    elif (
        isinstance(left, int)
        and isinstance(right, int)
        and left.bit_length() + right.bit_length() > MAX_INT_BITS
    ):
        raise _refuse("an integer")
    return left * right


def _pow(left: Any, right: Any) -> Any:
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and right > 0
        and abs(left) > 1
        and right * math.log2(abs(left)) > MAX_INT_BITS
    ):
        raise _refuse("a power")
    return left**right


def _add(left: Any, right: Any) -> Any:
    if isinstance(left, str) and isinstance(right, str):
        _check_str_len(len(left) + len(right), "a joined string")
    elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
        _check_sequence(
            len(left) + len(right), _approx_size(left) + _approx_size(right), "a joined list"
        )
    return _check_result(left + right)


def _mod(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        args = right if isinstance(right, tuple) else (right,)
        _check_format_spec(left, args)
    return _check_result(left % right)


def _concat(parts: Iterable[Any]) -> str:
    out: list[str] = []
    total = 0
    for part in parts:
        if isinstance(part, Undefined):
            text = str(part)  # StrictUndefined raises with a clear message
        else:
            size = _approx_size(part) if not isinstance(part, str) else len(part)
            _check_str_len(total + size, "a joined string")
            text = str(part)
        total += len(text)
        _check_str_len(total, "a joined string")
        out.append(text)
    return "".join(out)


def _guard_iter(iterable: Any) -> Iterator[Any]:
    for item in iterable:
        _tick()
        yield item


# --------------------------------------------------------------------------- filters


def _wrap_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    pre = _FILTER_PRECHECKS.get(name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _tick()
        if pre is not None:
            args, kwargs = pre(_strip_passed(func, args), args, kwargs)
        return _check_result(func(*args, **kwargs))

    return update_wrapper(wrapper, func)


def _strip_passed(func: Callable[..., Any], args: tuple) -> tuple:
    """The filter's own arguments, without the context/environment Jinja prepends."""
    return args[1:] if hasattr(func, "jinja_pass_arg") else args


def _pre_center(own: tuple, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    width = own[1] if len(own) > 1 else kwargs.get("width", 80)
    if isinstance(width, int) and width > MAX_OUTPUT_CHARS:
        raise _refuse("a centred string")
    return args, kwargs


def _pre_indent(own: tuple, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    text = str(own[0]) if own else ""
    width = own[1] if len(own) > 1 else kwargs.get("width", 4)
    per_line = len(width) if isinstance(width, str) else int(width or 0)
    _check_str_len(len(text) + per_line * (text.count("\n") + 1), "an indented string")
    return args, kwargs


def _pre_format(own: tuple, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    _check_format_spec(str(own[0]) if own else "", [*own[1:], *kwargs.values()])
    return args, kwargs


def _pre_batch(own: tuple, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    count = own[1] if len(own) > 1 else kwargs.get("linecount", kwargs.get("slices", 1))
    if isinstance(count, int) and count > MAX_ITEMS:
        raise _refuse("a batch")
    return args, kwargs


def _pre_replace(own: tuple, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    text = str(own[0]) if own else ""
    old = str(own[1]) if len(own) > 1 else str(kwargs.get("old", ""))
    new = str(own[2]) if len(own) > 2 else str(kwargs.get("new", ""))
    hits = text.count(old) if old else len(text) + 1
    _check_str_len(len(text) + hits * len(new), "a replaced string")
    return args, kwargs


def _pre_join(own: tuple, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    items = list(own[0]) if own else []
    sep = own[1] if len(own) > 1 else kwargs.get("d", "")
    size = sum(_approx_size(i) for i in items) + len(str(sep)) * len(items)
    _check_str_len(size, "a joined string")
    lead = len(args) - len(own)
    return (*args[:lead], items, *args[lead + 1 :]), kwargs


def _pre_sum(own: tuple, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    items = list(own[0]) if own else []
    start = kwargs.get("start", own[2] if len(own) > 2 else 0)
    if not isinstance(start, int | float):
        size = sum(_approx_size(i) for i in items)
        length = sum(len(i) for i in items if isinstance(i, list | tuple | str))
        _check_sequence(length, size, "a sum")
    lead = len(args) - len(own)
    return (*args[:lead], items, *args[lead + 1 :]), kwargs


_FILTER_PRECHECKS: dict[str, Callable[[tuple, tuple, dict], tuple[tuple, dict]]] = {
    "center": _pre_center,
    "indent": _pre_indent,
    "format": _pre_format,
    "batch": _pre_batch,
    "slice": _pre_batch,
    "replace": _pre_replace,
    "join": _pre_join,
    "sum": _pre_sum,
}


def _check_str_method(obj: str, name: str, args: tuple, kwargs: dict) -> None:
    if name in ("center", "ljust", "rjust", "zfill"):
        width = args[0] if args else kwargs.get("width", 0)
        if isinstance(width, int) and width > MAX_OUTPUT_CHARS:
            raise _refuse("a padded string")
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        _check_str_len(len(obj) + obj.count("\t") * max(int(size), 0), "an expanded string")
    elif name == "replace":
        _pre_replace((obj, *args), (), kwargs)
    elif name == "join":
        _pre_join((args[0] if args else [], obj), (), {})
    elif name in ("format", "format_map"):
        _check_format_spec(obj, [*args, *kwargs.values()])


# --------------------------------------------------------------------------- environment


class _Undefined(StrictUndefined):
    """StrictUndefined with messages that name what is missing and what exists."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        name = self._undefined_name
        obj = self._undefined_obj
        if obj is _MISSING:
            return f"{name!r} is undefined"
        if isinstance(obj, Mapping):
            keys = sorted(str(k) for k in obj)
            shown = ", ".join(keys[:20]) + (", …" if len(keys) > 20 else "")
            return f"no key {name!r} (available: {shown or 'none'})"
        if isinstance(name, int) and isinstance(obj, list | tuple):
            return f"index {name} is out of range (length {len(obj)})"
        return f"{type(obj).__name__!r} object has no attribute {name!r}"


class _Refused(TemplateSyntaxError):
    """A construct the rewriter refuses at compile time."""


class _Rewriter(NodeTransformer):
    """Refuses unsupported constructs and routes loops/concatenation through guards."""

    def visit_Name(self, node: nodes.Name) -> nodes.Node:
        if node.name in _FORBIDDEN_NAMES:
            raise _Refused(f"{node.name!r} is not available in expressions", node.lineno)
        return node

    def visit_Getattr(self, node: nodes.Getattr) -> nodes.Node:
        if node.attr.startswith("_"):
            raise _Refused(f"access to attribute {node.attr!r} is not allowed", node.lineno)
        return self.generic_visit(node)

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Node:
        arg = node.arg
        if (
            isinstance(arg, nodes.Const)
            and isinstance(arg.value, str)
            and arg.value.startswith("_")
        ):
            raise _Refused(f"access to attribute {arg.value!r} is not allowed", node.lineno)
        return self.generic_visit(node)

    def _refuse_statement(self, node: nodes.Node) -> nodes.Node:
        keyword = type(node).__name__.lower().replace("fromimport", "from … import")
        raise _Refused(f"{{% {keyword} %}} is not available in expressions", node.lineno)

    visit_Extends = visit_Include = visit_Import = visit_FromImport = _refuse_statement

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        node.iter = _env_call("baton_iter", [node.iter], node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        node = self.generic_visit(node)
        items = nodes.Tuple(list(node.nodes), "load", lineno=node.lineno)
        return _env_call("baton_concat", [items], node.lineno)


def _env_call(name: str, args: list[nodes.Expr], lineno: int) -> nodes.Call:
    return nodes.Call(
        nodes.EnvironmentAttribute(name, lineno=lineno), args, [], None, None, lineno=lineno
    )


class _Environment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self) -> None:
        super().__init__(
            undefined=_Undefined,
            autoescape=False,
            keep_trailing_newline=True,
            finalize=_finalize_output,
        )
        self.globals.clear()
        self.globals.update({"range": _safe_range, "dict": dict, "now": _now})
        self.filters = {name: _wrap_filter(name, f) for name, f in self.filters.items()}
        self.binop_table = {**self.binop_table, "*": _mul, "**": _pow, "+": _add, "%": _mod}
        self.baton_iter = _guard_iter
        self.baton_concat = _concat
        self._safe_functions = {id(f): f for f in (_safe_range, dict, _now, _guard_iter, _concat)}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Rewriter().visit(super()._parse(source, name, filename))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        for value in (left, right):
            if isinstance(value, Undefined):
                value._fail_with_undefined_error()
        return self.binop_table[operator](left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _tick()
        if not isinstance(__obj, Undefined):  # calling an undefined raises its own error
            __self._check_callable(__obj, args, kwargs)
        return _check_result(super().call(__context, __obj, *args, **kwargs))

    def _check_callable(self, obj: Any, args: tuple, kwargs: dict) -> None:
        if self._safe_functions.get(id(obj)) is obj:
            return
        if isinstance(obj, Macro | LoopContext | BlockReference):
            return
        wrapped = getattr(obj, "__wrapped__", None)  # the sandbox's str.format wrapper
        if wrapped is not None and isinstance(getattr(wrapped, "__self__", None), str):
            _check_str_method(wrapped.__self__, wrapped.__name__, args, kwargs)
            return
        if isinstance(obj, types.BuiltinMethodType | types.MethodType):
            owner = getattr(obj, "__self__", None)
            # exact container types: a dict/list subclass in the context may add methods
            if (
                isinstance(owner, str | int | float | LoopContext)
                or type(owner) in _SAFE_SELF_TYPES
            ):
                if isinstance(owner, str):
                    _check_str_method(owner, obj.__name__, args, kwargs)
                return
        name = getattr(obj, "__qualname__", None) or type(obj).__name__
        raise SecurityError(f"calling {name!r} is not allowed in expressions")


def _finalize_output(value: Any) -> Any:
    """How ``{{ value }}`` prints inside text: containers as JSON, everything else as str."""
    if isinstance(value, Mapping | list | tuple):
        _check_str_len(_approx_size(value), "a rendered value")
        try:
            return json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            return value
    return value


_ENV = _Environment()


# --------------------------------------------------------------------------- compiling


class _Compiled:
    __slots__ = ("kind", "source", "template")

    def __init__(self, kind: Literal["text", "native"], source: str, template: Any) -> None:
        self.kind = kind
        self.source = source
        self.template = template


def _snippet(source: str, limit: int = 120) -> str:
    flat = " ".join(source.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _check_source(source: str) -> None:
    if len(source) > MAX_SOURCE_CHARS:
        raise ExpressionError(
            f"expression is too long ({len(source)} characters; the limit is {MAX_SOURCE_CHARS})"
        )


def _syntax_error(exc: TemplateSyntaxError, source: str) -> ExpressionError:
    kind = "refused" if isinstance(exc, _Refused) else "syntax error"
    return ExpressionError(f"{kind} at line {exc.lineno}: {exc.message} in `{_snippet(source)}`")


@lru_cache(maxsize=2048)
def _compile_template(source: str) -> _Compiled:
    """Compile template text; a text that is exactly one ``{{ expr }}`` compiles natively."""
    _check_source(source)
    try:
        tree = _ENV.parse(source)
        body = tree.body
        if (
            len(body) == 1
            and isinstance(body[0], nodes.Output)
            and len(body[0].nodes) == 1
            and not isinstance(body[0].nodes[0], nodes.TemplateData)
        ):
            return _Compiled("native", source, _expression_template(body[0].nodes[0]))
        return _Compiled("text", source, _ENV.from_string(tree))
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc, source) from None
    except (SecurityError, ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"cannot compile `{_snippet(source)}`: {exc}") from None


@lru_cache(maxsize=2048)
def _compile_condition(source: str) -> _Compiled:
    """Compile a condition: a bare expression, or one wrapped in ``{{ }}``."""
    _check_source(source)
    text = source.strip()
    if any(d in text for d in _DELIMITERS):
        compiled = _compile_template(text)
        if compiled.kind != "native":
            raise ExpressionError(
                "a condition must be a single expression such as "
                f"`steps.review.status == 'failed'`, not template text: `{_snippet(source)}`"
            )
        return compiled
    if not text:
        raise ExpressionError("the condition is empty")
    try:
        # "{{ ... }}" parses the expression through _parse, so the rewriter applies.
        tree = _ENV.parse("{{ " + text + " }}")
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc, source) from None
    except (SecurityError, ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"cannot compile `{_snippet(source)}`: {exc}") from None
    body = tree.body
    if not (len(body) == 1 and isinstance(body[0], nodes.Output) and len(body[0].nodes) == 1):
        raise ExpressionError(f"not a single expression: `{_snippet(source)}`")
    return _Compiled("native", source, _expression_template(body[0].nodes[0]))


def _expression_template(expr: nodes.Expr) -> Any:
    assign = nodes.Assign(nodes.Name("result", "store"), expr, lineno=expr.lineno or 1)
    return _ENV.from_string(nodes.Template([assign], lineno=1))


# --------------------------------------------------------------------------- running


def _run(compiled: _Compiled, context: Mapping[str, Any]) -> Any:
    variables = dict(context)
    try:
        if compiled.kind == "native":
            ctx = compiled.template.new_context(variables)
            for _ in compiled.template.root_render_func(ctx):
                pass
            return _native(ctx.vars["result"], 0)
        total = 0
        chunks: list[str] = []
        for chunk in compiled.template.generate(variables):
            total += len(chunk)
            if total > MAX_OUTPUT_CHARS:
                raise _refuse("the rendered text")
            chunks.append(chunk)
        _current_budget().produced(total)
        return "".join(chunks)
    except ExpressionError:
        raise
    except UndefinedError as exc:
        raise ExpressionError(f"undefined: {exc} in `{_snippet(compiled.source)}`") from None
    except SecurityError as exc:
        raise ExpressionError(f"refused: {exc} in `{_snippet(compiled.source)}`") from None
    except RecursionError:
        raise ExpressionError(f"too deeply nested: `{_snippet(compiled.source)}`") from None
    except MemoryError:
        raise ExpressionError(f"out of memory: `{_snippet(compiled.source)}`") from None
    except Exception as exc:
        raise ExpressionError(
            f"error in `{_snippet(compiled.source)}`: {type(exc).__name__}: {exc}"
        ) from None


def _native(value: Any, depth: int) -> Any:
    """Make a native result plain data: lists for sequences/iterators, errors for undefined.

    Counts the result's characters against the render's budget (and its deadline) as it
    goes, so a huge or slow-to-convert result is refused inside the time limit."""
    if depth > _MAX_DEPTH:
        raise ExpressionError(f"the result is nested more than {_MAX_DEPTH} levels deep")
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    budget = _current_budget()
    if value is None or isinstance(value, bool | int | float):
        budget.produced(1)
        return value
    if isinstance(value, str):
        budget.produced(len(value))
        return str(value)  # Markup → str
    budget.produced(2)
    if isinstance(value, Mapping):
        return {k: _native(v, depth + 1) for k, v in _counted_items(value, budget)}
    if isinstance(value, list | tuple | set | frozenset | range | types.GeneratorType):
        return [_native(v, depth + 1) for v in _guard_iter(value)]
    if isinstance(value, type({}.keys()) | type({}.values()) | type({}.items())):
        return [_native(v, depth + 1) for v in value]
    return value


def _counted_items(mapping: Mapping, budget: _Budget) -> Iterator[tuple[Any, Any]]:
    for key, item in mapping.items():
        budget.produced(len(key) + 4 if isinstance(key, str) else 8)
        yield key, item


def _current_budget() -> _Budget:
    budget = _budget.get()
    if budget is None:  # pragma: no cover - every entry point installs one
        budget = _Budget()
        _budget.set(budget)
    return budget


class _Scope:
    """Installs a fresh work budget unless one is already active (nested renders share it)."""

    def __enter__(self) -> None:
        self._token = _budget.set(_Budget()) if _budget.get() is None else None

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _budget.reset(self._token)


def _render(value: Any, context: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        if not any(d in value for d in _DELIMITERS):
            return value
        return _run(_compile_template(value), context)
    if isinstance(value, Mapping):
        return {k: _render(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [_render(v, context) for v in value]
    if isinstance(value, tuple):
        return tuple(_render(v, context) for v in value)
    return value


# --------------------------------------------------------------------------- public API


def render(template: Any, context: Mapping[str, Any]) -> Any:
    """Render every string inside ``template`` (recursing into dicts, lists, tuples).

    A string that is exactly one ``{{ expr }}`` (nothing around it, not even
    whitespace) becomes the expression's native value; other strings render to
    text; strings without ``{{``/``{%``/``{#`` and non-strings pass through.
    Context names: ``input``, ``steps``, ``run``, ``step``; ``now()`` is added.
    """
    with _Scope():
        return _render(template, context)


def evaluate(expression: str, context: Mapping[str, Any]) -> Any:
    """Evaluate a condition/expression — bare (``a == 1``) or wrapped (``{{ a == 1 }}``)."""
    if not isinstance(expression, str):
        raise ExpressionError(f"an expression must be text, not {type(expression).__name__}")
    with _Scope():
        return _run(_compile_condition(expression), context)


def is_true(expression: str, context: Mapping[str, Any]) -> bool:
    """Evaluate a condition and return its truthiness (Python/Jinja rules)."""
    return bool(evaluate(expression, context))


def validate_expression(
    expr: str, *, mode: Literal["auto", "template", "condition"] = "auto"
) -> str | None:
    """Return an error message for ``expr``, or ``None`` when it compiles.

    ``mode="template"`` checks template text (plain text is valid),
    ``mode="condition"`` checks a bare or wrapped expression, and ``"auto"``
    (default) treats text containing ``{{``/``{%``/``{#`` as a template and
    anything else as a bare condition. Only compilation is checked: names are
    resolved when the expression runs.
    """
    if not isinstance(expr, str):
        return f"an expression must be text, not {type(expr).__name__}"
    if mode == "auto":
        mode = "template" if any(d in expr for d in _DELIMITERS) else "condition"
    try:
        if mode == "template":
            _compile_template(expr)
        else:
            _compile_condition(expr)
    except ExpressionError as exc:
        return str(exc)
    return None
