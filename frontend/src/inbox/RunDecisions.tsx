// The run's inbox activity in its timeline (run panel and run page): who claimed, reassigned,
// approved, rejected or edited what, when, with their comment and the edit as a diff.

import { memo } from "react";

import type { DecisionEntry, RunView } from "../runs/lib/runView";
import { DiffView } from "./DiffView";

function sentence(entry: DecisionEntry): string {
  const by = entry.by ?? "the deadline";
  switch (entry.type) {
    case "approval.claimed":
      return `${by} claimed ${entry.step}`;
    case "approval.released":
      return `${by} released ${entry.step}`;
    case "approval.reassigned":
      return `${by} reassigned ${entry.step} from ${entry.from ?? "anyone"} to ${entry.to ?? "anyone"}`;
    case "approval.voted":
      return `${by} approved ${entry.step} (${entry.count ?? "?"} of ${entry.required ?? "?"})`;
    default: {
      if (entry.status === "cancelled") return `${entry.step} was cancelled: the run ended`;
      const verb =
        entry.action === "edit"
          ? "approved with edits"
          : entry.action === "respond" && entry.status === "responded"
            ? "responded to"
            : entry.status ?? "decided";
      return `${by} ${verb} ${entry.step}`;
    }
  }
}

export const RunDecisions = memo(function RunDecisions({ view }: { view: RunView }) {
  if (!view.decisions.length) return null;
  return (
    <section className="run-decisions" aria-label="Decisions">
      <ol className="inbox-history" data-testid="run-decisions">
        {view.decisions.map((entry) => (
          <li key={entry.seq} className="inbox-history__entry" data-type={entry.type} data-status={entry.status ?? ""}>
            <span>{sentence(entry)}</span>{" "}
            <time className="muted" dateTime={entry.at}>
              {new Date(entry.at).toLocaleTimeString()}
            </time>
            {entry.comment ? <blockquote className="inbox-history__comment">{entry.comment}</blockquote> : null}
            {entry.diff.length ? <DiffView entries={entry.diff} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
});
