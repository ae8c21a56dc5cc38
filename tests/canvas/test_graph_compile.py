"""compile_graph: the mapping from each component to its plan step, and the plan's shape."""

import pytest

from canvas.errors import InvalidDocument
from canvas.graph import compile_graph
from canvas.plan import plan_problems
from tests.canvas.graph_factory import (
    agent,
    begin,
    chain,
    edge,
    graph,
    interact,
    node,
    simple_graph,
)


def only_step(step_node: dict):
    document = graph([begin(), step_node, interact()], chain("begin", step_node["id"], "answer"))
    plan = compile_graph(document, "one")
    assert plan_problems(plan) == []
    assert [s.id for s in plan.steps] == [step_node["id"]]
    return plan.steps[0].model_dump(exclude={"id", "name", "depends_on"})


def test_a_simple_graph_compiles_to_a_chain_of_agent_steps():
    plan = compile_graph(simple_graph(), "docs", "Summarise documents")
    assert plan.name == "docs"
    assert plan.description == "Summarise documents"
    assert [(s.id, s.type, s.agent, s.depends_on) for s in plan.steps] == [
        ("extract", "agent", "document-ocr", []),  # begin is not a step: no dependency
        ("summarize", "agent", "summarizer", ["extract"]),
    ]
    assert plan.result == "summarize"
    assert plan_problems(plan) == []


def test_the_begin_config_gives_the_input_schema():
    schema = {"type": "object", "properties": {"topic": {"type": "string"}}, "required": ["topic"]}
    document = simple_graph()
    document["nodes"][0] = begin(input_schema=schema)
    assert compile_graph(document, "x").input_schema == schema


def test_a_sub_agent_maps_query_and_timeout():
    assert only_step(
        agent("a", "writer", query="Write about {{ input.topic }}", timeout_seconds=9)
    ) == {
        "type": "agent",
        "agent": "writer",
        "query": "Write about {{ input.topic }}",
        "input": {},
        "fallback": None,
        "timeout_seconds": 9,
        "when": None,
        "retries": 0,
        "loop": None,
    }


def test_an_empty_query_compiles_to_none():
    assert only_step(agent("a", "writer", query=""))["query"] is None


def test_a_human_approval_maps_its_config():
    config = {
        "prompt": "Ship it?",
        "assignee": "group:leads",
        "timeout_seconds": 600,
        "default_action": "approve",
    }
    step = only_step(node("ok", "human_approval", config))
    assert {
        k: step[k]
        for k in ("type", "prompt", "assignee", "approval_timeout_seconds", "default_action")
    } == {
        "type": "human_approval",
        "prompt": "Ship it?",
        "assignee": "group:leads",
        "approval_timeout_seconds": 600,
        "default_action": "approve",
    }
    assert step["timeout_seconds"] is None  # the step timeout is not the approval timeout


def test_an_empty_assignee_compiles_to_none():
    assert only_step(node("ok", "human_approval", {}))["assignee"] is None
    assert only_step(node("form", "human_input", {}))["assignee"] is None


def test_a_human_input_maps_its_config():
    form = {"type": "object", "properties": {"reason": {"type": "string"}}}
    step = only_step(
        node(
            "ask",
            "human_input",
            {"prompt": "Why?", "assignee": "bob", "form": form, "timeout_seconds": 60},
        )
    )
    assert {
        k: step[k] for k in ("type", "prompt", "assignee", "form", "input_timeout_seconds")
    } == {
        "type": "human_input",
        "prompt": "Why?",
        "assignee": "bob",
        "form": form,
        "input_timeout_seconds": 60,
    }


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"duration_seconds": 30}, {"duration_seconds": 30, "event": None}),
        ({"event": "invoice.paid"}, {"duration_seconds": None, "event": "invoice.paid"}),
    ],
)
def test_a_wait_maps_duration_or_event(config, expected):
    step = only_step(node("pause", "wait", config))
    assert {k: step[k] for k in expected} == expected


def test_a_sub_plan_maps_canvas_to_plan():
    step = only_step(
        node("child", "sub_plan", {"canvas": "triage", "input": {"q": "{{ input.q }}"}})
    )
    assert (step["type"], step["plan"], step["input"]) == (
        "sub_plan",
        "triage",
        {"q": "{{ input.q }}"},
    )


def test_a_transform_maps_its_output():
    step = only_step(
        node("shape", "transform", {"output": {"title": "{{ input.t }}", "n": [1, 2]}})
    )
    assert (step["type"], step["output"]) == ("transform", {"title": "{{ input.t }}", "n": [1, 2]})


def test_a_condition_lists_the_steps_on_each_handle():
    document = graph(
        [
            begin(),
            node("check", "condition", {"expression": "input.urgent"}),
            agent("fast", "pager"),
            agent("slow", "mailer"),
            agent("log", "logger"),
            interact(),
        ],
        [
            edge("begin", "check"),
            edge("check", "fast", "true"),
            edge("check", "log", "true"),
            edge("check", "slow", "false"),
            edge("check", "answer", "false"),  # interact is not a step: not in if_false
            edge("fast", "answer"),
        ],
    )
    plan = compile_graph(document, "route")
    steps = {s.id: s for s in plan.steps}
    assert (steps["check"].expression, steps["check"].if_true, steps["check"].if_false) == (
        "input.urgent",
        ["fast", "log"],
        ["slow"],
    )
    assert steps["slow"].depends_on == ["check"]
    assert plan_problems(plan) == []


def test_labels_become_names_unless_empty_or_equal_to_the_id():
    document = simple_graph()
    document["nodes"][1]["data"]["label"] = "Extract text"
    document["nodes"][2]["data"]["label"] = "summarize"
    plan = compile_graph(document, "x")
    assert [s.name for s in plan.steps] == ["Extract text", None]


def test_step_options_come_from_data_step():
    step = agent("a", "writer")
    step["data"]["step"] = {
        "when": "input.enabled",
        "retries": 2,
        "loop": {"until": "step.output.done", "max_iterations": 4},
        "input": {"text": "{{ input.text }}"},
        "fallback": "backup-writer",
    }
    dumped = only_step(step)
    assert {k: dumped[k] for k in ("when", "retries", "loop", "input", "fallback")} == {
        "when": "input.enabled",
        "retries": 2,
        "loop": {"until": "step.output.done", "max_iterations": 4},
        "input": {"text": "{{ input.text }}"},
        "fallback": "backup-writer",
    }


def test_dependencies_are_deduplicated_in_edge_order():
    document = graph(
        [begin(), agent("b"), agent("a"), node("join", "transform"), interact()],
        [
            *chain("begin", "b", "join"),
            *chain("begin", "a", "join", "answer"),
            edge("b", "join", edge_id="again"),
        ],
    )
    steps = {s.id: s for s in compile_graph(document, "x").steps}
    assert steps["join"].depends_on == ["b", "a"]


def test_several_steps_feeding_interact_are_collected_by_a_transform():
    document = graph(
        [begin(), agent("a"), agent("b"), node("answer", "interact", label="Final")],
        [*chain("begin", "a", "answer"), *chain("begin", "b", "answer")],
    )
    plan = compile_graph(document, "both")
    collector = plan.steps[-1]
    assert plan.result == "answer"
    assert (collector.id, collector.type, collector.name, collector.depends_on) == (
        "answer",
        "transform",
        "Final",
        ["a", "b"],
    )
    assert collector.output == {"a": "{{ steps.a.output }}", "b": "{{ steps.b.output }}"}
    assert plan_problems(plan) == []


def test_without_an_interact_node_there_is_no_result():
    document = graph([begin(), agent("a")], chain("begin", "a"))
    assert compile_graph(document, "x").result is None


def test_it_raises_invalid_document_with_every_problem():
    document = simple_graph()
    document["nodes"].append(node("bad", "teleport"))
    document["edges"].append(edge("summarize", "ghost"))
    with pytest.raises(InvalidDocument) as caught:
        compile_graph(document, "x")
    assert {(p.node, p.edge, p.field) for p in caught.value.problems} == {
        ("bad", None, "type"),
        (None, "summarize.out->ghost", "target"),
        ("bad", None, ""),  # unreachable
    }


def test_an_invalid_plan_name_is_reported_as_an_invalid_document():
    with pytest.raises(InvalidDocument) as caught:
        compile_graph(simple_graph(), "")
    assert [p.field for p in caught.value.problems] == ["name"]
