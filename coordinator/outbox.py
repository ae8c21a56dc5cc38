"""The agent-result outbox: an agent's result is saved the moment the agent returns, in one
statement committed at once, before the step is recorded. If the worker dies in between, the step's
claim expires, the sweeper re-sends it, and the next execution records the saved result
instead of calling the agent a second time. A worker that dies before the save re-runs the
agent with the same idempotency key (at least once, with the same key)."""

from __future__ import annotations

from django.db import connection

from coordinator import clock, transient
from coordinator.engine.core.outcomes import Succeeded
from coordinator.llm import Usage
from coordinator.models import StepOutbox, StepRun


def write(row: StepRun, output, usage: Usage) -> None:
    """One statement, committed at once (no transaction around it): a second execution of
    the same attempt keeps the first result."""
    values = [
        _prep("step_run", row.pk),
        _prep("output", output),
        usage.prompt_tokens,
        usage.completion_tokens,
        usage.cost_usd,
        _prep("written_at", clock.now()),
    ]

    def save():
        with connection.cursor() as cursor:
            cursor.execute(_INSERT, values)

    transient.retrying(save, f"saving the result of step {row.step_id}")


_INSERT = (
    f"INSERT INTO {StepOutbox._meta.db_table} "  # noqa: S608 - names from the model
    "(step_run_id, output, prompt_tokens, completion_tokens, cost_usd, written_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (step_run_id) DO NOTHING"
)


def _prep(field: str, value):
    return StepOutbox._meta.get_field(field).get_db_prep_save(value, connection)


def recovered(row: StepRun) -> Succeeded | None:
    if getattr(row, "first_run", False):  # claimed from pending this moment: it never ran
        return None
    saved = StepOutbox.objects.filter(step_run_id=row.pk).first()
    if saved is None:
        return None
    usage = Usage(saved.prompt_tokens, saved.completion_tokens, saved.cost_usd)
    return Succeeded(output=saved.output, usage=usage)
