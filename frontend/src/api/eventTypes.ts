// The event types the server emits: coordinator/transport/events.py EVENT_TYPES, in the same order
// (tests/coordinator/test_frontend_event_types_match_the_servers.py keeps the two equal).

export const RUN_EVENT_TYPES = [
  "run.queued",
  "run.started",
  "run.paused",
  "run.resumed",
  "run.cancelled",
  "run.succeeded",
  "run.failed",
  "run.timed_out",
  "phase.started",
  "phase.completed",
  "step.started",
  "step.succeeded",
  "step.failed",
  "step.skipped",
  "step.cancelled",
  "agent.started",
  "agent.delta",
  "agent.succeeded",
  "agent.failed",
  "agent.retrying",
  "agent.fallback",
  "approval.requested",
  "approval.decided",
  "approval.refused",
  "approval.voted",
  "approval.claimed",
  "approval.released",
  "approval.reassigned",
  "input.requested",
  "input.received",
  "plan.revised",
  "intervention",
  "trigger.refused",
] as const;

export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/** The events that change the run's own status. */
export type RunLifecycleEventType = Extract<RunEventType, `run.${string}`>;
