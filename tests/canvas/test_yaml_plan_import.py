"""plan_from_yaml: plan YAML becomes a Plan, or every problem is reported at once, located."""

from pathlib import Path

import pytest

from canvas.errors import InvalidDocument
from canvas.plan import STEP_TYPES, AgentStep, HumanApprovalStep
from canvas.yaml_io import plan_from_document, plan_from_yaml

FIXTURES = Path(__file__).parent / "fixtures"


def problems_of(text):
    with pytest.raises(InvalidDocument) as caught:
        plan_from_yaml(text)
    return caught.value.problems


def plan_yaml(steps, extra=""):
    return "name: test\nsteps:\n" + steps + extra


def test_it_imports_the_document_processing_example():
    plan = plan_from_yaml((FIXTURES / "document_processing.yaml").read_text())
    assert plan.name == "document-processing"
    assert [s.id for s in plan.steps] == ["extract", "summarize", "review", "publish"]
    extract, summarize, review, publish = plan.steps
    assert isinstance(extract, AgentStep) and extract.agent == "document-ocr"
    assert extract.input == {"document_id": "{{ input.document_id }}"}
    assert summarize.depends_on == ["extract"]
    assert isinstance(review, HumanApprovalStep)
    assert review.assignee == "{{ input.reviewer }}"
    assert publish.depends_on == ["review"]
    assert plan.adaptive.enabled and plan.adaptive.max_revisions == 5
    assert plan.adaptive.triggers[0].condition == "step.status == 'failed'"


def test_it_reports_wrong_types_in_step_fields_with_dotted_paths_and_step_ids():
    problems = problems_of(
        plan_yaml(
            "  - {id: a, type: agent, agent: x, retries: many}\n"
            "  - {id: b, type: agent, agent: y, depends_on: [a, 7], timeout_seconds: -1}\n"
            "  - {id: c, type: wait, duration_seconds: soon}\n"
        )
    )
    located = {(p.field, p.node): p.message for p in problems}
    assert "valid integer" in located[("steps.0.retries", "a")]
    assert "valid string" in located[("steps.1.depends_on.1", "b")]
    assert "greater than 0" in located[("steps.1.timeout_seconds", "b")]
    assert "valid number" in located[("steps.2.duration_seconds", "c")]
    assert len(problems) == 4


def test_it_reports_a_list_where_a_mapping_belongs():
    (problem,) = problems_of(plan_yaml("  - {id: a, type: agent, agent: x, input: [1, 2]}\n"))
    assert (problem.field, problem.node) == ("steps.0.input", "a")
    assert "valid dictionary" in problem.message


def test_it_lists_the_valid_types_for_an_unknown_step_type():
    (problem,) = problems_of(
        plan_yaml("  - {id: a, type: agent, agent: x}\n  - {id: b, type: robot}\n")
    )
    assert problem.field == "steps.1.type"
    assert problem.node == "b"
    assert "unknown step type 'robot'" in problem.message
    assert "valid types: " + ", ".join(STEP_TYPES) in problem.message


def test_it_asks_for_a_type_when_a_step_has_none():
    (problem,) = problems_of(plan_yaml("  - {id: a, agent: x}\n"))
    assert (problem.field, problem.node) == ("steps.0.type", "a")
    assert "a step needs a 'type'; valid types: agent," in problem.message


def test_it_reports_unknown_fields_and_missing_required_ones():
    problems = problems_of(plan_yaml("  - {id: a, type: agent, agnt: x}\n"))
    assert {(p.field, p.message) for p in problems} == {
        ("steps.0.agnt", "unknown field 'agnt'"),
        ("steps.0.agent", "this field is required"),
    }


def test_it_refuses_a_document_without_steps():
    (problem,) = problems_of("name: lonely\ndescription: no steps here\n")
    assert problem.field == "steps"
    assert "a plan needs a top-level 'steps:' list" in problem.message
    assert "found keys: 'name', 'description'" in problem.message


def test_it_refuses_an_empty_step_list():
    (problem,) = problems_of("name: x\nsteps: []\n")
    assert problem.field == "steps"
    assert "at least 1 item" in problem.message


def test_it_requires_a_name():
    (problem,) = problems_of("steps:\n  - {id: a, type: agent, agent: x}\n")
    assert (problem.field, problem.message) == ("name", "this field is required")


@pytest.mark.parametrize(
    ("text", "found"),
    [("- id: a\n", "a list"), ("just words\n", "a string"), ("42\n", "a int")],
)
def test_it_refuses_a_top_level_that_is_not_a_mapping(text, found):
    (problem,) = problems_of(text)
    assert problem.field == "document"
    assert "expected a mapping with a top-level 'steps:' list" in problem.message
    assert problem.message.endswith(f"found {found}")


def test_it_refuses_a_document_that_is_both_a_plan_and_a_workflow():
    (problem,) = problems_of("workflow: {name: w}\nsteps: []\n")
    assert problem.field == "document"
    assert "both 'workflow:'" in problem.message


def test_it_reports_a_dependency_cycle():
    (problem,) = problems_of(
        plan_yaml(
            "  - {id: a, type: agent, agent: x, depends_on: [c]}\n"
            "  - {id: b, type: agent, agent: x, depends_on: [a]}\n"
            "  - {id: c, type: agent, agent: x, depends_on: [b]}\n"
        )
    )
    assert (problem.field, problem.node) == ("steps.0.depends_on", "a")
    assert problem.message == "cycle: a -> c -> b -> a"


def test_it_reports_an_unknown_dependency():
    (problem,) = problems_of(
        plan_yaml(
            "  - {id: a, type: agent, agent: x}\n  - {id: b, type: agent, agent: x, depends_on: [ghost]}\n"
        )
    )
    assert (problem.field, problem.node) == ("steps.1.depends_on", "b")
    assert problem.message == "unknown step 'ghost'"


def test_it_reports_a_duplicate_step_id_at_its_second_occurrence():
    (problem,) = problems_of(
        plan_yaml(
            "  - {id: a, type: agent, agent: x}\n  - {id: b, type: agent, agent: x}\n  - {id: a, type: wait, event: go}\n"
        )
    )
    assert (problem.field, problem.node, problem.message) == (
        "steps.2.id",
        "a",
        "duplicate step id",
    )


def test_it_reports_an_unknown_result_step():
    (problem,) = problems_of(plan_yaml("  - {id: a, type: agent, agent: x}\n", "result: b\n"))
    assert (problem.field, problem.node) == ("result", None)
    assert problem.message == "unknown step 'b'"


def test_it_locates_problems_inside_parallel_branches():
    problems = problems_of(
        plan_yaml(
            "  - id: fan\n    type: parallel\n    branches:\n"
            "      - {id: left, type: agent, agent: x}\n"
            "      - {id: right, type: agent, agent: Bad Slug}\n"
            "      - {id: left, type: agent, agent: y}\n"
        )
    )
    located = {(p.field, p.node): p.message for p in problems}
    assert "should match pattern" in located[("steps.0.branches.1.agent", "right")]
    assert located[("steps.0.branches.2.id", "left")] == "duplicate step id"


def test_it_collects_every_problem_before_raising():
    problems = problems_of(
        "steps:\n"
        "  - {id: a, type: agent, agent: x, retries: 99}\n"
        "  - {id: b, type: robot}\n"
        "  - {id: c, type: agent, agent: x, depends_on: [d, ghost]}\n"
        "  - {id: d, type: agent, agent: x, depends_on: [c]}\n"
    )
    fields = [p.field for p in problems]
    assert "name" in fields  # missing
    assert "steps.0.retries" in fields  # too many retries
    assert "steps.1.type" in fields  # unknown type
    messages = [p.message for p in problems]
    assert "unknown step 'ghost'" in messages  # structural checks still ran
    assert "cycle: c -> d -> c" in messages
    assert len(problems) == 5


def test_plan_from_document_takes_already_parsed_data():
    plan = plan_from_document({"name": "x", "steps": [{"id": "a", "type": "agent", "agent": "y"}]})
    assert plan.steps[0].agent == "y"
