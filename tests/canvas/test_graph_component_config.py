"""validate_graph: component types, their configs, step options and registry slugs."""

from canvas.graph import step_options_schema, validate_graph
from tests.canvas.graph_factory import agent, begin, chain, graph, interact, node, simple_graph


def one_step(step: dict) -> dict:
    return graph([begin(), step, interact()], chain("begin", step["id"], "answer"))


def located(problems):
    return [(p.node, p.field, p.message) for p in problems]


def test_it_rejects_an_unknown_component_type():
    problems = validate_graph(one_step(node("x", "teleport")))
    assert len(problems) == 1
    assert problems[0].node == "x"
    assert problems[0].field == "type"
    assert "unknown component type 'teleport'" in problems[0].message
    assert "coordinator" in problems[0].message  # lists the known types


def test_it_reports_one_problem_per_config_error_with_a_dotted_path():
    coordinator = node(
        "boss",
        "coordinator",
        {
            "selection_strategy": "random",
            "temperature": 5,
            "context_policy": {"mode": "everything"},
            "surprise": True,
        },
    )
    document = graph(
        [begin(), coordinator, agent("helper"), interact()],
        [
            *chain("begin", "boss", "answer"),
            {
                "id": "d",
                "source": "boss",
                "target": "helper",
                "sourceHandle": "agents",
                "targetHandle": "delegate",
            },
        ],
    )
    problems = validate_graph(document)
    assert sorted(p.field for p in problems) == [
        "data.config.context_policy.mode",
        "data.config.selection_strategy",
        "data.config.surprise",
        "data.config.temperature",
    ]
    assert all(p.node == "boss" and p.severity == "error" for p in problems)


def test_a_model_level_config_error_is_located_on_the_config():
    problems = validate_graph(one_step(node("w", "wait", {})))
    assert located(problems) == [
        ("w", "data.config", "set exactly one of duration_seconds or event")
    ]


def test_a_missing_required_config_field_is_reported():
    document = one_step(node("c", "condition", {}))
    document["edges"][1]["sourceHandle"] = "true"
    problems = validate_graph(document)
    assert [(p.node, p.field) for p in problems] == [("c", "data.config.expression")]


def test_a_missing_config_means_the_defaults():
    step = node("t", "transform")
    del step["data"]["config"]
    assert validate_graph(one_step(step)) == []


def test_a_config_that_is_not_an_object_is_reported():
    problems = validate_graph(
        one_step(node("t", "transform", config=None) | {"data": {"config": 3}})
    )
    assert located(problems) == [("t", "data.config", "config must be an object")]


def test_a_sub_agent_must_name_exactly_one_source():
    problems = validate_graph(one_step(node("a", "sub_agent", {})))
    assert located(problems) == [
        ("a", "data.config", "choose a registry agent or define one inline (exactly one)")
    ]


def test_a_sub_agent_slug_must_be_a_registry_slug():
    problems = validate_graph(one_step(agent("a", "My Agent")))
    assert [(p.node, p.field) for p in problems] == [("a", "data.config.agent")]


def test_a_sub_plan_canvas_must_be_a_slug():
    problems = validate_graph(one_step(node("s", "sub_plan", {"canvas": "Other Canvas"})))
    assert [(p.node, p.field) for p in problems] == [("s", "data.config.canvas")]


def test_it_rejects_a_sub_agent_not_in_the_known_agents():
    document = simple_graph()
    problems = validate_graph(document, known_agents={"summarizer"})
    assert located(problems) == [
        (
            "extract",
            "data.config.agent",
            "unknown agent 'document-ocr': no enabled agent with this slug that you may use",
        )
    ]
    assert validate_graph(document, known_agents={"summarizer", "document-ocr"}) == []


def test_known_agents_do_not_apply_to_inline_sub_agents():
    inline = node("a", "sub_agent", {"inline": {"name": "A", "description": "Does a."}})
    assert validate_graph(one_step(inline), known_agents=set()) == []


def test_step_options_are_validated_under_data_step():
    step = agent("a")
    step["data"]["step"] = {"retries": 99, "loop": {"max_iterations": 3}, "timeout_seconds": 5}
    problems = validate_graph(one_step(step))
    assert sorted(p.field for p in problems) == [
        "data.step.loop.until",
        "data.step.retries",
        "data.step.timeout_seconds",  # a sub_agent's timeout lives in its config
    ]


def test_begin_and_interact_take_no_step_options():
    document = simple_graph()
    document["nodes"][0]["data"]["step"] = {"retries": 1}
    problems = validate_graph(document)
    assert located(problems) == [
        ("begin", "data.step", "begin is not a step and takes no step options")
    ]


def test_the_step_options_schema_describes_data_step_per_component():
    assert set(step_options_schema("sub_agent")["properties"]) == {
        "when",
        "retries",
        "loop",
        "input",
        "fallback",
    }
    assert "query" in step_options_schema("coordinator")["properties"]
    assert "timeout_seconds" in step_options_schema("wait")["properties"]
    assert step_options_schema("begin") is None
