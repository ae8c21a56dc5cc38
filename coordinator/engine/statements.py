"""The few statements every step of a run sends, written once instead of built each time.

Building a query with the ORM (filters, lookups, ordering, the compiler) cost a step several
times what the database spends running it. These send the statements the ORM sent — same
tables, columns, conditions and values, each value prepared by its model field and each
column read back through the field's and the backend's converters (coordinator/sql_rows.py)
— from SQL text built once per process. Anything off the hot path stays with the ORM.
"""

from __future__ import annotations

from django.db import connection, connections, transaction
from django.db.models import Model

from coordinator import clock, sql_rows
from coordinator.models import Run, StepRun


def multi_statement(cursor) -> bool:
    """Whether `cursor` (Django's) sends several statements in one execute (one round trip)
    and reads each one's result: psycopg 3 with client-side binding, Django's default on
    PostgreSQL. Server-side binding (the extended protocol) takes one statement at a time."""
    if connection.vendor != "postgresql":
        return False
    import psycopg

    return isinstance(getattr(cursor, "cursor", None), psycopg.ClientCursor)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _prep(model: type[Model], name: str, value):
    """A value for a condition or an assignment, as the field prepares it."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def current_steps(run_id, leave_out: list[int]) -> list[StepRun]:
    """The run's step rows that are not superseded, but those in `leave_out`, in id order
    (`StepRun.objects.filter(run=…, superseded=False).exclude(pk__in=…)`)."""
    columns = sql_rows.select_shape(StepRun)[0]
    table = _quote(StepRun._meta.db_table)
    sql = (
        f"SELECT {columns} FROM {table} WHERE {table}.{_quote('run_id')} = %s"  # noqa: S608
        f" AND NOT {table}.{_quote('superseded')}"
    )
    params = [_prep(StepRun, "run", run_id)]
    if leave_out:
        sql += f" AND NOT ({table}.{_quote('id')} IN ({', '.join(['%s'] * len(leave_out))}))"
        params += leave_out
    sql += f" ORDER BY {table}.{_quote('id')} ASC"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sql_rows.instances(StepRun, sql_rows.select_shape(StepRun), cursor.fetchall())


_RUN_STATE = ("id", "status", "adaptive", "input", "revisions")


def lock_run_state(
    run_id, lock_wait_ms: int | None = None, then_update: tuple[dict, dict] | None = None
) -> tuple[Run, int | None]:
    """The run's status, adaptive settings, input and revisions, its row locked until the
    transaction ends (`select_for_update().only(…).get(pk=…)`; SQLite's writer lock is the
    transaction's already). Raises Run.DoesNotExist as get() would.

    With `lock_wait_ms`, first `SET LOCAL lock_timeout` (PostgreSQL). With `then_update`
    (where, values), then that update_step, under the run's lock; its count is returned.
    On PostgreSQL with client-side binding the two or three statements are one round trip,
    run one after the other by the server in this order (the lock order: run, then step)."""
    columns = sql_rows.select_shape(Run, include=_RUN_STATE)[0]
    table = _quote(Run._meta.db_table)
    lock = f"SELECT {columns} FROM {table} WHERE {table}.{_quote('id')} = %s"  # noqa: S608
    if connection.features.has_select_for_update:
        lock += " FOR UPDATE"
    statements = []
    if lock_wait_ms is not None and connection.vendor == "postgresql":
        statements.append((f"SET LOCAL lock_timeout = {int(lock_wait_ms)}", []))
    statements.append((lock, [_prep(Run, "id", run_id)]))
    if then_update is not None:
        statements.append(_update_sql(*then_update))
    with connection.cursor() as cursor:
        if len(statements) > 1 and multi_statement(cursor):
            cursor.execute(
                "; ".join(sql for sql, _ in statements), [p for _, ps in statements for p in ps]
            )
            results = _each_result(cursor, len(statements))
        else:
            results = []
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall() if cursor.description else cursor.rowcount)
    if then_update is not None:
        rows, updated = results[-2], results[-1]
    else:
        rows, updated = results[-1], None
    if not rows:
        raise Run.DoesNotExist("Run matching query does not exist.")
    return sql_rows.instance(Run, sql_rows.select_shape(Run, include=_RUN_STATE), rows[0]), updated


def _each_result(cursor, count: int) -> list:
    """The rows (a statement that returns rows) or the count (one that changes rows) of each
    of the `count` statements one execute sent."""
    results = []
    for index in range(count):
        if index:
            cursor.nextset()
        results.append(cursor.fetchall() if cursor.description else cursor.rowcount)
    return results


def update_step(where: dict, values: dict, lease_seconds: float | None = None) -> int:
    """`StepRun.objects.filter(**where).update(**values)` for plain equality conditions (no
    None) and plain values; with `lease_seconds`, also claimed_until = the database's now
    plus that (clock.database_in). Returns the number of rows changed."""
    sql, params = _update_sql(where, values, lease_seconds)
    with transaction.mark_for_rollback_on_error(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _update_sql(where: dict, values: dict, lease_seconds: float | None = None):
    table = _quote(StepRun._meta.db_table)
    sets, params = [], []
    for name, value in values.items():
        field = StepRun._meta.get_field(name)
        sets.append(f"{_quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    if lease_seconds is not None:
        sql, more = _database_in(lease_seconds)
        sets.append(f"{_quote('claimed_until')} = {sql}")
        params += list(more)
    conditions = []
    for name, value in where.items():
        if value is None:
            raise ValueError(f"{name}: a condition on None is not plain equality")
        field = StepRun._meta.get_field(name)
        conditions.append(f"{table}.{_quote(field.column)} = %s")
        params.append(field.get_db_prep_value(value, connection))
    sql = f"UPDATE {table} SET {', '.join(sets)} WHERE {' AND '.join(conditions)}"  # noqa: S608
    return sql, params


def _database_in(seconds: float) -> tuple[str, list]:
    """clock.database_in(seconds) compiled for an UPDATE of step rows: (SQL, params). With
    the system clock it is the same for the same lease (the database's own now plus an
    interval), so it is compiled once per connection and lease; a test's ManualClock gives
    its own time as a literal, compiled each time."""
    if not isinstance(clock._clock, clock.SystemClock):
        return _compile_database_in(seconds)
    wrapper = connections[connection.alias]
    compiled = wrapper.__dict__.setdefault("_baton_database_in", {})
    if seconds not in compiled:
        compiled[seconds] = _compile_database_in(seconds)
    return compiled[seconds]


def _compile_database_in(seconds: float) -> tuple[str, list]:
    from django.db.models.sql.subqueries import UpdateQuery

    query = UpdateQuery(StepRun)
    compiler = query.get_compiler(connection=connection)
    expression = clock.database_in(seconds).resolve_expression(query, allow_joins=False)
    sql, params = compiler.compile(expression)
    return sql, tuple(params)
