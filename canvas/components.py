"""Component types of the canvas palette and their pydantic config models (docs/architecture.md).

`GET /api/components/` serialises COMPONENTS: each type's JSON Schema (the editor
renders it as the property form), defaults, handles and palette metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

COORDINATOR_SYSTEM_PROMPT = (
    "You are the Coordinator. For each query: (1) analyse its complexity against the "
    "connected sub-agents' descriptions (LOW: one agent; MEDIUM: two in sequence; HIGH: "
    "several, in parallel where independent; or no suitable agent); (2) select sub-agents "
    "using the configured strategy; (3) plan stages with dependencies, per-agent queries "
    "and success criteria; (4) execute the plan, passing each sub-agent the conversation "
    "history; (5) synthesise one answer: merge outputs, de-duplicate structured rows, list "
    "key insights and name any agent that failed. Never present an error as an answer."
)


@dataclass(frozen=True)
class CrossField:
    """A rule between fields, reported on `field`: broken when `broken(config)` is true.

    Graph validation also checks it when other fields are invalid, as long as none of `reads`
    is (canvas/graph.py), so every problem of a node is listed at once."""

    field: str
    reads: tuple[str, ...]
    message: str  # formatted with the config's fields, e.g. "{sub_agent_timeout:g}"
    broken: Callable[[Any], bool]


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cross_fields: ClassVar[tuple[CrossField, ...]] = ()

    @model_validator(mode="after")
    def _cross_field_rules(self):
        details = [
            InitErrorDetails(
                type=PydanticCustomError("cross_field", rule.message.format(**dict(self))),
                loc=(rule.field,),
                input=getattr(self, rule.field),
            )
            for rule in self.cross_fields
            if rule.broken(self)
        ]
        if details:  # located on their fields (a plain ValueError would be on the config)
            raise ValidationError.from_exception_data(type(self).__name__, details)
        return self


class ContextPolicy(Config):
    """How much conversation history each sub-agent receives."""

    mode: Literal["full", "last_n", "summary", "none"] = "full"
    last_n: int = Field(default=6, ge=1, le=200, description="Turns kept when mode is last_n.")
    max_tokens: int = Field(
        default=8000, ge=256, le=1_000_000, description="History is truncated to this many tokens."
    )


class Budget(Config):
    """Hard limits that stop runaway runs."""

    max_dispatches: int = Field(
        default=3, ge=1, le=100, description="Times the same agent may get the same query."
    )
    max_total_dispatches: int = Field(default=50, ge=1, le=10_000)
    max_cost_usd: float | None = Field(default=None, ge=0)


class CoordinatorConfig(Config):
    """The Coordinator's configuration, exactly as documented, plus context policy and budget."""

    model: str = Field(
        default="", max_length=200, description="Empty means the built-in baton/local."
    )
    connection: str = Field(
        default="",
        max_length=100,
        description="A staff-managed connection by name; empty picks one serving the model.",
    )
    system_prompt: str = Field(
        default=COORDINATOR_SYSTEM_PROMPT,
        json_schema_extra={"readOnly": True},
        description="Built-in orchestration instructions (read-only).",
    )
    sub_agents: list[str] = Field(
        default_factory=list,
        description="Connected sub-agents (filled from the canvas's delegation edges).",
        json_schema_extra={"readOnly": True},
    )
    selection_strategy: Literal["capability_based", "load_balanced", "priority_based"] = (
        "capability_based"
    )
    coordination_strategy: Literal["sequential", "parallel", "pipeline", "conditional"] = (
        "sequential"
    )
    parallel_execution: bool = True
    failure_handling: Literal[
        "fail_fast", "retry_once", "retry_with_fallback", "continue_partial"
    ] = "retry_once"
    enable_reflection: bool = True
    max_execution_time: float = Field(default=1800, gt=0, le=86_400, description="Seconds.")
    sub_agent_timeout: float = Field(default=300, gt=0, le=86_400, description="Seconds.")
    temperature: float = Field(default=0.1, ge=0, le=2)
    thinking_budget: int = Field(default=10000, ge=0, le=200_000)
    context_policy: ContextPolicy = Field(default_factory=ContextPolicy)
    budget: Budget = Field(default_factory=Budget)
    review_plan: bool = Field(
        default=False,
        description="Stop after planning and put the plan in the reviewer's inbox; "
        "approve runs it, edit runs the edited plan, reject ends the run.",
    )
    plan_reviewer: str = Field(
        default="",
        max_length=500,
        description="Who reviews the plan: a user, group:NAME, or empty for the canvas's "
        "owner and team.",
    )

    cross_fields = (
        CrossField(
            field="sub_agent_timeout",
            reads=("sub_agent_timeout", "max_execution_time"),
            message="sub_agent_timeout ({sub_agent_timeout:g} s) must not exceed "
            "max_execution_time ({max_execution_time:g} s)",
            broken=lambda c: c.sub_agent_timeout > c.max_execution_time,
        ),
    )


class AdaptiveTrigger(Config):
    condition: str = Field(
        min_length=1, max_length=2000, description="Sandboxed expression over `step`."
    )


class AdaptiveConfig(Config):
    """Plan revision when a step meets a trigger (the plan's `adaptive:`)."""

    enabled: bool = False
    max_revisions: int = Field(default=5, ge=0, le=50)
    triggers: list[AdaptiveTrigger] = Field(
        default_factory=list, description="Empty means: when a step fails."
    )
    model: str = Field(
        default="",
        max_length=200,
        description="Language model that revises the remaining plan; empty: baton/local "
        "re-routes the step to the next on-topic agent.",
    )


def _relative_inside_media(value: str) -> str:
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError("must be a relative path inside Baton's media directory")
    return str(path)


OUTPUT_DESTINATION_HELP = (
    "File the result is saved to, relative to the media directory; may use {{ run.id }}, "
    "{{ input.x }} and {{ now() }}."
)


class OutputSpec(Config):
    """Save a succeeded run's result as a file (the plan's `output:`)."""

    format: Literal["markdown", "json", "text"] = "markdown"
    # Required, but checked after the other fields so a bad format is reported too.
    destination: str | None = Field(
        default=None, min_length=1, max_length=500, description=OUTPUT_DESTINATION_HELP
    )

    @model_validator(mode="after")
    def _needs_destination(self):
        if not self.destination:
            raise ValueError(
                "output saves a succeeded run's result as a file, so it needs a destination "
                "(a path under the media directory, e.g. reports/{{ run.id }}.md); set "
                "output.destination or remove output"
            )
        return self

    @field_validator("destination")
    @classmethod
    def _inside_media(cls, value: str | None) -> str | None:
        return None if value is None else _relative_inside_media(value)


class BeginConfig(Config):
    input_schema: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object", "properties": {}},
        description="JSON Schema of the run input.",
    )
    conversation_mode: Literal["single_turn", "multi_turn"] = "multi_turn"
    greeting: str = Field(default="", max_length=2000)
    adaptive: AdaptiveConfig | None = Field(
        default=None, description="Revise the plan when a step meets a trigger (plan `adaptive:`)."
    )


class InteractConfig(Config):
    format: Literal["markdown", "json", "text"] = "markdown"
    message: str = Field(
        default="", max_length=20_000, description="Optional template; empty returns the answer."
    )
    destination: str | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        description="Also save the result, in `format`, to this file under the media directory "
        "(plan `output:`); may use {{ run.id }}, {{ input.x }} and {{ now() }}.",
    )

    @field_validator("destination")
    @classmethod
    def _inside_media(cls, value: str | None) -> str | None:
        return None if value is None else _relative_inside_media(value)


class InlineAgent(Config):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=5000)
    kind: Literal["llm", "http", "python", "canvas"] = "llm"
    kind_config: dict[str, Any] = Field(default_factory=dict)
    capabilities: list[str] = Field(default_factory=list)


class SubAgentConfig(Config):
    agent: str | None = Field(default=None, max_length=100, description="Registry agent slug.")
    inline: InlineAgent | None = None
    query: str = Field(default="", max_length=20_000, description="Optional query template.")
    timeout_seconds: float | None = Field(default=None, gt=0, le=86_400)

    @model_validator(mode="after")
    def _one_source(self):
        if bool(self.agent) == bool(self.inline):
            raise ValueError("choose a registry agent or define one inline (exactly one)")
        return self


class HumanApprovalConfig(Config):
    prompt: str = Field(default="Please approve", min_length=1, max_length=5000)
    assignee: str = Field(
        default="", max_length=500, description="User, group:NAME, or a {{ expression }}."
    )
    timeout_seconds: float | None = Field(default=None, gt=0)
    default_action: Literal["approve", "reject", "fail"] = "fail"
    allow_self_approval: bool = Field(
        default=False, description="Let the person who started the run decide (no four eyes)."
    )
    required_approvals: int = Field(
        default=1,
        ge=1,
        le=50,
        description="Distinct approvals needed before the run goes on (needs a group:NAME "
        "assignee when above 1); one rejection rejects.",
    )


class HumanInputConfig(Config):
    prompt: str = Field(default="Please provide input", min_length=1, max_length=5000)
    assignee: str = Field(default="", max_length=500)
    form: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object", "properties": {}},
        description="JSON Schema of the form.",
    )
    timeout_seconds: float | None = Field(default=None, gt=0)


class ConditionConfig(Config):
    expression: str = Field(min_length=1, max_length=2000, description="Sandboxed expression.")


class ParallelConfig(Config):
    concurrency: int | None = Field(default=None, ge=1, le=256)
    on_failure: Literal["fail_fast", "continue", "wait_all"] = "fail_fast"


class WaitConfig(Config):
    duration_seconds: float | None = Field(default=None, gt=0, le=30 * 86_400)
    event: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _one_of(self):
        if (self.duration_seconds is None) == (self.event is None):
            raise ValueError("set exactly one of duration_seconds or event")
        return self


class SubPlanConfig(Config):
    canvas: str = Field(min_length=1, max_length=100, description="Slug of the canvas to run.")
    input: dict[str, Any] = Field(default_factory=dict)


class TransformConfig(Config):
    output: Any = Field(default=None, description="A value whose strings may hold {{ }} templates.")


@dataclass(frozen=True)
class Handle:
    id: str
    kind: Literal["source", "target"]
    role: Literal["flow", "delegation", "branch_true", "branch_false", "branches"] = "flow"
    label: str = ""


@dataclass(frozen=True)
class Component:
    type: str
    label: str
    category: str
    description: str
    icon: str
    config_model: type[Config]
    handles: tuple[Handle, ...] = field(default_factory=tuple)

    def schema(self) -> dict[str, Any]:
        return self.config_model.model_json_schema()

    def defaults(self) -> dict[str, Any]:
        try:
            return self.config_model().model_dump(mode="json")
        except ValueError:
            # Components whose config needs a choice (sub_agent, wait, condition …) have no
            # complete default; give the field defaults that exist.
            return {
                name: f.get_default(call_default_factory=True)
                for name, f in self.config_model.model_fields.items()
                if not f.is_required()
            }


FLOW_IN = Handle("in", "target")
FLOW_OUT = Handle("out", "source")

COMPONENTS: dict[str, Component] = {
    c.type: c
    for c in [
        Component(
            "begin",
            "Begin",
            "Flow",
            "Entry point: run input and conversation mode.",
            "play",
            BeginConfig,
            (FLOW_OUT,),
        ),
        Component(
            "interact",
            "Interact",
            "Flow",
            "Returns the result to the user.",
            "message",
            InteractConfig,
            (FLOW_IN,),
        ),
        Component(
            "coordinator",
            "Coordinator",
            "Agents",
            "Five-phase orchestration over its connected sub-agents.",
            "network",
            CoordinatorConfig,
            (FLOW_IN, FLOW_OUT, Handle("agents", "source", "delegation", "sub-agents")),
        ),
        Component(
            "sub_agent",
            "Sub-agent",
            "Agents",
            "One agent from the registry or defined inline.",
            "bot",
            SubAgentConfig,
            (FLOW_IN, FLOW_OUT, Handle("delegate", "target", "delegation", "coordinator")),
        ),
        Component(
            "human_approval",
            "Human approval",
            "Humans",
            "Waits for approve or reject by an assignee.",
            "check",
            HumanApprovalConfig,
            (FLOW_IN, FLOW_OUT),
        ),
        Component(
            "human_input",
            "Human input",
            "Humans",
            "Waits for a form filled in by an assignee.",
            "form",
            HumanInputConfig,
            (FLOW_IN, FLOW_OUT),
        ),
        Component(
            "condition",
            "Condition",
            "Logic",
            "Branches on a sandboxed expression.",
            "split",
            ConditionConfig,
            (
                FLOW_IN,
                Handle("true", "source", "branch_true", "true"),
                Handle("false", "source", "branch_false", "false"),
            ),
        ),
        Component(
            "parallel",
            "Parallel",
            "Logic",
            "Runs its branches concurrently.",
            "parallel",
            ParallelConfig,
            (FLOW_IN, FLOW_OUT, Handle("branches", "source", "branches", "branches")),
        ),
        Component(
            "wait",
            "Wait",
            "Logic",
            "Waits for a duration or a named event.",
            "clock",
            WaitConfig,
            (FLOW_IN, FLOW_OUT),
        ),
        Component(
            "sub_plan",
            "Sub-plan",
            "Logic",
            "Runs another canvas as a step.",
            "layers",
            SubPlanConfig,
            (FLOW_IN, FLOW_OUT),
        ),
        Component(
            "transform",
            "Transform",
            "Logic",
            "Computes an output from expressions.",
            "function",
            TransformConfig,
            (FLOW_IN, FLOW_OUT),
        ),
    ]
}


def component_catalogue() -> list[dict[str, Any]]:
    """What the editor needs to draw the palette and property forms."""
    return [
        {
            "type": c.type,
            "label": c.label,
            "category": c.category,
            "description": c.description,
            "icon": c.icon,
            "schema": c.schema(),
            "defaults": c.defaults(),
            "handles": [
                {"id": h.id, "kind": h.kind, "role": h.role, "label": h.label} for h in c.handles
            ],
        }
        for c in COMPONENTS.values()
    ]
