// Gantt layout (pure): one row per step, one bar per attempt, on a shared time axis, so
// parallel steps overlap visibly and retries sit side by side in their row.

import type { StepRun } from "../../api/runs";
import type { RunView } from "./runView";

export interface GanttAttempt {
  stepId: string;
  parent: string | null;
  agent: string | null;
  type: string | null;
  attempt: number;
  status: string;
  start: number; // epoch ms
  end: number | null; // null: still running
  error?: string | null;
}

export interface GanttBar {
  attempt: number;
  status: string;
  agent: string | null;
  startMs: number; // from the axis start
  endMs: number;
  running: boolean;
  error: string | null;
}

export interface GanttRow {
  stepId: string;
  label: string;
  depth: number;
  bars: GanttBar[];
}

export interface GanttLayout {
  startEpoch: number;
  spanMs: number;
  rows: GanttRow[];
  ticks: number[]; // ms from the start
}

export function attemptsFromStepRuns(steps: readonly StepRun[]): GanttAttempt[] {
  return steps
    .filter((s) => s.started_at)
    .map((s) => ({
      stepId: s.step_id,
      parent: s.parent || null,
      agent: s.agent || null,
      type: s.type,
      attempt: s.attempt,
      status: s.status,
      start: Date.parse(s.started_at!),
      end: s.finished_at ? Date.parse(s.finished_at) : null,
      error: s.error || null,
    }));
}

export function attemptsFromView(view: RunView): GanttAttempt[] {
  const out: GanttAttempt[] = [];
  for (const id of view.stepOrder) {
    const step = view.steps[id]!;
    const attempts = step.attempts.length
      ? step.attempts
      : step.startedAt
        ? [{ attempt: step.attempt, agent: step.agent, status: step.status, startedAt: step.startedAt, finishedAt: step.finishedAt, error: step.error }]
        : [];
    for (const a of attempts) {
      if (!a.startedAt) continue;
      out.push({
        stepId: id,
        parent: step.parent,
        agent: a.agent ?? step.agent,
        type: step.type,
        attempt: a.attempt,
        status: a.status,
        start: Date.parse(a.startedAt),
        end: a.finishedAt ? Date.parse(a.finishedAt) : null,
        error: a.error,
      });
    }
  }
  return out;
}

/** 1, 2, 5 × 10^n spacing giving about `target` ticks over `span`. */
export function niceStep(span: number, target = 6): number {
  if (!(span > 0)) return 1;
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = [1, 2, 5, 10].find((m) => m * power >= raw) ?? 10;
  return unit * power;
}

export function ganttLayout(attempts: readonly GanttAttempt[], now: number = Date.now()): GanttLayout {
  const valid = attempts.filter((a) => Number.isFinite(a.start));
  if (!valid.length) return { startEpoch: now, spanMs: 0, rows: [], ticks: [] };
  const startEpoch = Math.min(...valid.map((a) => a.start));
  const endEpoch = Math.max(...valid.map((a) => a.end ?? Math.max(now, a.start)));
  const spanMs = Math.max(endEpoch - startEpoch, 1);

  const order: string[] = [];
  const byStep = new Map<string, GanttAttempt[]>();
  for (const a of [...valid].sort((x, y) => x.start - y.start || x.attempt - y.attempt)) {
    if (!byStep.has(a.stepId)) {
      byStep.set(a.stepId, []);
      order.push(a.stepId);
    }
    byStep.get(a.stepId)!.push(a);
  }
  // Children right under their parent, in start order.
  const top = order.filter((id) => {
    const parent = byStep.get(id)![0]!.parent;
    return !parent || !byStep.has(parent);
  });
  const sorted: string[] = [];
  const visit = (id: string) => {
    sorted.push(id);
    for (const child of order) if (byStep.get(child)![0]!.parent === id && !sorted.includes(child)) visit(child);
  };
  top.forEach(visit);

  const depthOf = (id: string): number => {
    let depth = 0;
    let parent = byStep.get(id)![0]!.parent;
    while (parent && byStep.has(parent) && depth < 8) {
      depth += 1;
      parent = byStep.get(parent)![0]!.parent;
    }
    return depth;
  };

  const rows: GanttRow[] = sorted.map((stepId) => {
    const list = byStep.get(stepId)!;
    const first = list[0]!;
    const stage = first.parent && stepId.startsWith(`${first.parent}.`) ? stepId.slice(first.parent.length + 1) : stepId;
    return {
      stepId,
      label: first.agent && first.agent !== stage ? `${stage} · ${first.agent}` : stage,
      depth: depthOf(stepId),
      bars: list.map((a) => ({
        attempt: a.attempt,
        status: a.status,
        agent: a.agent,
        startMs: a.start - startEpoch,
        endMs: Math.max((a.end ?? Math.max(now, a.start)) - startEpoch, a.start - startEpoch),
        running: a.end === null,
        error: a.error ?? null,
      })),
    };
  });
  const step = niceStep(spanMs);
  const ticks: number[] = [];
  for (let t = 0; t <= spanMs + 1e-9; t += step) ticks.push(t);
  return { startEpoch, spanMs, rows, ticks };
}
