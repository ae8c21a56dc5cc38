"""`{{ }}` expressions: run input, earlier outputs and statuses flow into queries, inputs and
transforms; a broken expression fails its step with a message instead of guessing."""

import pytest

from tests.engine_helpers import make_agent, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_agent_inputs_render_native_values_from_the_run_input_and_earlier_steps(
    alice, engine_settings
):
    make_agent("sales", "Sales figures.")
    make_agent("echo", "Echoes the query back.")
    run = wait_for(
        start(
            alice,
            {
                "name": "inputs",
                "steps": [
                    {"id": "figures", "type": "agent", "agent": "sales"},
                    {
                        "id": "report",
                        "type": "agent",
                        "agent": "echo",
                        "depends_on": ["figures"],
                        "query": "Report for {{ input.region }} ({{ steps.figures.status }})",
                        "input": {
                            "rows": "{{ steps.figures.output.rows }}",
                            "limit": "{{ input.limit }}",
                            "first": "{{ steps.figures.output.rows[0].region | lower }}",
                        },
                    },
                ],
            },
            input={"region": "EU", "limit": 2},
        )
    )

    assert run.status == "succeeded", run.error
    output = step(run, "report").output
    assert output["text"] == "echo: Report for EU (succeeded)"
    assert output["input"] == {
        "rows": [{"region": "EU", "revenue": 100}, {"region": "US", "revenue": 200}],
        "limit": 2,
        "first": "eu",
    }


def test_a_transform_computes_its_output_from_expressions(alice, engine_settings):
    make_agent("sales", "Sales figures.")
    run = wait_for(
        start(
            alice,
            {
                "name": "transform",
                "steps": [
                    {"id": "figures", "type": "agent", "agent": "sales"},
                    {
                        "id": "totals",
                        "type": "transform",
                        "depends_on": ["figures"],
                        "output": {
                            "total": "{{ steps.figures.output.rows | sum(attribute='revenue') }}",
                            "regions": "{{ steps.figures.output.rows | map(attribute='region') | list }}",
                            "text": "{{ input.who }} made {{ steps.figures.output.rows | sum(attribute='revenue') }}",
                            "stamped": "{{ now() }}",
                            "constant": 7,
                        },
                    },
                ],
                "result": "totals",
            },
            input={"who": "We"},
        )
    )

    assert run.status == "succeeded", run.error
    output = step(run, "totals").output
    assert output["total"] == 300
    assert output["regions"] == ["EU", "US"]
    assert output["text"] == "We made 300"
    assert output["stamped"].startswith(str(run.created.year))
    assert output["constant"] == 7
    assert run.result["step"] == "totals"
    assert run.result["answer"] == "We made 300"


def test_an_undefined_name_fails_the_step_without_retrying(alice, engine_settings, agent_calls):
    make_agent("echo", "Echoes the query back.")
    run = wait_for(
        start(
            alice,
            {
                "name": "typo",
                "steps": [
                    {
                        "id": "ask",
                        "type": "agent",
                        "agent": "echo",
                        "retries": 2,
                        "query": "{{ input.missing_field }}",
                    }
                ],
            },
        )
    )

    assert run.status == "failed"
    failed = step(run, "ask")
    assert failed.attempt == 1
    assert "expression error" in failed.error and "missing_field" in failed.error
    assert agent_calls() == []


def test_expressions_cannot_reach_python_internals(alice, engine_settings):
    run = wait_for(
        start(
            alice,
            {
                "name": "escape",
                "steps": [
                    {"id": "t", "type": "transform", "output": "{{ input.__class__.__mro__ }}"}
                ],
            },
        )
    )
    assert run.status == "failed"
    assert "expression error" in step(run, "t").error


def test_a_coordinators_query_can_be_rendered_from_the_input(alice, engine_settings, agent_calls):
    make_agent(
        "sales", "Sales analytics: revenue, income and sales figures per region and quarter."
    )
    run = wait_for(
        start(
            alice,
            {
                "name": "templated",
                "steps": [
                    {
                        "id": "coord",
                        "type": "coordinator",
                        "agents": ["sales"],
                        "query": "How much revenue did we make in {{ input.period }}?",
                        "config": {"enable_reflection": False},
                    }
                ],
            },
            query="ignored",
            input={"period": "the last quarter"},
        )
    )

    assert run.status == "succeeded", run.error
    assert [c["query"] for c in agent_calls()] == [
        "How much revenue did we make in the last quarter?"
    ]
