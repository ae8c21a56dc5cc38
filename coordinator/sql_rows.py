"""Model rows written and read with hand-built SQL on the run-creation hot path.

The ORM's general machinery (building a query, compiling it, `Model.save`'s checks and
signals, `bulk_create`'s batching) costs several times the CPU of the statements it sends;
a POST that creates a run spent most of its time there. These helpers send the same
statements the ORM would, with every value prepared (and every value read converted) by its
model field exactly as the ORM does it — only the general machinery is left out. No model
here has signal receivers (Baton registers none), so `save()`'s signals are not missed.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import AutoField, BigAutoField, SmallAutoField

_AUTO = (AutoField, BigAutoField, SmallAutoField)

_inserts: dict[tuple, tuple] = {}
_selects: dict[tuple, tuple] = {}


def _insert_shape(model, count: int) -> tuple:
    key = (model, count, connection.vendor)
    shape = _inserts.get(key)
    if shape is None:
        meta = model._meta
        auto = meta.pk if isinstance(meta.pk, _AUTO) else None
        fields = [f for f in meta.concrete_fields if f is not auto]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES " + ", ".join(  # noqa: S608
            [one] * count
        )
        returning = auto is not None and connection.features.can_return_rows_from_bulk_insert
        if returning:
            sql += f" RETURNING {quote(auto.column)}"
        shape = (sql, fields, auto if returning else None)
        _inserts[key] = shape
    return shape


def insert(*objs) -> None:
    """INSERT new instances of one model, as `save()` (one) or `bulk_create` (several) would:
    in one statement (or one per as many rows as the database takes parameters for), each
    value from its field's `pre_save` (auto_now_add) and `get_db_prep_save`; an
    auto-increment id is read back with RETURNING. The instances are then saved ones."""
    model = type(objs[0])
    per_statement = (connection.features.max_query_params or 10_000) // len(
        model._meta.concrete_fields
    )
    for start in range(0, len(objs), per_statement):
        chunk = objs[start : start + per_statement]
        sql, fields, auto = _insert_shape(model, len(chunk))
        params = [
            f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in chunk for f in fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = cursor.fetchall() if auto is not None else ()
        for obj, row in zip(chunk, ids or [None] * len(chunk), strict=True):
            if row is not None:
                obj.pk = row[0]
            obj._state.adding = False
            obj._state.db = connection.alias


def _converters(model, fields) -> list:
    """Each column's converters, as the ORM's compiler applies them (SQLite hands datetimes
    and UUIDs back as text, for one)."""
    result = []
    for field in fields:
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        result.append((col, found))
    return result


def select_shape(model, exclude: tuple = ()) -> tuple:
    """(quoted column list qualified by the table, attnames, converters) for the model's
    columns but `exclude`'s (those are deferred in the instances), in the model's order."""
    key = (model, exclude, connection.vendor)
    shape = _selects.get(key)
    if shape is None:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if f.name not in exclude]
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        columns = ", ".join(f"{table}.{quote(f.column)}" for f in fields)
        shape = (columns, [f.attname for f in fields], _converters(model, fields))
        _selects[key] = shape
    return shape


def instance(model, shape: tuple, values) -> object:
    """A model instance from the row values of `shape`'s columns, converted by its fields
    (other fields are deferred, as with `.only()`)."""
    _, attnames, converters = shape
    converted = []
    for value, (col, found) in zip(values, converters, strict=True):
        for convert in found:
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, attnames, converted)
