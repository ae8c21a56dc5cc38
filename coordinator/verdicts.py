"""What a reviewer's action means for each kind of inbox item. Pure validation: an item, an
action and its payload in; a Verdict (or a DecisionError naming the field) out. The effect
on the run is carried out by coordinator.engine.approvals, which locks the item first."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from coordinator.schemas import ExecutionPlan

ACTIONS = ("approve", "reject", "edit", "respond")

# What each kind accepts, and what the action is called in the inbox.
ALLOWED = {
    "approval": ("approve", "reject", "edit", "respond"),
    "input": ("respond", "reject"),
    "plan_review": ("approve", "reject", "edit", "respond"),
    "escalation": ("approve", "reject", "edit", "respond"),
}
LABELS = {
    "escalation": {"approve": "retry", "edit": "edit the plan", "reject": "abort"},
}


class DecisionError(ValueError):
    """Bad input for a decision: '<field>: <message>' → 400."""


class Conflict(DecisionError):
    """The item cannot be decided now (already decided, claimed by someone else) → 409."""

    def __init__(self, message: str, claimed_by: str | None = None):
        super().__init__(message)
        self.claimed_by = claimed_by


class NotAllowed(DecisionError):
    """This user may see the item but not take this decision → 403."""


@dataclass
class Verdict:
    action: str
    status: str  # the item's final status
    edits: dict | None = None
    diff: list[dict] = field(default_factory=list)
    instruction: str = ""  # `respond` text, sent to the run's later agents


def normalise_action(kind: str, action: str | None, approve: bool | None, response) -> str:
    """`action` wins; the older `approve: true|false` and bare `response` still work."""
    if action is None:
        if kind == "input" and response is not None:
            action = "respond"
        elif approve is not None:
            action = "approve" if approve else "reject"
        else:
            raise DecisionError("action: send one of approve, reject, edit, respond")
    if action not in ACTIONS:
        raise DecisionError(f"action: must be one of {', '.join(ACTIONS)}")
    if action not in ALLOWED[kind]:
        names = ", ".join(ALLOWED[kind])
        hint = " (respond sends the form's `response`)" if kind == "input" else ""
        raise DecisionError(f"action: {kind.replace('_', ' ')} items take {names}{hint}")
    return action


def verdict_for(
    item, action: str, *, response=None, comment: str = "", edits=None, context: dict
) -> Verdict:
    """`context` carries what validation needs from the database: for approvals the outputs
    of the steps under review, for plan reviews the plan and the agents allowed."""
    comment = (comment or "").strip()
    if action == "reject" and not comment:
        raise DecisionError("comment: a rejection needs a reason")
    if action == "respond" and item.kind != "input" and not comment:
        raise DecisionError("comment: write the response the run should follow")
    if action != "edit" and edits is not None:
        raise DecisionError("edits: only the edit action takes edits")
    if item.required_approvals > 1 and action in ("edit", "respond"):
        raise DecisionError(f"action: {action} is not available when several approvals are needed")
    if item.kind == "input":
        if action == "respond":
            validate_form(item.form or {}, response)
            return Verdict(action, "answered")
        return Verdict(action, "rejected")
    if response is not None:
        raise DecisionError("response: only input items take a form response")
    if action == "reject":
        return Verdict(action, "rejected")
    if action == "respond":
        return Verdict(action, "responded", instruction=comment)
    if action == "approve":
        return Verdict(action, "approved")
    if item.kind == "approval":
        changed, diff = edit_outputs(edits, context.get("outputs") or {})
    elif item.kind == "plan_review":
        changed, diff = edit_plan(edits, context["plan"], context["agents"])
    else:
        changed, diff = edit_step(edits, context["step"], context["agents"])
    return Verdict(action, "approved", edits=changed, diff=diff)


# ---------------------------------------------------------------------------- forms


def validate_form(schema: dict, response) -> None:
    import jsonschema

    if not isinstance(response, dict):
        raise DecisionError("response: must be an object")
    try:
        jsonschema.validate(response, schema or {"type": "object"})
    except jsonschema.ValidationError as exc:
        path = ".".join(str(p) for p in exc.absolute_path)
        raise DecisionError(f"response{'.' + path if path else ''}: {exc.message}") from None
    except jsonschema.SchemaError as exc:
        raise DecisionError(f"the step's form schema is invalid: {exc.message}") from None


# ---------------------------------------------------------------------------- edits


def _same_type(before, after) -> bool:
    kinds = (bool, int | float, str, list, dict, type(None))
    if isinstance(before, bool) or isinstance(after, bool):
        return isinstance(before, bool) and isinstance(after, bool)
    return any(isinstance(before, k) and isinstance(after, k) for k in kinds)


def field_diff(path: str, before, after) -> dict:
    entry = {"field": path, "before": before, "after": after}
    if isinstance(before, str) and isinstance(after, str):
        entry["unified"] = "\n".join(
            difflib.unified_diff(
                before.splitlines(), after.splitlines(), "before", "after", lineterm="", n=2
            )
        )
    return entry


def edit_outputs(edits, outputs: dict[str, Any]) -> tuple[dict, list[dict]]:
    """An approval's edits change fields of the outputs it reviews (the steps it depends on):
    {"<step id>": {"<field>": new value}}. Fields must exist and keep their JSON type."""
    if not isinstance(edits, dict) or not edits:
        raise DecisionError("edits: send {step id: {field: new value}} for the reviewed steps")
    diff, changed = [], {}
    for step_id, fields in edits.items():
        if step_id not in outputs:
            reviewed = ", ".join(sorted(outputs)) or "none"
            raise DecisionError(f"edits.{step_id}: not a step this item reviews ({reviewed})")
        current = outputs[step_id]
        if not isinstance(fields, dict) or not fields:
            raise DecisionError(f"edits.{step_id}: must be an object of fields to change")
        if not isinstance(current, dict):
            raise DecisionError(f"edits.{step_id}: the step's output has no fields to edit")
        for name, value in fields.items():
            if name not in current:
                raise DecisionError(f"edits.{step_id}.{name}: the step's output has no such field")
            if not _same_type(current[name], value):
                kind = type(current[name]).__name__
                raise DecisionError(f"edits.{step_id}.{name}: must be a {kind} like the original")
            if current[name] != value:
                diff.append(field_diff(f"{step_id}.{name}", current[name], value))
                changed.setdefault(step_id, {})[name] = value
    if not diff:
        raise DecisionError("edits: nothing changed; approve instead")
    return changed, diff


def edit_plan(edits, plan: dict, agents: list[str]) -> tuple[dict, list[dict]]:
    """A plan review's edits replace the plan's stages: drop or swap agents, change queries,
    dependencies and criteria. Every agent must be one the coordinator may use."""
    from pydantic import ValidationError

    if not isinstance(edits, dict) or not isinstance(edits.get("plan"), dict):
        raise DecisionError("edits.plan: send the edited plan ({stages: [...]})")
    proposed = {"pattern": plan.get("pattern"), "reasons": plan.get("reasons", [])}
    proposed.update(edits["plan"])
    try:
        edited = ExecutionPlan.model_validate(proposed)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise DecisionError(f"edits.plan.{where}: {err['msg']}") from None
    seen: set[str] = set()
    for index, stage in enumerate(edited.stages):
        where = f"edits.plan.stages.{index}"
        if stage.id in seen:
            raise DecisionError(f"{where}.id: {stage.id!r} is used twice")
        if stage.agent not in agents:
            raise DecisionError(
                f"{where}.agent: {stage.agent!r} is not one of the coordinator's agents "
                f"({', '.join(agents)})"
            )
        unknown = [d for d in stage.depends_on if d not in seen]
        if unknown:
            raise DecisionError(
                f"{where}.depends_on: {', '.join(unknown)} must be earlier stages of the plan"
            )
        seen.add(stage.id)
    after = edited.model_dump(mode="json")
    if after["stages"] == plan.get("stages") and after["pattern"] == plan.get("pattern"):
        raise DecisionError("edits.plan: nothing changed; approve instead")
    return {"plan": after}, _plan_diff(plan, after)


def _plan_diff(before: dict, after: dict) -> list[dict]:
    old = {s["id"]: s for s in before.get("stages", [])}
    new = {s["id"]: s for s in after.get("stages", [])}
    diff = []
    for stage_id, stage in old.items():
        if stage_id not in new:
            diff.append({"field": f"stages.{stage_id}", "before": stage["agent"], "after": None})
    for stage_id, stage in new.items():
        was = old.get(stage_id)
        if was is None:
            diff.append({"field": f"stages.{stage_id}", "before": None, "after": stage["agent"]})
            continue
        for name in ("agent", "query", "depends_on", "success_criteria"):
            if was.get(name) != stage.get(name):
                diff.append(field_diff(f"stages.{stage_id}.{name}", was.get(name), stage.get(name)))
    if before.get("pattern") != after.get("pattern"):
        diff.append(field_diff("pattern", before.get("pattern"), after.get("pattern")))
    return diff


def edit_step(edits, step: dict, agents: list[str]) -> tuple[dict, list[dict]]:
    """An escalation's edits change the escalated step before it is retried: its agent and
    its query (agent steps)."""
    if not isinstance(edits, dict) or not edits:
        raise DecisionError("edits: send {agent: slug} and/or {query: text} for the retry")
    unknown = sorted(set(edits) - {"agent", "query"})
    if unknown:
        raise DecisionError(f"edits.{unknown[0]}: only agent and query can be edited")
    if step.get("type") != "agent":
        raise DecisionError(f"edits: a {step.get('type')} step has no agent or query to edit")
    if "agent" in edits and edits["agent"] not in agents:
        raise DecisionError(f"edits.agent: no enabled agent {edits['agent']!r}")
    if "query" in edits and not (isinstance(edits["query"], str) and edits["query"].strip()):
        raise DecisionError("edits.query: must be a non-empty string")
    diff = [
        field_diff(name, step.get(name), value)
        for name, value in edits.items()
        if step.get(name) != value
    ]
    if not diff:
        raise DecisionError("edits: nothing changed; retry instead")
    return dict(edits), diff
