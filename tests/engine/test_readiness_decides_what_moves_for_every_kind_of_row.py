"""`next_actions` (engine/core/readiness.py), the engine's purest decision, branch by branch:
rows in, actions out. No database: each case is a table row of step states and the actions
the engine must take."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coordinator.engine.core.readiness import RowView, next_actions

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(seconds=30)
EARLIER = NOW - timedelta(seconds=30)
IDS = {}


def row(step_id, status="pending", *, type="agent", parent="", deps=(), spec=None, **extra):
    IDS.setdefault(step_id, len(IDS) + 1)
    return RowView(
        id=IDS[step_id],
        step_id=step_id,
        type=type,
        status=status,
        parent=parent,
        depends_on=tuple(deps),
        spec=spec or {},
        resume_at=extra.get("resume_at"),
        has_children_stage=extra.get("has_children_stage", False),
        awaits_person=extra.get("awaits_person", False),
    )


def decided(rows, context=None):
    """Actions as comparable tuples: (kind, step id or None, reason, child step ids)."""
    names = {r.id: r.step_id for r in rows}
    return [
        (a.kind, names.get(a.row_id), a.reason, [names[c] for c in a.children])
        for a in next_actions(rows, now=NOW, context=context)
    ]


def claim(step_id):
    return ("claim", step_id, "", [])


def skip(step_id, reason):
    return ("skip", step_id, reason, [])


MARK_RUNNING = ("mark_running", None, "", [])
MARK_WAITING = ("mark_waiting", None, "", [])
FINISH = ("finish", None, "", [])

CASES = {
    "no rows at all: nothing to do": ([], []),
    "a pending step without dependencies is claimed and the run marked running": (
        [row("a")],
        [claim("a"), MARK_RUNNING],
    ),
    "a pending step whose retry backoff has not elapsed waits": (
        [row("a", resume_at=LATER)],
        [],
    ),
    "a pending step whose backoff has elapsed is claimed": (
        [row("a", resume_at=EARLIER)],
        [claim("a"), MARK_RUNNING],
    ),
    "a dependency that does not exist skips the step": (
        [row("a", deps=["ghost"])],
        [skip("a", "unknown dependency: ghost")],
    ),
    "a step waits while its dependency runs": (
        [row("a", "running"), row("b", deps=["a"])],
        [],
    ),
    "a step is claimed once its dependency succeeded": (
        [row("a", "succeeded"), row("b", deps=["a"])],
        [claim("b"), MARK_RUNNING],
    ),
    "a failed dependency skips the step": (
        [row("a", "failed"), row("b", deps=["a"])],
        [skip("b", "upstream failed: a")],
    ),
    "a cancelled dependency skips the step": (
        [row("a", "cancelled"), row("b", deps=["a"])],
        [skip("b", "upstream failed: a")],
    ),
    "a step whose dependencies were all skipped is skipped": (
        [row("a", "skipped"), row("b", "skipped"), row("c", deps=["a", "b"])],
        [skip("c", "upstream skipped")],
    ),
    "one skipped and one succeeded dependency is enough to run": (
        [row("a", "skipped"), row("b", "succeeded"), row("c", deps=["a", "b"])],
        [claim("c"), MARK_RUNNING],
    ),
    "after_any runs once every dependency ended, even failed": (
        [row("a", "failed"), row("b", deps=["a"], spec={"after_any": True})],
        [claim("b"), MARK_RUNNING],
    ),
    "after_any waits while a dependency is still running": (
        [row("a", "running"), row("b", deps=["a"], spec={"after_any": True})],
        [],
    ),
    "a true `when` condition lets the step run": (
        [row("a", spec={"when": "input.go"})],
        [claim("a"), MARK_RUNNING],
    ),
    "a false `when` condition skips the step": (
        [row("a", spec={"when": "not input.go"})],
        [skip("a", "condition false: not input.go")],
    ),
    "condition_expr is read like `when`": (
        [row("a", spec={"condition_expr": "not input.go"})],
        [skip("a", "condition false: not input.go")],
    ),
    "a condition that cannot be evaluated skips the step with the error": (
        [row("a", spec={"when": "input.go +"})],
        "condition error",
    ),
    "a parent's concurrency limit holds back a child while another runs": (
        [
            row("p", "waiting", type="parallel", spec={"concurrency": 1}),
            row("x", "running", parent="p"),
            row("y", parent="p"),
        ],
        [],
    ),
    "the concurrency limit counts children claimed in the same pass": (
        [
            row("p", "waiting", type="parallel", spec={"concurrency": 1}),
            row("x", parent="p"),
            row("y", parent="p"),
        ],
        [claim("x"), MARK_RUNNING],
    ),
    "a parallel step whose branches all ended is finalized with them": (
        [
            row("p", "waiting", type="parallel"),
            row("x", "succeeded", parent="p"),
            row("y", "failed", parent="p"),
        ],
        [("finalize", "p", "", ["x", "y"])],
    ),
    "a coordinator whose stages all ended is claimed to synthesise": (
        [
            row("c", "waiting", type="coordinator", has_children_stage=True),
            row("c.s1", "succeeded", parent="c"),
        ],
        [("synthesize", "c", "", ["c.s1"]), MARK_RUNNING],
    ),
    "a parent with a branch still running neither finalizes nor marks the run": (
        [row("p", "waiting", type="parallel"), row("x", "running", parent="p")],
        [],
    ),
    "a coordinator waiting for its stages (none inserted yet) does not mark the run waiting": (
        [row("c", "waiting", type="coordinator", has_children_stage=True)],
        [],
    ),
    "a wait step whose timer is due resumes": (
        [row("w", "waiting", type="wait", resume_at=EARLIER)],
        [("resume", "w", "", [])],
    ),
    "a wait step whose timer is not due marks the run waiting": (
        [row("w", "waiting", type="wait", resume_at=LATER)],
        [MARK_WAITING],
    ),
    "a step waiting for a person marks the run waiting": (
        [row("h", "waiting", type="human_approval")],
        [MARK_WAITING],
    ),
    "a coordinator whose plan awaits review marks the run waiting": (
        [row("c", "waiting", type="coordinator", awaits_person=True)],
        [MARK_WAITING],
    ),
    "a person is waited on but another step runs: the run stays running": (
        [row("h", "waiting", type="human_approval"), row("a", "running")],
        [],
    ),
    "a claim alongside a waiting person marks the run running": (
        [row("h", "waiting", type="human_approval"), row("a")],
        [claim("a"), MARK_RUNNING],
    ),
    "every step ended: the run finishes": (
        [row("a", "succeeded"), row("b", "skipped"), row("c", "failed")],
        [FINISH],
    ),
    "state changes come first: a skip is returned alone, without finishing or marking": (
        [row("a", "failed"), row("b", deps=["a"]), row("c")],
        [skip("b", "upstream failed: a"), claim("c")],
    ),
    "a due timer is returned alone, before any marking": (
        [row("w", "waiting", type="wait", resume_at=EARLIER), row("a")],
        [("resume", "w", "", []), claim("a")],
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_next_actions(case):
    rows, expected = CASES[case]
    actions = decided(rows, context=lambda: {"input": {"go": True}, "steps": {}})
    if expected == "condition error":
        assert len(actions) == 1 and actions[0][:2] == ("skip", "a")
        assert actions[0][2].startswith("condition error: ")
    else:
        assert actions == expected


def test_the_expression_context_is_built_once_and_only_when_a_condition_needs_it():
    built = []

    def context():
        built.append(1)
        return {"input": {"go": True}, "steps": {}}

    decided([row("a"), row("b")], context=context)
    assert built == []
    decided([row("a", spec={"when": "input.go"}), row("b", spec={"when": "input.go"})], context)
    assert built == [1]
