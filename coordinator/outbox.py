"""The agent-result outbox: an agent's result is saved the moment the agent returns, in its
own small transaction, before the step is recorded. If the worker dies in between, the step's
claim expires, the sweeper re-sends it, and the next execution records the saved result
instead of calling the agent a second time. A worker that dies before the save re-runs the
agent with the same idempotency key (at least once, with the same key)."""

from __future__ import annotations

from coordinator import clock, transient
from coordinator.engine.core.outcomes import Succeeded
from coordinator.llm import Usage
from coordinator.models import StepOutbox, StepRun


def write(row: StepRun, output, usage: Usage) -> None:
    def save():
        StepOutbox.objects.bulk_create(
            [
                StepOutbox(
                    step_run_id=row.pk,
                    output=output,
                    prompt_tokens=usage.prompt_tokens,
                    completion_tokens=usage.completion_tokens,
                    cost_usd=usage.cost_usd,
                    written_at=clock.now(),
                )
            ],
            ignore_conflicts=True,  # a second execution of the same attempt keeps the first
        )

    transient.retrying(save, f"saving the result of step {row.step_id}")


def recovered(row: StepRun) -> Succeeded | None:
    saved = StepOutbox.objects.filter(step_run_id=row.pk).first()
    if saved is None:
        return None
    usage = Usage(saved.prompt_tokens, saved.completion_tokens, saved.cost_usd)
    return Succeeded(output=saved.output, usage=usage)
