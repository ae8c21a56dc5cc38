"""Failure and retry policy: what a failed step may do next. Pure; the recording layer
(engine/recording.py) reads the rows these decisions need and carries them out."""

from __future__ import annotations

# A coordinator's stages follow the coordinator's failure_handling; plan steps their own
# `retries` and `fallback(s)`.
RETRYING_POLICIES = {"retry_once", "retry_with_fallback"}
STOP_SIBLINGS_POLICIES = {"fail_fast", "retry_once", "retry_with_fallback"}
MAX_BACKOFF_SECONDS = 300.0


def backoff_seconds(attempt: int, base: float) -> float:
    """Exponential backoff before plain retry number `attempt` (1, 2, …)."""
    return min(base * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)


def retries_allowed(policy: str | None, spec: dict) -> int:
    """How many plain retries (same agent) a failed step gets."""
    if policy is not None:  # a coordinator's stage
        return 1 if policy in RETRYING_POLICIES else 0
    return int(spec.get("retries", 0))


def fallback_candidates(policy: str | None, spec: dict) -> list[str]:
    """The agents a failed step may fall back to, in order (before removing those tried)."""
    if policy is not None and policy != "retry_with_fallback":
        return []
    candidates = list(spec.get("fallbacks", []))
    if spec.get("fallback"):
        candidates.insert(0, spec["fallback"])
    return candidates


def next_fallback(policy: str | None, spec: dict, tried: set[str]) -> str | None:
    return next((c for c in fallback_candidates(policy, spec) if c not in tried), None)


def stops_pending_siblings(parent_type: str, parent_spec: dict, policy: str | None) -> bool:
    """A failed child stops its parent's pending siblings."""
    return (parent_type == "coordinator" and policy in STOP_SIBLINGS_POLICIES) or (
        parent_type == "parallel" and parent_spec.get("on_failure", "fail_fast") == "fail_fast"
    )


def cancels_running_siblings(parent_type: str, parent_spec: dict, policy: str | None) -> bool:
    """fail_fast: a failed child also cancels its siblings that are already running."""
    return (parent_type == "coordinator" and policy == "fail_fast") or (
        parent_type == "parallel" and parent_spec.get("on_failure", "fail_fast") == "fail_fast"
    )


def parallel_fails(spec: dict, failed_branches: list[str]) -> bool:
    """A parallel step whose branches are done fails unless it continues past failures."""
    return bool(failed_branches) and spec.get("on_failure", "fail_fast") != "continue"


def dispatch_limits(spec: dict, default_same: int) -> tuple[int, int]:
    """(same agent with the same query, all agent dispatches) a run may make for this step.
    Retries a plan step asks for explicitly are honoured; the budget stops everything else."""
    budget = spec.get("budget") or {}
    default = max(default_same, int(spec.get("retries", 0)) + 1)
    return int(budget.get("max_dispatches", default)), int(
        budget.get("max_total_dispatches", 10_000)
    )
