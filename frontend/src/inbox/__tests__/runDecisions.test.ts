import { describe, expect, it } from "vitest";

import { applyEvents, emptyRunView } from "../../runs/lib/runView";
import { RUN, ev } from "../../runs/lib/testEvents";

describe("a run's inbox activity", () => {
  const requested = ev(2, "approval.requested", {
    step: "review",
    data: { approval: "a1", kind: "plan_review", prompt: "OK?", assignee: "bob" },
  });

  it("keeps the run waiting through claims, reassignments and votes", () => {
    const view = applyEvents(emptyRunView(RUN), [
      ev(1, "step.started", { step: "review", data: { type: "human_approval" } }),
      requested,
      ev(3, "approval.claimed", { step: "review", data: { approval: "a1", by: "bob" } }),
      ev(4, "approval.reassigned", { step: "review", data: { approval: "a1", by: "bob", from: "bob", to: "group:finance" } }),
      ev(5, "approval.voted", { step: "review", data: { approval: "a1", by: "carol", count: 1, required: 2 } }),
    ]);
    expect(view.humans.review).toMatchObject({ kind: "plan_review", assignee: null, group: "finance" });
    expect(view.decisions.map((d) => [d.type, d.by])).toEqual([
      ["approval.claimed", "bob"],
      ["approval.reassigned", "bob"],
      ["approval.voted", "carol"],
    ]);
  });

  it("records the decision with its comment and diff and stops waiting", () => {
    const diff = [{ field: "draft.text", before: "a", after: "b" }];
    const view = applyEvents(emptyRunView(RUN), [
      requested,
      ev(3, "approval.decided", {
        step: "review",
        data: { approval: "a1", by: "bob", status: "approved", action: "edit", comment: "tidy", diff },
      }),
    ]);
    expect(view.humans).toEqual({});
    expect(view.decisions[0]).toMatchObject({ status: "approved", action: "edit", comment: "tidy", diff });
  });
});

describe("the canvas node of a cancelled item", () => {
  it("is skipped, not resumed", async () => {
    const { nodeStatusOfEvent } = await import("../../runs/lib/nodeStatus");
    expect(nodeStatusOfEvent({ type: "approval.decided", data: { status: "cancelled" } })).toBe("skipped");
    expect(nodeStatusOfEvent({ type: "approval.decided", data: { status: "approved" } })).toBe("running");
  });
});
