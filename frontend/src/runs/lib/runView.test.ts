import { describe, expect, it } from "vitest";

import { applyEvent, applyEvents, emptyRunView, orderedPhases, stagesOf } from "./runView";
import { RUN, docsAssistantRun, ev } from "./testEvents";

describe("applyEvents", () => {
  it("folds a whole run into status, phases, stages, answer and usage", () => {
    const view = applyEvents(emptyRunView(RUN), docsAssistantRun());

    expect(view.status).toBe("succeeded");
    expect(view.lastSeq).toBe(27);
    expect(view.query).toBe("How does it work and how many canvases?");
    expect(orderedPhases(view.coordinators.coordinator!).map((p) => [p.name, p.state, p.durationMs])).toEqual([
      ["complexity", "completed", 14],
      ["selection", "completed", 0.13],
      ["planning", "completed", 0.86],
      ["execution", "completed", 87.95],
      ["reflection", "completed", 0.24],
      ["synthesis", "completed", 0.39],
    ]);
    expect(stagesOf(view, "coordinator").map((s) => [s.agent, s.status])).toEqual([
      ["search-docs", "succeeded"],
      ["workspace-stats", "succeeded"],
    ]);
    expect(view.steps["coordinator.s1-search-docs"]!.text).toBe("The best match is…");
    expect(view.answer).toBe("**A**");
    expect(view.usage).toEqual({ prompt_tokens: 3807, completion_tokens: 1096, cost_usd: 0 });
  });

  it("ignores duplicates and anything at or below the last seq", () => {
    const events = docsAssistantRun();
    const once = applyEvents(emptyRunView(RUN), events.slice(0, 15));
    const twice = applyEvents(once, events.slice(10, 15));

    expect(twice).toBe(once);
    expect(twice.steps["coordinator.s1-search-docs"]!.text).toBe("The best match is…");
  });

  it("leaves untouched branches identical so memoised views skip them", () => {
    const events = docsAssistantRun();
    const before = applyEvents(emptyRunView(RUN), events.slice(0, 13));
    const after = applyEvent(before, events[13]!); // one agent.delta

    expect(after.coordinators).toBe(before.coordinators);
    expect(after.steps.coordinator).toBe(before.steps.coordinator);
    expect(after.steps["coordinator.s1-search-docs"]).not.toBe(before.steps["coordinator.s1-search-docs"]);
  });

  it("records a failed phase with its error", () => {
    const view = applyEvents(emptyRunView(RUN), [
      ev(1, "phase.started", { step: "c", phase: "complexity" }),
      ev(2, "phase.completed", { step: "c", phase: "complexity", data: { error: "model said nonsense", duration_ms: 5 } }),
    ]);

    expect(view.coordinators.c!.phases.complexity).toMatchObject({ state: "failed", error: "model said nonsense", durationMs: 5 });
  });

  it("keeps each attempt of a retried step, and its notes", () => {
    const step = { step: "c.s1", agent: "flaky" };
    const view = applyEvents(emptyRunView(RUN), [
      ev(1, "step.started", { ...step, data: { attempt: 1, type: "agent" } }),
      ev(2, "agent.failed", { ...step, data: { attempt: 1, error: "boom" } }),
      ev(3, "agent.retrying", { ...step, data: { attempt: 2, delay_seconds: 1, error: "boom" } }),
      ev(4, "step.started", { ...step, data: { attempt: 2, type: "agent" } }),
      ev(5, "step.succeeded", { ...step, data: { attempt: 2, preview: "ok" } }),
    ]);
    const s1 = view.steps["c.s1"]!;

    expect(s1.status).toBe("succeeded");
    expect(s1.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, "failed"],
      [2, "succeeded"],
    ]);
    expect(s1.notes[0]).toContain("retrying as attempt 2");
  });

  it("tracks approvals as waiting and back", () => {
    const waiting = applyEvents(emptyRunView(RUN), [
      ev(1, "run.started"),
      ev(2, "step.started", { step: "review", data: { type: "human_approval" } }),
      ev(3, "approval.requested", { step: "review", data: { approval: "a1", prompt: "OK?", assignee: "bob" } }),
    ]);
    expect(waiting.status).toBe("waiting");
    expect(waiting.steps.review!.status).toBe("waiting");
    expect(waiting.humans.review).toMatchObject({ prompt: "OK?", assignee: "bob" });

    const decided = applyEvent(waiting, ev(4, "approval.decided", { step: "review", data: { status: "approved" } }));
    expect(decided.status).toBe("running");
    expect(decided.humans).toEqual({});
  });

  it("settles waiting and queued steps as skipped when the run is cancelled", () => {
    const view = applyEvents(emptyRunView(RUN), [
      ev(1, "step.started", { step: "review" }),
      ev(2, "approval.requested", { step: "review", data: { approval: "a1", prompt: "OK?" } }),
      ev(3, "run.cancelled", { data: { status: "cancelled", error: "cancelled by alice" } }),
    ]);
    expect(view.steps.review!.status).toBe("skipped");
    expect(view.humans).toEqual({});
    expect(view.error).toBe("cancelled by alice");
  });

  it("ignores events of another run", () => {
    const view = emptyRunView(RUN);
    expect(applyEvent(view, { ...ev(1, "run.started"), run: "other" })).toBe(view);
  });
});

describe("waiting steps", () => {
  it("shows the attempt as waiting, and the run waiting again after a resume", () => {
    const view = applyEvents(emptyRunView(RUN), [
      ev(1, "run.started"),
      ev(2, "step.started", { step: "review", data: { attempt: 1 } }),
      ev(3, "approval.requested", { step: "review", data: { approval: "a1", prompt: "OK?" } }),
      ev(4, "run.paused"),
      ev(5, "run.resumed"),
    ]);
    expect(view.status).toBe("waiting");
    expect(view.steps.review!.attempts.map((a) => a.status)).toEqual(["waiting"]);
  });
});
