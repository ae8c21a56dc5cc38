"""plan_to_yaml writes minimal plan YAML that plan_from_yaml reads back as the same Plan."""

from pathlib import Path

import pytest

from canvas.components import CoordinatorConfig
from canvas.plan import (
    AdaptiveConfig,
    AdaptiveTrigger,
    AgentStep,
    ConditionStep,
    CoordinatorStep,
    HumanApprovalStep,
    HumanInputStep,
    LoopSpec,
    OutputSpec,
    ParallelStep,
    Plan,
    SubPlanStep,
    TransformStep,
    WaitStep,
)
from canvas.yaml_io import load_yaml, plan_from_yaml, plan_to_yaml

FIXTURES = Path(__file__).parent / "fixtures"
# The reference (004) workflow.yaml as Baton takes it (the verbatim one names an
# orchestration agent and a strategy it refuses; see reference/orchestration_workflow.yaml).
GITBOOK = FIXTURES / "reference" / "orchestration_workflow_for_baton.yaml"


def round_trip(plan):
    again = plan_from_yaml(plan_to_yaml(plan))
    assert again == plan
    return again


def test_the_document_processing_plan_survives_import_export_import():
    first = plan_from_yaml((FIXTURES / "document_processing.yaml").read_text())
    exported = plan_to_yaml(first)
    second = plan_from_yaml(exported)
    assert second == first
    assert plan_to_yaml(second) == exported


def test_the_gitbook_workflow_survives_import_export_import():
    first = plan_from_yaml((GITBOOK).read_text())
    exported = plan_to_yaml(first)
    assert "workflow:" not in exported  # workflow.yaml is import-only; export speaks plan YAML
    second = plan_from_yaml(exported)
    assert second == first
    assert plan_to_yaml(second) == exported


def test_a_workflow_with_approval_and_fan_in_survives_a_round_trip():
    plan = plan_from_yaml(
        "workflow:\n  name: wf\n  human_approval: true\n  agents: [{name: a}, {name: b}, {name: c}]\n"
        "  dependencies: a -> [b, c]\n  output: {format: json, destination: out/result.json}\n"
    )
    round_trip(plan)


def test_export_matches_the_design_layout_and_leaves_out_defaults():
    plan = plan_from_yaml((FIXTURES / "document_processing.yaml").read_text())
    assert plan_to_yaml(plan) == (
        "name: document-processing\n"
        "description: Process and summarize a document\n"
        "steps:\n"
        "  - id: extract\n"
        "    type: agent\n"
        "    agent: document-ocr\n"
        "    input:\n"
        "      document_id: '{{ input.document_id }}'\n"
        "  - id: summarize\n"
        "    type: agent\n"
        "    agent: summarizer\n"
        "    depends_on: [extract]\n"
        "    input:\n"
        "      text: '{{ steps.extract.output.text }}'\n"
        "  - id: review\n"
        "    type: human_approval\n"
        "    depends_on: [summarize]\n"
        "    prompt: Please review the summary\n"
        "    assignee: '{{ input.reviewer }}'\n"
        "  - id: publish\n"
        "    type: agent\n"
        "    agent: publisher\n"
        "    depends_on: [review]\n"
        "    input:\n"
        "      summary: '{{ steps.summarize.output.summary }}'\n"
        "adaptive:\n"
        "  enabled: true\n"
        "  triggers:\n"
        "    - condition: step.status == 'failed'\n"
    )


def test_export_always_keeps_the_id_and_type_of_a_step():
    plan = Plan(name="p", steps=[TransformStep(id="t"), HumanApprovalStep(id="h")])
    assert load_yaml(plan_to_yaml(plan)) == {
        "name": "p",
        "steps": [{"id": "t", "type": "transform"}, {"id": "h", "type": "human_approval"}],
    }
    round_trip(plan)


def test_export_orders_plan_keys_as_the_schema_does():
    plan = Plan(
        output=OutputSpec(format="text", destination="answers/{{ run.id }}.txt"),
        adaptive=AdaptiveConfig(enabled=True),
        result="a",
        steps=[AgentStep(id="a", agent="x")],
        input_schema={"type": "object"},
        description="d",
        name="p",
    )
    assert list(load_yaml(plan_to_yaml(plan))) == [
        "name",
        "description",
        "input_schema",
        "steps",
        "result",
        "adaptive",
        "output",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "no",
        "on",
        "null",
        "~",
        "123",
        "0x1F",
        "1_000",
        "12:30",
        "3.14",
        ".inf",
        "2024-01-31",
        "=",
        "<<",
        "# not a comment",
        "key: value",
        "- not a list",
        "{not: a mapping}",
        "*not_an_alias",
        "!not_a_tag",
        "  leading and trailing spaces  ",
        "multi\nline\ntext\n",
        "no trailing newline\nhere",
        "trailing spaces   \non a line",
        "\ttab\tseparated",
        "café ☕ 日本語 — “quotes”",
        "'single' and \"double\" quotes",
        "{{ steps.a.output }}",
        "",
    ],
)
def test_export_keeps_tricky_strings_intact(text):
    plan = Plan(
        name=text or "n",
        description=text,
        steps=[
            AgentStep(id="a", agent="x", query=text, input={"value": text, "list": [text, text]}),
            TransformStep(id="t", output={text: [text, {"nested": text}]}),
        ],
    )
    round_trip(plan)


def test_export_writes_multi_line_text_as_a_block():
    plan = Plan(name="p", steps=[AgentStep(id="a", agent="x", query="line one\nline two\n")])
    assert "    query: |\n      line one\n      line two\n" in plan_to_yaml(plan)


def test_export_keeps_values_equal_to_defaults_inside_free_form_data():
    plan = Plan(
        name="p",
        steps=[
            AgentStep(id="a", agent="x", input={"tags": [], "none": None, "zero": 0, "empty": {}})
        ],
    )
    assert load_yaml(plan_to_yaml(plan))["steps"][0]["input"] == {
        "tags": [],
        "none": None,
        "zero": 0,
        "empty": {},
    }
    round_trip(plan)


def test_a_plan_using_every_step_type_survives_a_round_trip():
    plan = Plan(
        name="everything",
        description="All step types\nwith a second line",
        input_schema={
            "type": "object",
            "properties": {"topic": {"type": "string"}},
            "required": ["topic"],
        },
        steps=[
            AgentStep(
                id="research",
                name="Research",
                agent="web-research",
                query="Research {{ input.topic }}",
                input={"depth": 3, "sources": ["web", "docs"], "strict": True, "ratio": 0.25},
                fallback="docs-search",
                timeout_seconds=120,
                retries=2,
                loop=LoopSpec(until="step.output.confidence > 0.8", max_iterations=4),
            ),
            CoordinatorStep(
                id="coordinate",
                agents=["web-research", "docs-search"],
                depends_on=["research"],
                query="Combine",
                config=CoordinatorConfig(
                    coordination_strategy="parallel",
                    temperature=0.3,
                    sub_agents=["web-research"],
                    context_policy={"mode": "last_n", "last_n": 4},
                    budget={"max_cost_usd": 1.5},
                ),
            ),
            ConditionStep(
                id="check",
                depends_on=["coordinate"],
                expression="steps.coordinate.output.score > 0.5",
                if_true=["fan"],
                if_false=["ask"],
            ),
            ParallelStep(
                id="fan",
                depends_on=["check"],
                concurrency=2,
                on_failure="wait_all",
                branches=[
                    AgentStep(id="left", agent="a"),
                    ParallelStep(
                        id="inner", branches=[AgentStep(id="deep", agent="b", when="true")]
                    ),
                ],
            ),
            HumanInputStep(
                id="ask",
                depends_on=["check"],
                prompt="More detail?",
                assignee="group:research",
                form={"type": "object", "properties": {"detail": {"type": "string"}}},
                input_timeout_seconds=3600,
            ),
            HumanApprovalStep(
                id="approve",
                depends_on=["fan", "ask"],
                assignee="{{ input.reviewer }}",
                approval_timeout_seconds=86400,
                default_action="approve",
            ),
            WaitStep(id="pause", depends_on=["approve"], duration_seconds=1.5),
            WaitStep(id="signal", depends_on=["pause"], event="go"),
            SubPlanStep(
                id="publish",
                depends_on=["signal"],
                plan="publisher",
                input={"x": "{{ steps.fan.output }}"},
            ),
            TransformStep(
                id="final",
                depends_on=["publish"],
                output={
                    "summary": "{{ steps.publish.output }}",
                    "items": [1, 2.5, None, False],
                    "at": "{{ now() }}",
                },
            ),
        ],
        result="final",
        adaptive=AdaptiveConfig(
            enabled=True,
            max_revisions=2,
            triggers=[
                AdaptiveTrigger(condition="step.status == 'failed'"),
                AdaptiveTrigger(condition="x"),
            ],
        ),
        output=OutputSpec(format="json", destination="reports/final.json"),
    )
    exported = plan_to_yaml(plan)
    assert "system_prompt" not in exported  # the read-only built-in prompt is a default
    again = round_trip(plan)
    assert plan_to_yaml(again) == exported
