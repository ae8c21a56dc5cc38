"""One registry entry per step type (docs/architecture.md#step-types): its plan model, the
canvas component that compiles to it, the mapping both ways between the component's config
and the plan step, and its executor. Adding a step type means one entry here (plus its
model, component config, executor module and the frontend node).

The executor is named, not imported: the engine (coordinator/engine/steps) sits above the
canvas and resolves the names once, at import, so a wrong name fails at start-up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from canvas.components import Config
from canvas.plan import (
    AgentStep,
    ConditionStep,
    CoordinatorStep,
    HumanApprovalStep,
    HumanInputStep,
    ParallelStep,
    StepBase,
    SubPlanStep,
    TransformStep,
    WaitStep,
)


class NodeLinks(Protocol):
    """What a component's graph → plan mapping may ask about its node's edges
    (canvas/graph.py answers)."""

    def agent(self) -> str:
        """The slug of this sub-agent node's agent (registry or inline)."""

    def delegated_agents(self) -> list[str]:
        """The slugs of the sub-agents this node delegates to (a coordinator)."""

    def branch_targets(self, handle: str) -> list[str]:
        """The steps behind one of this node's branch handles (a condition)."""


@dataclass(frozen=True)
class StepType:
    type: str
    model: type[StepBase]
    component: str
    executor: str  # dotted path of the function, resolved by coordinator/engine/steps
    to_plan: Callable[[Any, NodeLinks], dict[str, Any]]  # component config → step fields
    to_node: Callable[[Any], dict[str, Any]]  # plan step → component config


# ---------------------------------------------------------------------------- mappings


def _agent_to_plan(c: Config, links: NodeLinks) -> dict[str, Any]:
    fields: dict[str, Any] = {"type": "agent", "agent": links.agent()}
    if c.query:
        fields["query"] = c.query
    if c.timeout_seconds is not None:
        fields["timeout_seconds"] = c.timeout_seconds
    return fields


def _agent_to_node(step: AgentStep) -> dict[str, Any]:
    config: dict[str, Any] = {"agent": step.agent, "query": step.query or ""}
    if step.timeout_seconds is not None:
        config["timeout_seconds"] = step.timeout_seconds
    return config


def _coordinator_to_plan(c: Config, links: NodeLinks) -> dict[str, Any]:
    agents = links.delegated_agents()
    return {
        "type": "coordinator",
        "agents": agents,
        "config": c.model_copy(update={"sub_agents": list(agents)}),
    }


def _coordinator_to_node(step: CoordinatorStep) -> dict[str, Any]:
    config = step.config.model_dump(mode="json")
    config["sub_agents"] = list(step.agents)
    return config


def _approval_to_plan(c: Config, links: NodeLinks) -> dict[str, Any]:
    return {
        "type": "human_approval",
        "prompt": c.prompt,
        "assignee": c.assignee or None,
        "approval_timeout_seconds": c.timeout_seconds,
        "default_action": c.default_action,
        "allow_self_approval": c.allow_self_approval,
        "required_approvals": c.required_approvals,
    }


def _approval_to_node(step: HumanApprovalStep) -> dict[str, Any]:
    return {
        "prompt": step.prompt,
        "assignee": step.assignee or "",
        "timeout_seconds": step.approval_timeout_seconds,
        "default_action": step.default_action,
        "allow_self_approval": step.allow_self_approval,
        "required_approvals": step.required_approvals,
    }


def _input_to_plan(c: Config, links: NodeLinks) -> dict[str, Any]:
    return {
        "type": "human_input",
        "prompt": c.prompt,
        "assignee": c.assignee or None,
        "form": c.form,
        "input_timeout_seconds": c.timeout_seconds,
    }


def _input_to_node(step: HumanInputStep) -> dict[str, Any]:
    return {
        "prompt": step.prompt,
        "assignee": step.assignee or "",
        "form": step.form,
        "timeout_seconds": step.input_timeout_seconds,
    }


def _condition_to_plan(c: Config, links: NodeLinks) -> dict[str, Any]:
    return {
        "type": "condition",
        "expression": c.expression,
        "if_true": links.branch_targets("true"),
        "if_false": links.branch_targets("false"),
    }


def _parallel_to_plan(c: Config, links: NodeLinks) -> dict[str, Any]:
    return {"type": "parallel", "concurrency": c.concurrency, "on_failure": c.on_failure}


def _wait_to_plan(c: Config, links: NodeLinks) -> dict[str, Any]:
    return {"type": "wait", "duration_seconds": c.duration_seconds, "event": c.event}


def _sub_plan_to_plan(c: Config, links: NodeLinks) -> dict[str, Any]:
    return {"type": "sub_plan", "plan": c.canvas, "input": c.input}


def _transform_to_plan(c: Config, links: NodeLinks) -> dict[str, Any]:
    return {"type": "transform", "output": c.output}


_STEPS = "coordinator.engine.steps"

REGISTRY: dict[str, StepType] = {
    entry.type: entry
    for entry in [
        StepType(
            "agent",
            AgentStep,
            "sub_agent",
            f"{_STEPS}.agent.execute_agent",
            _agent_to_plan,
            _agent_to_node,
        ),
        StepType(
            "coordinator",
            CoordinatorStep,
            "coordinator",
            f"{_STEPS}.coordinator.run_coordinator",
            _coordinator_to_plan,
            _coordinator_to_node,
        ),
        StepType(
            "human_approval",
            HumanApprovalStep,
            "human_approval",
            f"{_STEPS}.human.execute_human",
            _approval_to_plan,
            _approval_to_node,
        ),
        StepType(
            "human_input",
            HumanInputStep,
            "human_input",
            f"{_STEPS}.human.execute_human",
            _input_to_plan,
            _input_to_node,
        ),
        StepType(
            "condition",
            ConditionStep,
            "condition",
            f"{_STEPS}.logic.execute_condition",
            _condition_to_plan,
            lambda step: {"expression": step.expression},
        ),
        StepType(
            "parallel",
            ParallelStep,
            "parallel",
            f"{_STEPS}.logic.execute_parallel",
            _parallel_to_plan,
            lambda step: {"concurrency": step.concurrency, "on_failure": step.on_failure},
        ),
        StepType(
            "wait",
            WaitStep,
            "wait",
            f"{_STEPS}.logic.execute_wait",
            _wait_to_plan,
            lambda step: {"duration_seconds": step.duration_seconds, "event": step.event},
        ),
        StepType(
            "sub_plan",
            SubPlanStep,
            "sub_plan",
            f"{_STEPS}.nested.execute_sub_plan",
            _sub_plan_to_plan,
            lambda step: {"canvas": step.plan, "input": step.input},
        ),
        StepType(
            "transform",
            TransformStep,
            "transform",
            f"{_STEPS}.logic.execute_transform",
            _transform_to_plan,
            lambda step: {"output": step.output},
        ),
    ]
}

BY_COMPONENT: dict[str, StepType] = {entry.component: entry for entry in REGISTRY.values()}
