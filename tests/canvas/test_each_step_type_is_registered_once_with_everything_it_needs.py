"""Each step type is registered once (canvas/step_types.py) with everything it needs: its plan
model, the canvas component that compiles to it, both directions of the graph ↔ plan
mapping, and the executor the engine runs."""

import pytest
from django.utils.module_loading import import_string

from canvas.components import COMPONENTS
from canvas.plan import (
    STEP_TYPES,
    AgentStep,
    ConditionStep,
    CoordinatorStep,
    HumanApprovalStep,
    HumanInputStep,
    ParallelStep,
    SubPlanStep,
    TransformStep,
    WaitStep,
)
from canvas.step_types import BY_COMPONENT, REGISTRY
from coordinator.engine.steps import EXECUTORS

SAMPLES = {
    "agent": AgentStep(id="a", agent="search", query="q", timeout_seconds=5),
    "coordinator": CoordinatorStep(id="c", agents=["search", "summarize"]),
    "human_approval": HumanApprovalStep(id="h", assignee="bob", required_approvals=2),
    "human_input": HumanInputStep(id="i", prompt="Name?"),
    "condition": ConditionStep(id="k", expression="input.go"),
    "parallel": ParallelStep(id="p", branches=[AgentStep(id="b", agent="search")]),
    "wait": WaitStep(id="w", duration_seconds=5),
    "sub_plan": SubPlanStep(id="s", plan="other", input={"x": 1}),
    "transform": TransformStep(id="t", output={"x": "{{ input.x }}"}),
}


def test_every_plan_step_type_has_exactly_one_entry():
    assert tuple(REGISTRY) == STEP_TYPES
    assert sorted(SAMPLES) == sorted(STEP_TYPES)


@pytest.mark.parametrize("name", STEP_TYPES)
def test_an_entry_names_its_own_model_and_an_existing_component(name):
    entry = REGISTRY[name]
    assert entry.model.model_fields["type"].default == name
    assert entry.component in COMPONENTS
    assert BY_COMPONENT[entry.component] is entry


@pytest.mark.parametrize("name", STEP_TYPES)
def test_the_engine_runs_the_executor_the_entry_names(name):
    assert EXECUTORS[name] is import_string(REGISTRY[name].executor)


@pytest.mark.parametrize("name", STEP_TYPES)
def test_a_step_maps_to_a_valid_component_config(name):
    entry = REGISTRY[name]
    config = entry.to_node(SAMPLES[name])
    COMPONENTS[entry.component].config_model.model_validate(config)
