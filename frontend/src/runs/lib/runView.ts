// The run's live picture, folded from its events (docs/architecture.md): a pure reducer
// (state, event) → state. Unchanged branches keep their identity, so memoised views
// re-render only where an event landed (an agent.delta touches one step, nothing else).

import { isRunLifecycleEvent, RUN_STATUS_BY_EVENT, type RunEvent, type RunStatus, type Usage } from "../../api/runs";
import type { RunLifecycleEventType } from "../../api/eventTypes";

export const PHASES = [
  "complexity",
  "selection",
  "planning",
  "execution",
  "reflection",
  "synthesis",
] as const;
export type PhaseName = (typeof PHASES)[number];

export type PhaseState = "running" | "completed" | "failed";

export interface PhaseView {
  name: string;
  state: PhaseState;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  decision: unknown;
  /** phase.started data (execution: {stages, pattern}). */
  startData: Record<string, unknown>;
  error: string | null;
}

export interface CoordinatorView {
  step: string;
  phases: Record<string, PhaseView>;
}

export type StepState = "queued" | "running" | "waiting" | "succeeded" | "failed" | "skipped";

export interface AttemptView {
  attempt: number;
  agent: string | null;
  status: StepState;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface StepView {
  stepId: string;
  /** The coordinator (or parallel) step that spawned it, when known from the step id. */
  parent: string | null;
  type: string | null;
  agent: string | null;
  status: StepState;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  query: string | null;
  /** agent.delta chunks, appended in seq order (capped). */
  text: string;
  preview: string | null;
  error: string | null;
  attempts: AttemptView[];
  notes: string[];
}

export interface PendingHuman {
  step: string;
  kind: "approval" | "input" | "plan_review" | "escalation";
  approval: string;
  prompt: string;
  assignee: string | null;
  group: string | null;
}

export interface RunView {
  runId: string | null;
  lastSeq: number;
  status: RunStatus | null;
  query: string;
  queuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  coordinators: Record<string, CoordinatorView>;
  coordinatorOrder: string[];
  steps: Record<string, StepView>;
  stepOrder: string[];
  answer: string | null;
  failedAgents: string[];
  usage: Usage | null;
  error: string | null;
  interventions: { text: string; by: string | null; at: string }[];
  humans: Record<string, PendingHuman>;
  revisions: string[];
  /** Inbox activity on this run's items: claims, reassignments, votes and decisions. */
  decisions: DecisionEntry[];
}

export interface DecisionEntry {
  seq: number;
  at: string;
  step: string;
  type: string;
  by: string | null;
  status: string | null;
  action: string | null;
  comment: string;
  diff: { field: string; before: unknown; after: unknown }[];
  from: string | null;
  to: string | null;
  count: number | null;
  required: number | null;
}

export const MAX_STREAM_CHARS = 200_000;

export function emptyRunView(runId: string | null = null): RunView {
  return {
    runId,
    lastSeq: 0,
    status: null,
    query: "",
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
    coordinators: {},
    coordinatorOrder: [],
    steps: {},
    stepOrder: [],
    answer: null,
    failedAgents: [],
    usage: null,
    error: null,
    interventions: [],
    humans: {},
    revisions: [],
    decisions: [],
  };
}

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);
const num = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

function elapsedMs(from: string | null, to: string): number | null {
  if (!from) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(ms, 0) : null;
}

/** "coord.s1-search" → "coord"; a pipeline item "coord.s1>s2#3" → "coord". */
export function parentOf(stepId: string): string | null {
  const dot = stepId.indexOf(".");
  return dot > 0 ? stepId.slice(0, dot) : null;
}

function newStep(stepId: string, event: RunEvent): StepView {
  return {
    stepId,
    parent: parentOf(stepId),
    type: null,
    agent: event.agent || null,
    status: "queued",
    attempt: 1,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    query: null,
    text: "",
    preview: null,
    error: null,
    attempts: [],
    notes: [],
  };
}

function withStep(state: RunView, event: RunEvent, change: (step: StepView) => StepView): RunView {
  const stepId = event.step;
  if (!stepId) return state;
  const existing = state.steps[stepId];
  const next = change(existing ?? newStep(stepId, event));
  if (next === existing) return state;
  return {
    ...state,
    steps: { ...state.steps, [stepId]: next },
    stepOrder: existing ? state.stepOrder : [...state.stepOrder, stepId],
  };
}

function updateAttempt(step: StepView, change: Partial<AttemptView>): AttemptView[] {
  const attempts = step.attempts.slice();
  const index = attempts.findIndex((a) => a.attempt === step.attempt);
  if (index >= 0) {
    attempts[index] = { ...attempts[index]!, ...change };
  } else {
    attempts.push({
      attempt: step.attempt,
      agent: step.agent,
      status: step.status,
      startedAt: step.startedAt,
      finishedAt: null,
      error: null,
      ...change,
    });
  }
  return attempts;
}

/** A status change of the step and of its current attempt (queued → none yet to change). */
function withStatus(step: StepView, status: StepState): StepView {
  if (step.status === status) return step;
  const next = { ...step, status };
  return step.attempts.some((a) => a.attempt === step.attempt) ? { ...next, attempts: updateAttempt(next, { status }) } : next;
}

function finishStep(step: StepView, event: RunEvent, status: StepState): StepView {
  const error = status === "failed" ? (str(event.data.error) ?? step.error) : step.error;
  const preview = str(event.data.preview) ?? step.preview;
  const duration = num(event.data.duration_ms) ?? elapsedMs(step.startedAt, event.at);
  const base: StepView = {
    ...step,
    status,
    finishedAt: event.at,
    durationMs: duration,
    error,
    preview,
    agent: step.agent ?? event.agent ?? null,
  };
  return {
    ...base,
    attempts: updateAttempt(base, { status, finishedAt: event.at, error: status === "failed" ? error : null }),
  };
}

function withPhase(state: RunView, event: RunEvent, change: (phase: PhaseView | undefined) => PhaseView): RunView {
  const step = event.step;
  const name = event.phase;
  if (!step || !name) return state;
  const coordinator = state.coordinators[step] ?? { step, phases: {} };
  const phase = change(coordinator.phases[name]);
  return {
    ...state,
    coordinators: {
      ...state.coordinators,
      [step]: { ...coordinator, phases: { ...coordinator.phases, [name]: phase } },
    },
    coordinatorOrder: state.coordinators[step] ? state.coordinatorOrder : [...state.coordinatorOrder, step],
  };
}

/** The run ended: steps that never started, or still waited, were cancelled by the engine. */
function settleSteps(state: RunView): Pick<RunView, "steps" | "humans"> {
  let steps = state.steps;
  for (const [id, step] of Object.entries(state.steps)) {
    if (step.status !== "queued" && step.status !== "waiting") continue;
    if (steps === state.steps) steps = { ...state.steps };
    steps[id] = withStatus(step, "skipped");
  }
  return { steps, humans: Object.keys(state.humans).length ? {} : state.humans };
}

function applyRunEvent(state: RunView, event: RunEvent, type: RunLifecycleEventType): RunView {
  const status = RUN_STATUS_BY_EVENT[type];
  const data = event.data;
  switch (type) {
    case "run.queued":
      return { ...state, status, query: str(data.query) ?? state.query, queuedAt: event.at };
    case "run.started":
      return { ...state, status, startedAt: event.at };
    case "run.paused":
      return { ...state, status };
    case "run.resumed": // back to waiting when a person is still being waited for
      return { ...state, status: Object.keys(state.humans).length ? "waiting" : status };
    default: {
      const usage = data.usage && typeof data.usage === "object" ? (data.usage as Usage) : state.usage;
      const failed = Array.isArray(data.failed_agents)
        ? data.failed_agents.filter((a): a is string => typeof a === "string")
        : state.failedAgents;
      return {
        ...state,
        ...settleSteps(state),
        status,
        finishedAt: event.at,
        usage,
        failedAgents: failed,
        answer: str(data.answer) ?? state.answer,
        error: str(data.error) ?? state.error,
      };
    }
  }
}

function applyStepEvent(state: RunView, event: RunEvent): RunView {
  const data = event.data;
  switch (event.type) {
    case "step.started":
      return withStep(state, event, (step) => {
        const attempt = num(data.attempt) ?? step.attempt;
        const next: StepView = {
          ...step,
          type: str(data.type) ?? step.type,
          agent: event.agent || step.agent,
          status: "running",
          attempt,
          startedAt: step.startedAt ?? event.at,
          finishedAt: null,
          durationMs: null,
          error: null,
        };
        return {
          ...next,
          attempts: updateAttempt(next, { status: "running", startedAt: event.at, agent: next.agent }),
        };
      });
    case "agent.started":
      return withStep(state, event, (step) => ({ ...step, query: str(data.query) ?? step.query }));
    case "agent.delta": {
      const text = str(data.text);
      if (!text) return state;
      return withStep(state, event, (step) =>
        step.text.length >= MAX_STREAM_CHARS
          ? step
          : { ...step, text: (step.text + text).slice(0, MAX_STREAM_CHARS) },
      );
    }
    case "step.succeeded":
    case "agent.succeeded":
      return withStep(state, event, (step) => finishStep(step, event, "succeeded"));
    case "step.failed":
    case "agent.failed":
      return withStep(state, event, (step) => finishStep(step, event, "failed"));
    case "step.skipped":
      return withStep(state, event, (step) => ({
        ...withStatus(step, "skipped"),
        finishedAt: event.at,
        error: str(data.reason) ?? step.error,
      }));
    case "agent.retrying":
      return withStep(state, event, (step) => {
        const attempt = num(data.attempt) ?? step.attempt + 1;
        const delay = num(data.delay_seconds);
        const note = `retrying as attempt ${attempt}${delay !== null ? ` in ${delay}s` : ""}: ${str(data.error) ?? "failed"}`;
        return { ...step, status: "queued", attempt, notes: [...step.notes, note] };
      });
    case "agent.fallback": {
      const to = str(data.to) ?? event.agent;
      const note = `fallback ${str(data.from) ?? "?"} → ${to ?? "?"}${data.reason ? ` (${String(data.reason)})` : ""}`;
      return withStep(state, event, (step) => ({
        ...step,
        agent: to ?? step.agent,
        attempt: step.startedAt ? step.attempt + 1 : step.attempt,
        status: "queued",
        notes: [...step.notes, note],
      }));
    }
    default:
      return state;
  }
}

function applyHumanEvent(state: RunView, event: RunEvent): RunView {
  const step = event.step;
  if (!step) return state;
  const data = event.data;
  if (event.type === "approval.requested" || event.type === "input.requested") {
    const kind = str(data.kind);
    const human: PendingHuman = {
      step,
      kind:
        kind === "plan_review" || kind === "escalation" ? kind : event.type === "approval.requested" ? "approval" : "input",
      approval: str(data.approval) ?? "",
      prompt: str(data.prompt) ?? "",
      assignee: str(data.assignee),
      group: str(data.group),
    };
    const withWaiting = withStep(state, event, (s) => withStatus(s, "waiting"));
    return {
      ...withWaiting,
      status: withWaiting.status === "running" ? "waiting" : withWaiting.status,
      humans: { ...withWaiting.humans, [step]: human },
    };
  }
  const logged = { ...state, decisions: [...state.decisions, decisionEntry(event, step)] };
  if (event.type !== "approval.decided" && event.type !== "input.received") {
    if (event.type === "approval.reassigned" && state.humans[step]) {
      const to = str(data.to);
      const human = { ...state.humans[step]!, assignee: to?.startsWith("group:") ? null : to, group: to?.startsWith("group:") ? to.slice(6) : null };
      return { ...logged, humans: { ...state.humans, [step]: human } };
    }
    return logged; // claimed / released / voted: still waiting
  }
  state = logged;
  // approval.decided / input.received
  const humans = { ...state.humans };
  delete humans[step];
  const resumed = withStep(state, event, (s) => (s.status === "waiting" ? withStatus(s, "running") : s));
  const stillWaiting = Object.keys(humans).length > 0;
  return {
    ...resumed,
    humans,
    status: resumed.status === "waiting" && !stillWaiting ? "running" : resumed.status,
  };
}

function decisionEntry(event: RunEvent, step: string): DecisionEntry {
  const data = event.data;
  const diff = Array.isArray(data.diff) ? (data.diff as DecisionEntry["diff"]) : [];
  return {
    seq: event.seq,
    at: event.at,
    step,
    type: event.type,
    by: str(data.by),
    status: str(data.status),
    action: str(data.action),
    comment: str(data.comment) ?? "",
    diff,
    from: str(data.from),
    to: str(data.to),
    count: num(data.count),
    required: num(data.required),
  };
}

/** Folds one event into the view. Events at or below lastSeq are duplicates: ignored. */
export function applyEvent(state: RunView, event: RunEvent): RunView {
  if (typeof event.seq !== "number" || event.seq <= state.lastSeq) return state;
  if (state.runId && event.run && event.run !== state.runId) return state;
  const next = reduce(state, event);
  return next === state ? { ...state, lastSeq: event.seq } : { ...next, lastSeq: event.seq };
}

export function applyEvents(state: RunView, events: readonly RunEvent[]): RunView {
  let next = state;
  for (const event of events) next = applyEvent(next, event);
  return next;
}

function reduce(state: RunView, event: RunEvent): RunView {
  const type = event.type;
  if (isRunLifecycleEvent(type)) return applyRunEvent(state, event, type);
  if (type.startsWith("step.") || type.startsWith("agent.")) return applyStepEvent(state, event);
  switch (type) {
    case "phase.started":
      return withPhase(state, event, () => ({
        name: event.phase ?? "",
        state: "running",
        startedAt: event.at,
        finishedAt: null,
        durationMs: null,
        decision: null,
        startData: event.data,
        error: null,
      }));
    case "phase.completed":
      return withPhase(state, event, (phase) => {
        const error = str(event.data.error);
        return {
          name: event.phase ?? "",
          startData: phase?.startData ?? {},
          startedAt: phase?.startedAt ?? event.at,
          state: error ? "failed" : "completed",
          finishedAt: event.at,
          durationMs: num(event.data.duration_ms) ?? elapsedMs(phase?.startedAt ?? null, event.at),
          decision: event.data.decision ?? null,
          error,
        };
      });
    case "approval.requested":
    case "input.requested":
    case "approval.decided":
    case "approval.voted":
    case "approval.claimed":
    case "approval.released":
    case "approval.reassigned":
    case "input.received":
      return applyHumanEvent(state, event);
    case "intervention":
      return {
        ...state,
        interventions: [
          ...state.interventions,
          { text: str(event.data.text) ?? "", by: str(event.data.by), at: event.at },
        ],
      };
    case "plan.revised":
      return { ...state, revisions: [...state.revisions, str(event.data.change) ?? "plan revised"] };
    default:
      return state;
  }
}

/** The phases of one coordinator in display order: the five, plus reflection when it ran. */
export function orderedPhases(coordinator: CoordinatorView): PhaseView[] {
  const known = PHASES.map((name) => coordinator.phases[name]).filter((p): p is PhaseView => !!p);
  const extra = Object.values(coordinator.phases).filter(
    (p) => !(PHASES as readonly string[]).includes(p.name),
  );
  return [...known, ...extra];
}

/** The sub-agent steps of a coordinator, in the order they appeared. */
export function stagesOf(view: RunView, coordinator: string): StepView[] {
  return view.stepOrder
    .map((id) => view.steps[id]!)
    .filter((step) => step.parent === coordinator);
}
