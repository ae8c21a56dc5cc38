"""plan_to_graph: a plan laid out on a canvas, and compile_graph giving the same plan back."""

import pytest

from canvas.graph import compile_graph, plan_to_graph, validate_graph
from canvas.layout import NODE_HEIGHT, NODE_WIDTH
from canvas.plan import Plan, plan_problems

DOCUMENT_PROCESSING = {
    "name": "document-processing",
    "description": "Process and summarize a document",
    "input_schema": {"type": "object", "properties": {"document_id": {"type": "string"}}},
    "steps": [
        {
            "id": "extract",
            "type": "agent",
            "agent": "document-ocr",
            "input": {"document_id": "{{ input.document_id }}"},
        },
        {
            "id": "summarize",
            "type": "agent",
            "agent": "summarizer",
            "depends_on": ["extract"],
            "input": {"text": "{{ steps.extract.output.text }}"},
            "retries": 2,
            "timeout_seconds": 120,
        },
        {
            "id": "review",
            "type": "human_approval",
            "depends_on": ["summarize"],
            "prompt": "Please review the summary",
            "assignee": "{{ input.reviewer }}",
            "approval_timeout_seconds": 3600,
            "timeout_seconds": 7200,
        },
    ],
}

FAN_OUT = {
    "name": "fan-out",
    "steps": [
        {"id": "prepare", "type": "transform", "output": {"q": "{{ input.q }}"}},
        {
            "id": "search",
            "type": "parallel",
            "depends_on": ["prepare"],
            "concurrency": 2,
            "on_failure": "wait_all",
            "branches": [
                {"id": "web", "type": "agent", "agent": "web-search", "query": "{{ input.q }}"},
                {"id": "docs", "type": "agent", "agent": "docs-search", "when": "input.docs"},
                {"id": "pause", "type": "wait", "duration_seconds": 5},
            ],
        },
        {
            "id": "merge",
            "type": "transform",
            "name": "Merge results",
            "depends_on": ["search"],
            "output": "{{ steps.search.output }}",
        },
    ],
    "result": "merge",
}

ROUTING = {
    "name": "routing",
    "steps": [
        {"id": "classify", "type": "agent", "agent": "classifier"},
        {
            "id": "is_urgent",
            "type": "condition",
            "depends_on": ["classify"],
            "expression": "steps.classify.output.urgent",
            "if_true": ["page", "ask"],
            "if_false": ["ticket"],
        },
        {"id": "page", "type": "agent", "agent": "pager", "depends_on": ["is_urgent"]},
        {
            "id": "ask",
            "type": "human_input",
            "depends_on": ["is_urgent"],
            "prompt": "Who is on call?",
            "form": {"type": "object", "properties": {"name": {"type": "string"}}},
            "input_timeout_seconds": 300,
        },
        {"id": "ticket", "type": "sub_plan", "plan": "open-ticket", "depends_on": ["is_urgent"]},
        {
            "id": "done",
            "type": "wait",
            "event": "ticket.closed",
            "depends_on": ["page", "ask", "ticket"],
            "loop": {"until": "step.output.ok", "max_iterations": 2},
        },
    ],
    "result": "done",
}

RESEARCH = {
    "name": "research",
    "steps": [
        {
            "id": "lead",
            "type": "coordinator",
            "agents": ["web-search", "docs-search", "summarizer"],
            "query": "{{ input.question }}",
            "config": {
                "selection_strategy": "load_balanced",
                "coordination_strategy": "parallel",
                "failure_handling": "continue_partial",
                "sub_agents": ["web-search", "docs-search", "summarizer"],
                "context_policy": {"mode": "last_n", "last_n": 4},
                "budget": {"max_total_dispatches": 20},
            },
        },
        {
            "id": "approve",
            "type": "human_approval",
            "depends_on": ["lead"],
            "assignee": "group:editors",
            "default_action": "reject",
        },
    ],
    "result": "approve",
}

# step ids that clash with the ids plan_to_graph would like for its own nodes
CLASHING = {
    "name": "clash",
    "steps": [
        {"id": "begin", "type": "transform", "output": 1},
        {"id": "interact", "type": "transform", "output": 2, "depends_on": ["begin"]},
        {
            "id": "boss",
            "type": "coordinator",
            "agents": ["x"],
            "depends_on": ["interact"],
            "config": {"sub_agents": ["x"]},
        },
        {"id": "boss_x", "type": "transform", "depends_on": ["boss"]},
    ],
    "result": "boss_x",
}


def round_trip(document: dict) -> tuple[Plan, Plan, dict]:
    plan = Plan.model_validate(document)
    canvas = plan_to_graph(plan)
    assert validate_graph(canvas) == []
    again = compile_graph(canvas, plan.name, plan.description)
    assert plan_problems(again) == []
    return plan, again, canvas


@pytest.mark.parametrize(
    "document", [FAN_OUT, ROUTING, RESEARCH, CLASHING], ids=lambda d: d["name"]
)
def test_a_plan_survives_a_round_trip_through_the_canvas(document):
    plan, again, _ = round_trip(document)
    assert again.model_dump() == plan.model_dump()


def test_a_plan_without_result_gets_its_single_sink_as_result():
    plan, again, canvas = round_trip(DOCUMENT_PROCESSING)
    assert again.model_dump(exclude={"result"}) == plan.model_dump(exclude={"result"})
    assert again.result == "review"
    interact = next(n for n in canvas["nodes"] if n["type"] == "interact")
    assert [e["source"] for e in canvas["edges"] if e["target"] == interact["id"]] == ["review"]


def test_the_canvas_has_begin_steps_and_interact_with_flow_edges():
    canvas = plan_to_graph(Plan.model_validate(DOCUMENT_PROCESSING))
    assert [(n["id"], n["type"]) for n in canvas["nodes"]] == [
        ("begin", "begin"),
        ("extract", "sub_agent"),
        ("summarize", "sub_agent"),
        ("review", "human_approval"),
        ("interact", "interact"),
    ]
    assert [(e["source"], e["sourceHandle"], e["target"]) for e in canvas["edges"]] == [
        ("begin", "out", "extract"),
        ("extract", "out", "summarize"),
        ("summarize", "out", "review"),
        ("review", "out", "interact"),
    ]
    begin = canvas["nodes"][0]
    assert begin["data"]["config"] == {"input_schema": DOCUMENT_PROCESSING["input_schema"]}
    summarize = canvas["nodes"][2]["data"]
    assert summarize["config"] == {"agent": "summarizer", "query": "", "timeout_seconds": 120}
    assert summarize["step"] == {"input": {"text": "{{ steps.extract.output.text }}"}, "retries": 2}


def test_the_layout_is_layered_left_to_right():
    canvas = plan_to_graph(Plan.model_validate(DOCUMENT_PROCESSING))
    xs = [n["position"]["x"] for n in canvas["nodes"]]
    assert xs == sorted(xs) and len(set(xs)) == 5  # one column each, left to right
    assert len({n["position"]["y"] for n in canvas["nodes"]}) == 1  # a chain is a straight row


def test_layers_follow_the_longest_path_and_stack_vertically():
    _, _, canvas = round_trip(ROUTING)
    xs = sorted({n["position"]["x"] for n in canvas["nodes"]})
    column = {n["id"]: xs.index(n["position"]["x"]) for n in canvas["nodes"]}
    assert column == {
        "begin": 0,
        "classify": 1,
        "is_urgent": 2,
        "page": 3,
        "ask": 3,
        "ticket": 3,
        "done": 4,
        "interact": 5,
    }
    stacked = sorted(n["position"]["y"] for n in canvas["nodes"] if column[n["id"]] == 3)
    assert all(b - a >= NODE_HEIGHT for a, b in zip(stacked, stacked[1:], strict=False))


def test_branches_and_delegated_agents_hang_off_their_handles():
    _, _, fan_canvas = round_trip(FAN_OUT)
    assert [
        (e["source"], e["sourceHandle"], e["target"])
        for e in fan_canvas["edges"]
        if e["source"] == "search"
    ] == [
        ("search", "branches", "web"),
        ("search", "branches", "docs"),
        ("search", "branches", "pause"),
        ("search", "out", "merge"),
    ]
    _, _, research_canvas = round_trip(RESEARCH)
    delegated = [
        (e["target"], e["targetHandle"])
        for e in research_canvas["edges"]
        if e["sourceHandle"] == "agents"
    ]
    assert delegated == [
        ("lead_web-search", "delegate"),
        ("lead_docs-search", "delegate"),
        ("lead_summarizer", "delegate"),
    ]
    position = {n["id"]: n["position"] for n in research_canvas["nodes"]}
    lead = position["lead"]
    row = [position[s] for s in ("lead_web-search", "lead_docs-search", "lead_summarizer")]
    # in a row beneath the lead, side by side, so each delegation edge goes straight down
    assert {p["y"] for p in row} == {lead["y"] + NODE_HEIGHT + 70}
    assert all(b["x"] - a["x"] >= NODE_WIDTH for a, b in zip(row, row[1:], strict=False))
    assert row[0]["x"] < lead["x"] < row[-1]["x"]


def test_the_ids_of_begin_interact_and_sub_agents_never_clash_with_step_ids():
    _, _, canvas = round_trip(CLASHING)
    ids = [n["id"] for n in canvas["nodes"]]
    assert len(ids) == len(set(ids))
    assert {n["type"] for n in canvas["nodes"] if n["id"] in ("begin", "interact")} == {"transform"}


def test_a_plan_without_result_and_several_sinks_feeds_them_all_to_interact():
    plan = Plan.model_validate(
        {
            "name": "two",
            "steps": [{"id": "a", "type": "transform"}, {"id": "b", "type": "transform"}],
        }
    )
    canvas = plan_to_graph(plan)
    assert [e["source"] for e in canvas["edges"] if e["target"] == "interact"] == ["a", "b"]
    again = compile_graph(canvas, "two")
    assert again.result == "interact"  # the collecting transform
    assert [s.id for s in again.steps] == ["a", "b", "interact"]


def test_a_coordinator_config_gets_its_sub_agents_filled_in_from_its_agents():
    plan = Plan.model_validate(
        {"name": "fill", "steps": [{"id": "lead", "type": "coordinator", "agents": ["a", "b"]}]}
    )
    assert plan.steps[0].config.sub_agents == []
    again = compile_graph(plan_to_graph(plan), "fill")
    assert again.steps[0].agents == ["a", "b"]
    assert again.steps[0].config.sub_agents == ["a", "b"]
