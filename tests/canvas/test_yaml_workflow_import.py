"""workflow.yaml (reference 004) imports as a Plan: agents, dependency chains, approval, output."""

from pathlib import Path

import pytest

from canvas.errors import InvalidDocument
from canvas.plan import AgentStep, HumanApprovalStep, OutputSpec, TransformStep
from canvas.yaml_io import load_yaml, plan_from_yaml, workflow_to_plan

FIXTURES = Path(__file__).parent / "fixtures"
# The reference (004) workflow.yaml as Baton takes it (the verbatim one names an
# orchestration agent and a strategy it refuses; see reference/orchestration_workflow.yaml).
GITBOOK = FIXTURES / "reference" / "orchestration_workflow_for_baton.yaml"


def workflow(body):
    return "workflow:\n  name: wf\n" + body


def problems_of(text):
    with pytest.raises(InvalidDocument) as caught:
        plan_from_yaml(text)
    return caught.value.problems


def test_it_maps_the_gitbook_workflow_to_a_chain_of_agent_steps():
    plan = plan_from_yaml((GITBOOK).read_text())
    assert plan.name == "gitbook-chapter-generator"
    assert all(isinstance(step, AgentStep) for step in plan.steps)
    assert [(s.id, s.agent, s.depends_on) for s in plan.steps] == [
        ("researcher", "researcher", []),
        ("writer", "writer", ["researcher"]),
        ("reviewer", "reviewer", ["writer"]),
        ("formatter", "formatter", ["reviewer"]),
    ]
    assert plan.steps[0].query == "Gather latest information from official sources"
    assert plan.steps[0].name == "researcher (task)"
    assert {s.retries for s in plan.steps} == {3}
    assert plan.result == "formatter"
    assert plan.output == OutputSpec(format="markdown", destination="chapters/security.md")


def test_it_puts_the_goal_in_the_description():
    plan = plan_from_yaml((GITBOOK).read_text())
    assert plan.description == (
        "Goal: Produce a professional, ready-to-publish GitBook chapter on Enterprise Security"
    )


def test_a_sequential_strategy_without_dependencies_runs_agents_in_the_listed_order():
    plan = plan_from_yaml(
        workflow("  strategy: sequential\n  agents: [{name: a}, {name: b}, {name: c}]\n")
    )
    assert [(s.id, s.depends_on) for s in plan.steps] == [("a", []), ("b", ["a"]), ("c", ["b"])]
    assert plan.result == "c"


@pytest.mark.parametrize("strategy", ["parallel_review", "sequential_with_parallel_review", "x"])
def test_a_strategy_baton_cannot_follow_is_refused_with_what_to_write(strategy):
    (problem,) = problems_of(workflow(f"  strategy: {strategy}\n  agents: [{{name: a}}]\n"))
    assert problem.field == "workflow.strategy"
    assert f"unknown strategy {strategy!r}; write `sequential`" in problem.message
    assert "`writer -> [reviewer, fact_checker] -> formatter`" in problem.message


def test_an_orchestration_agent_is_refused_with_the_coordinator_step_to_write():
    (problem,) = problems_of(
        workflow(
            "  orchestration_agent: Main Coordinator\n  goal: Write a chapter\n"
            "  agents: [{name: a}, {name: b}]\n"
        )
    )
    assert problem.field == "workflow.orchestration_agent"
    assert (
        "`steps: [{id: main-coordinator, type: coordinator, agents: [a, b], "
        "query: 'Write a chapter'}]`" in problem.message
    )


def test_it_slugifies_agent_names_for_the_registry():
    plan = plan_from_yaml(workflow("  agents:\n    - name: Web_Researcher\n"))
    assert (plan.steps[0].id, plan.steps[0].agent) == ("Web_Researcher", "web_researcher")


def test_it_clamps_max_retries_to_the_step_limit():
    plan = plan_from_yaml(workflow("  max_retries: 50\n  agents: [{name: a}]\n"))
    assert plan.steps[0].retries == 10


def test_it_reads_fan_out_and_fan_in_chains():
    plan = plan_from_yaml(
        workflow(
            "  agents: [{name: a}, {name: b}, {name: c}, {name: d}]\n  dependencies: a -> [b, c] -> d\n"
        )
    )
    assert {s.id: s.depends_on for s in plan.steps} == {
        "a": [],
        "b": ["a"],
        "c": ["a"],
        "d": ["b", "c"],
    }
    assert plan.result == "d"


@pytest.mark.parametrize(
    "dependencies",
    [
        '["a -> b", "a -> c", "[b, c] -> d"]',
        "|\n    a -> b\n    a -> c\n    [b,c]->d",
        '"a -> b; a -> c; [b, c] -> d"',
        '"a → [b, c] → d"',
    ],
)
def test_it_accepts_lists_of_chains_and_one_chain_per_line(dependencies):
    plan = plan_from_yaml(
        workflow(
            f"  agents: [{{name: a}}, {{name: b}}, {{name: c}}, {{name: d}}]\n  dependencies: {dependencies}\n"
        )
    )
    assert {s.id: sorted(s.depends_on) for s in plan.steps} == {
        "a": [],
        "b": ["a"],
        "c": ["a"],
        "d": ["b", "c"],
    }


def test_agents_in_no_chain_run_in_parallel_and_one_output_collects_them():
    plan = plan_from_yaml(workflow("  strategy: parallel\n  agents: [{name: a}, {name: b}]\n"))
    a, b, output = plan.steps
    assert a.depends_on == b.depends_on == []
    assert isinstance(output, TransformStep)
    assert output.depends_on == ["a", "b"]
    assert output.output == {"a": "{{ steps.a.output }}", "b": "{{ steps.b.output }}"}
    assert plan.result == "output"
    assert plan.description == ""


def test_human_approval_gates_the_output():
    plan = plan_from_yaml(
        workflow(
            "  human_approval: true\n  agents: [{name: a}, {name: b}]\n  dependencies: a -> b\n"
        )
    )
    a, b, approval, output = plan.steps
    assert isinstance(approval, HumanApprovalStep)
    assert approval.id == "approval" and approval.depends_on == ["b"]
    assert "'wf'" in approval.prompt
    assert isinstance(output, TransformStep)
    assert output.depends_on == ["approval"]
    assert output.output == "{{ steps.b.output }}"
    assert plan.result == "output"


def test_it_avoids_id_clashes_with_agents_named_approval_or_output():
    plan = plan_from_yaml(
        workflow("  human_approval: true\n  agents: [{name: approval}, {name: output}]\n")
    )
    assert [s.id for s in plan.steps] == ["approval", "output", "approval_2", "output_2"]
    assert plan.steps[2].depends_on == ["approval", "output"]
    assert plan.result == "output_2"


@pytest.mark.parametrize(
    "destination", ["/etc/passwd", "../outside.md", "chapters/../../etc/x", "."]
)
def test_it_refuses_an_output_destination_outside_the_media_directory(destination):
    (problem,) = problems_of(
        workflow(
            f"  agents: [{{name: a}}]\n  output: {{format: markdown, destination: '{destination}'}}\n"
        )
    )
    assert problem.field == "workflow.output.destination"
    assert "relative path inside Baton's media directory" in problem.message


def test_it_refuses_an_unknown_output_format():
    (problem,) = problems_of(workflow("  agents: [{name: a}]\n  output: {format: pdf}\n"))
    assert problem.field == "workflow.output.format"
    assert "'markdown', 'json' or 'text'" in problem.message


def test_it_reports_unknown_agents_in_dependencies():
    (problem,) = problems_of(
        workflow("  agents: [{name: a}, {name: b}]\n  dependencies: a -> ghost -> b\n")
    )
    assert (problem.field, problem.node) == ("workflow.dependencies", "ghost")
    assert problem.message == "unknown agent 'ghost' in dependencies; agents are: a, b"


@pytest.mark.parametrize(
    ("chain", "fragment"),
    [
        ("a -> -> b", "expected an agent name or '[', found '->' at column 6"),
        ("a ->", "expected an agent name or '[', found the end"),
        ("-> a", "expected an agent name or '[', found '->' at column 1"),
        ("a b", "expected '->', found 'b' at column 3"),
        ("a -> [b", "expected ',' or ']', found the end"),
        ("a -> []", "expected an agent name, found ']' at column 7"),
        ("a -> [b,,c]", "expected an agent name, found ',' at column 9"),
    ],
)
def test_it_reports_malformed_chains(chain, fragment):
    (problem,) = problems_of(
        workflow(f"  agents: [{{name: a}}, {{name: b}}, {{name: c}}]\n  dependencies: '{chain}'\n")
    )
    assert problem.field == "workflow.dependencies"
    assert fragment in problem.message


def test_it_locates_a_bad_chain_in_a_list_and_refuses_non_strings():
    problems = problems_of(
        workflow("  agents: [{name: a}, {name: b}]\n  dependencies: ['a -> b', 'a b', 3]\n")
    )
    assert [(p.field, p.message.split(":")[0]) for p in problems] == [
        ("workflow.dependencies.1", "in 'a b'"),
        ("workflow.dependencies.2", "expected a chain like 'a -> b'; found a int"),
    ]


def test_it_reports_a_dependency_cycle():
    (problem,) = problems_of(
        workflow(
            "  agents: [{name: a}, {name: b}, {name: c}]\n  dependencies: [a -> b -> c, c -> a]\n"
        )
    )
    assert (problem.field, problem.node) == ("workflow.dependencies", "a")
    assert problem.message == "cycle: a -> c -> b -> a"


def test_it_reports_duplicate_agent_names():
    (problem,) = problems_of(workflow("  agents: [{name: a}, {name: b}, {name: a}]\n"))
    assert (problem.field, problem.node) == ("workflow.agents.2.name", "a")
    assert problem.message == "duplicate agent name 'a'"


def test_it_refuses_agent_names_that_cannot_be_step_ids():
    (problem,) = problems_of(workflow("  agents: [{name: 'web researcher'}]\n"))
    assert problem.field == "workflow.agents.0.name"
    assert "should match pattern" in problem.message


def test_it_refuses_unknown_keys_and_wrong_types_and_collects_them_all():
    problems = problems_of(
        workflow(
            "  agents: [{name: a, role: x}]\n  human_approval: maybe\n  max_retries: -1\n"
            "  memory: shared\n  dependencies: a -> nobody\n"
        )
    )
    assert {(p.field, p.node) for p in problems} == {
        ("workflow.agents.0.role", "a"),
        ("workflow.human_approval", None),
        ("workflow.max_retries", None),
        ("workflow.memory", None),
        ("workflow.dependencies", "nobody"),
    }


def test_it_needs_at_least_one_agent():
    (problem,) = problems_of(workflow("  agents: []\n"))
    assert problem.field == "workflow.agents"
    assert "at least 1 item" in problem.message


def test_workflow_to_plan_takes_already_parsed_data():
    doc = load_yaml((GITBOOK).read_text())
    assert workflow_to_plan(doc) == plan_from_yaml((GITBOOK).read_text())


def test_the_verbatim_reference_workflow_is_refused_on_two_fields():
    problems = problems_of((FIXTURES / "reference" / "orchestration_workflow.yaml").read_text())
    assert [p.field for p in problems] == ["workflow.orchestration_agent", "workflow.strategy"]
