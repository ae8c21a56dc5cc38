"""Model rows written and read with hand-built SQL on the hot paths (run creation, the
statements of a step: coordinator/engine/statements.py).

The ORM's general machinery (building a query, compiling it, `Model.save`'s checks and
signals, `bulk_create`'s batching) costs several times the CPU of the statements it sends;
a POST that creates a run spent most of its time there. These helpers send the same
statements the ORM would, with every value prepared (and every value read converted) by its
model field exactly as the ORM does it — only the general machinery is left out. No model
here has signal receivers (Baton registers none), so `save()`'s signals are not missed.
"""

from __future__ import annotations

import datetime
import json
import math
import uuid

from django.db import connection
from django.db.models import AutoField, BigAutoField, SmallAutoField
from psycopg.types.json import Jsonb

_AUTO = (AutoField, BigAutoField, SmallAutoField)

_inserts: dict[tuple, tuple] = {}
_selects: dict[tuple, tuple] = {}


def _insert_shape(model, count: int, returning: bool = True) -> tuple:
    key = (model, count, returning, connection.vendor)
    shape = _inserts.get(key)
    if shape is None:
        meta = model._meta
        auto = meta.pk if isinstance(meta.pk, _AUTO) else None
        fields = [f for f in meta.concrete_fields if f is not auto]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        head = f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
        unnest = count > 1 and _unnestable(fields)
        if unnest:
            # Several rows on PostgreSQL as bulk_create sends them: one array per column, so
            # the statement is the same whatever the number of rows, and short enough for
            # psycopg to cache its parsing (a VALUES list of a hundred parameters is parsed
            # again at every execution).
            arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
            sql = head + f"SELECT * FROM UNNEST({arrays})"  # noqa: S608
        else:
            one = "(" + ", ".join(["%s"] * len(fields)) + ")"
            sql = head + "VALUES " + ", ".join([one] * count)
        returning = (
            returning and auto is not None and connection.features.can_return_rows_from_bulk_insert
        )
        if returning:
            sql += f" RETURNING {quote(auto.column)}"
        shape = (sql, fields, auto if returning else None, unnest)
        _inserts[key] = shape
    return shape


def _unnestable(fields) -> bool:
    """Whether bulk_create would insert these columns with UNNEST (Django's PostgreSQL
    SQLInsertCompiler.assemble_as_sql, for literal values)."""
    return connection.vendor == "postgresql" and not any(
        hasattr(f, "get_placeholder")
        or (f.target_field if f.is_relation else f).get_internal_type() not in connection.data_types
        for f in fields
    )


def insert(*objs) -> None:
    """INSERT new instances of one model, as `save()` (one) or `bulk_create` (several) would:
    in one statement (or one per as many rows as the database takes parameters for), each
    value from its field's `pre_save` (auto_now_add) and `get_db_prep_save`; an
    auto-increment id is read back with RETURNING. The instances are then saved ones."""
    model = type(objs[0])
    per_statement = _per_statement(model)
    for start in range(0, len(objs), per_statement):
        chunk = objs[start : start + per_statement]
        rows = [values(obj) for obj in chunk]
        if any(hasattr(v, "as_sql") for row in rows for v in row):
            # A value that is an expression (a JSON null in a non-null column): the ORM's own
            # compiler renders those.
            model.objects.bulk_create(chunk)
            continue
        ids = _execute(model, rows, returning=True)
        for obj, row in zip(chunk, ids or [None] * len(chunk), strict=True):
            if row is not None:
                obj.pk = row[0]
            obj._state.adding = False
            obj._state.db = connection.alias


def values(obj) -> list:
    """The prepared values `insert` sends for a new instance, in its column order."""
    return [
        f.get_db_prep_save(f.pre_save(obj, True), connection)
        for f in _insert_shape(type(obj), 1)[1]
    ]


def columns(model) -> list:
    """The fields `values` and `insert_values` take, in order."""
    return _insert_shape(model, 1)[1]


def constant(model) -> bool:
    """Whether the values of new instances built with the same arguments are the same: no
    field sets the time (auto_now) or draws a fresh default (a uuid4) when saved."""
    return not any(
        getattr(f, "auto_now", False)
        or getattr(f, "auto_now_add", False)
        or (f.has_default() and callable(f.default) and f.default not in (dict, list))
        for f in columns(model)
    )


def insert_values(model, rows: list[list]) -> None:
    """INSERT rows of prepared values (`values`' order; no expressions), ids not read back."""
    per_statement = _per_statement(model)
    for start in range(0, len(rows), per_statement):
        _execute(model, rows[start : start + per_statement], returning=False)


class Rows:
    """New rows of one model that differ in one column alone (a new run's steps, but for the
    run), their other values prepared once; on PostgreSQL their JSON text too."""

    def __init__(self, model, rows: list[list], field):
        self.model, self.rows, self.field = model, rows, field
        self.index = columns(model).index(field)
        self._fragments: list[str] | None = None

    def insert(self, value) -> None:
        """INSERT the rows with `value` in the column (no ids read back)."""
        prepared = self.field.get_db_prep_save(value, connection)
        if connection.vendor == "postgresql":
            fragments = self._json_fragments()
            text = _json_value(prepared)
            if fragments and text is not None:
                head = f"{json.dumps(self.field.column)}:{text}"
                document = "[" + ",".join("{" + head + f + "}" for f in fragments) + "]"
                with connection.cursor() as cursor:
                    cursor.execute(_populate_sql(self.model, columns(self.model), None), [document])
                return
        rows = [list(row) for row in self.rows]
        for row in rows:
            row[self.index] = prepared
        insert_values(self.model, rows)

    def _json_fragments(self) -> list[str]:
        if self._fragments is None:
            fragments = []
            for row in self.rows:
                others = [
                    (f, v)
                    for i, (f, v) in enumerate(zip(columns(self.model), row, strict=True))
                    if i != self.index
                ]
                text = _json_rows([f for f, _ in others], [[v for _, v in others]])
                if text is None:
                    fragments = []
                    break
                members = text[2:-2]  # the row's other members, after the varying one
                fragments.append("," + members if members else "")
            self._fragments = fragments
        return self._fragments


def _per_statement(model) -> int:
    return (connection.features.max_query_params or 10_000) // len(model._meta.concrete_fields)


def _execute(model, rows: list[list], *, returning: bool):
    sql, fields, auto, unnest = _insert_shape(model, len(rows), returning)
    document = None
    if connection.vendor == "postgresql" and (auto is None or len(rows) == 1):
        document = _json_rows(fields, rows)
    if document is not None:
        sql, params = _populate_sql(model, fields, auto), [document]
    elif unnest:
        params = [list(column) for column in zip(*rows, strict=True)]
    else:
        params = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if auto is not None else ()


_populates: dict[tuple, str] = {}


def _populate_sql(model, fields, auto) -> str:
    """PostgreSQL: the rows as one JSON document, each value cast to its column's type by
    `jsonb_populate_recordset` against the table's own row type. Every parameter psycopg
    binds costs it a dumper lookup, a dump and a quote: a run's row and its steps' were a
    hundred and fifty of them, the largest part of the CPU of their INSERTs."""
    key = (model, auto is not None)
    sql = _populates.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in fields)
        sql = (
            f"INSERT INTO {table} ({columns}) SELECT {columns}"  # noqa: S608 - model names
            f" FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb)"
        )
        if auto is not None:
            sql += f" RETURNING {quote(auto.column)}"
        _populates[key] = sql
    return sql


def _json_rows(fields, rows: list[list]) -> str | None:
    """The JSON text of `rows` (prepared values) keyed by column, or None when a value has no
    exact JSON form here (then the values are bound one by one as usual)."""
    parts = []
    for row in rows:
        items = []
        for field, value in zip(fields, row, strict=True):
            text = _json_value(value)
            if text is None:
                return None
            items.append(f"{json.dumps(field.column)}:{text}")
        parts.append("{" + ",".join(items) + "}")
    return "[" + ",".join(parts) + "]"


def _json_value(value) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, Jsonb):
        # JSONField's value, as psycopg would send it (with the field's encoder)
        return (value.dumps or json.dumps)(value.obj) if value.obj is not None else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, uuid.UUID):
        return f'"{value}"'
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return f'"{value.isoformat()}"'
    return None


def select_shape(model, exclude: tuple = (), include: tuple | None = None) -> tuple:
    """(quoted column list qualified by the table, attnames, converters) for the model's
    columns — `include`'s only, or all but `exclude`'s (the others are deferred in the
    instances) — in the model's order. The converters are those the ORM's compiler applies
    (SQLite hands datetimes and UUIDs back as text, for one), for the columns that have any."""
    key = (model, exclude, include, connection.alias, connection.vendor)
    shape = _selects.get(key)
    if shape is None:
        meta = model._meta
        fields = [
            f
            for f in meta.concrete_fields
            if f.name not in exclude and (include is None or f.name in include)
        ]
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        columns = ", ".join(f"{table}.{quote(f.column)}" for f in fields)
        converters = []
        for index, field in enumerate(fields):
            col = field.get_col(meta.db_table)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                converters.append((index, col, found))
        shape = (columns, [f.attname for f in fields], converters)
        _selects[key] = shape
    return shape


def instance(model, shape: tuple, values) -> object:
    """A model instance from the row values of `shape`'s columns, converted by its fields
    (other fields are deferred, as with `.only()`)."""
    return instances(model, shape, [values])[0]


def instances(model, shape: tuple, rows) -> list:
    """`instance` for each of `rows`."""
    _, attnames, converters = shape
    built = []
    for values in rows:
        if converters:
            values = list(values)
            for index, col, found in converters:
                value = values[index]
                for convert in found:
                    value = convert(value, col, connection)
                values[index] = value
        built.append(model.from_db(connection.alias, attnames, values))
    return built
