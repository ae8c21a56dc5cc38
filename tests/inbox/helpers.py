"""Plans and waits shared by the inbox tests."""

from coordinator.models import Approval
from tests.engine_helpers import start, wait_for


def gate(assignee: str, **review) -> dict:
    """draft (transform) → review (human approval) → publish (transform of the draft)."""
    return {
        "name": "gate",
        "steps": [
            {"id": "draft", "type": "transform", "output": {"text": "Revenue grew 12%."}},
            {
                "id": "review",
                "type": "human_approval",
                "depends_on": ["draft"],
                "prompt": "Publish the draft?",
                "assignee": assignee,
                **review,
            },
            {
                "id": "publish",
                "type": "transform",
                "depends_on": ["review"],
                "output": "published: {{ steps.draft.output.text }}",
            },
        ],
        "result": "publish",
    }


def waiting_item(owner, plan: dict, **kwargs) -> tuple:
    run = wait_for(start(owner, plan, **kwargs), statuses=("waiting", "failed", "succeeded"))
    assert run.status == "waiting", run.error
    return run, Approval.objects.get(run=run, status="pending")
