// The item's history: requested, claimed, reassigned, votes, the decision (with its diff).

import { DiffView } from "./DiffView";
import type { HistoryEntry } from "./api";

const VERBS: Record<string, string> = {
  requested: "requested",
  claimed: "claimed",
  released: "released",
  reassigned: "reassigned",
  approved: "approved",
  rejected: "rejected",
  edited: "approved with edits",
  responded: "responded",
  answered: "answered",
  expired: "timed out",
};

export function History({ entries }: { entries: HistoryEntry[] }) {
  return (
    <ol className="inbox-history" data-testid="item-history">
      {entries.map((entry, i) => (
        <li key={i} className={`inbox-history__entry inbox-history__entry--${entry.action}`}>
          <span className="inbox-history__what">
            <strong>{entry.by ?? (entry.action === "requested" ? "the run" : "Baton")}</strong>{" "}
            {VERBS[entry.action] ?? entry.action}
            {entry.action === "reassigned" ? ` from ${entry.data.from ?? "anyone"} to ${entry.data.to ?? "anyone"}` : ""}
          </span>{" "}
          <time className="muted" dateTime={entry.at}>
            {new Date(entry.at).toLocaleString()}
          </time>
          {entry.comment ? <blockquote className="inbox-history__comment">{entry.comment}</blockquote> : null}
          {entry.data.diff?.length ? <DiffView entries={entry.data.diff} /> : null}
        </li>
      ))}
    </ol>
  );
}
