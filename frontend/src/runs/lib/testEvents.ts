// Event fixtures for the unit tests: the shape of a real offline run (docs assistant).

import type { RunEvent, RunEventType } from "../../api/runs";

export const RUN = "run-1";

let clock = Date.parse("2026-11-21T10:00:00.000Z");

export function resetClock(): void {
  clock = Date.parse("2026-11-21T10:00:00.000Z");
}

export function ev(seq: number, type: RunEventType, fields: Partial<RunEvent> = {}): RunEvent {
  clock += 10;
  return {
    seq,
    run: RUN,
    type,
    phase: null,
    step: null,
    agent: null,
    at: new Date(clock).toISOString(),
    data: {},
    ...fields,
  };
}

/** run.queued … run.succeeded for Begin → Coordinator(2 stages) → Interact. */
export function docsAssistantRun(): RunEvent[] {
  resetClock();
  const coord = { step: "coordinator" };
  const s1 = { step: "coordinator.s1-search-docs", agent: "search-docs" };
  const s2 = { step: "coordinator.s2-workspace-stats", agent: "workspace-stats" };
  return [
    ev(1, "run.queued", { data: { query: "How does it work and how many canvases?", trigger: "api" } }),
    ev(2, "run.started"),
    ev(3, "step.started", { ...coord, data: { attempt: 1, type: "coordinator" } }),
    ev(4, "phase.started", { ...coord, phase: "complexity" }),
    ev(5, "phase.completed", {
      ...coord,
      phase: "complexity",
      data: {
        duration_ms: 14,
        decision: {
          level: "MEDIUM",
          reasons: ["two agents"],
          candidates: [
            { slug: "workspace-stats", score: 0.79, reason: "matched canvases" },
            { slug: "search-docs", score: 0.71, reason: "matched coordinator" },
          ],
        },
      },
    }),
    ev(6, "phase.started", { ...coord, phase: "selection" }),
    ev(7, "phase.completed", {
      ...coord,
      phase: "selection",
      data: { duration_ms: 0.13, decision: { agents: ["search-docs", "workspace-stats"], scores: { "search-docs": 0.61 }, reasons: [] } },
    }),
    ev(8, "phase.started", { ...coord, phase: "planning" }),
    ev(9, "phase.completed", {
      ...coord,
      phase: "planning",
      data: {
        duration_ms: 0.86,
        decision: {
          pattern: "sequential",
          stages: [
            { id: "s1-search-docs", agent: "search-docs", query: "How does it work", depends_on: [], success_criteria: [] },
            { id: "s2-workspace-stats", agent: "workspace-stats", query: "how many canvases", depends_on: ["s1-search-docs"], success_criteria: [] },
          ],
        },
      },
    }),
    ev(10, "phase.started", { ...coord, phase: "execution", data: { stages: ["s1-search-docs", "s2-workspace-stats"], pattern: "sequential" } }),
    ev(11, "step.started", { ...s1, data: { attempt: 1, type: "agent" } }),
    ev(12, "agent.started", { ...s1, data: { query: "How does it work" } }),
    ev(13, "agent.delta", { ...s1, data: { text: "The best " } }),
    ev(14, "agent.delta", { ...s1, data: { text: "match is…" } }),
    ev(15, "agent.succeeded", { ...s1, data: { attempt: 1, duration_ms: 63, preview: "The best match is…" } }),
    ev(16, "step.succeeded", { ...s1, data: { attempt: 1, duration_ms: 63, preview: "The best match is…" } }),
    ev(17, "step.started", { ...s2, data: { attempt: 1, type: "agent" } }),
    ev(18, "agent.started", { ...s2, data: { query: "how many canvases" } }),
    ev(19, "agent.succeeded", { ...s2, data: { attempt: 1, duration_ms: 8, preview: "Canvases: 1" } }),
    ev(20, "step.succeeded", { ...s2, data: { attempt: 1, duration_ms: 8, preview: "Canvases: 1" } }),
    ev(21, "phase.completed", { ...coord, phase: "execution", data: { duration_ms: 87.95, decision: { succeeded: 2, failed: 0, skipped: 0 } } }),
    ev(22, "phase.started", { ...coord, phase: "reflection" }),
    ev(23, "phase.completed", { ...coord, phase: "reflection", data: { duration_ms: 0.24, decision: { satisfied: true, unmet: [], retry_agents: [], reasons: [] } } }),
    ev(24, "phase.started", { ...coord, phase: "synthesis" }),
    ev(25, "phase.completed", { ...coord, phase: "synthesis", data: { duration_ms: 0.39, decision: { answer: "**A**", insights: [], rows: [], failed_agents: [] } } }),
    ev(26, "step.succeeded", { ...coord, data: { attempt: 1, duration_ms: 153, preview: "**A**" } }),
    ev(27, "run.succeeded", {
      data: { status: "succeeded", usage: { prompt_tokens: 3807, completion_tokens: 1096, cost_usd: 0 }, answer: "**A**", failed_agents: [] },
    }),
  ];
}
