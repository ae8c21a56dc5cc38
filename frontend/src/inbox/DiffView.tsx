// A reviewer's edits as a line diff: removed lines struck through, added lines marked.
// Text goes through React's escaping only.

import { asText, lineDiff } from "./lib/diff";
import type { DiffEntry } from "./api";

/** Fields changed the same way (a `summary` and its `text` twin) show as one diff. */
function grouped(entries: DiffEntry[]): (DiffEntry & { fields: string[] })[] {
  const groups = new Map<string, DiffEntry & { fields: string[] }>();
  for (const entry of entries) {
    const key = JSON.stringify([entry.before, entry.after]);
    const found = groups.get(key);
    if (found) found.fields.push(entry.field);
    else groups.set(key, { ...entry, fields: [entry.field] });
  }
  return [...groups.values()];
}

export function DiffView({ entries }: { entries: DiffEntry[] }) {
  return (
    <div className="inbox-diff" data-testid="edit-diff">
      {grouped(entries).map((entry) => (
        <div key={entry.field} className="inbox-diff__field">
          <code className="inbox-diff__name">{entry.fields.join(" = ")}</code>
          <pre className="inbox-diff__lines">
            {lineDiff(asText(entry.before), asText(entry.after)).map((line, i) => (
              <span key={i} className={`inbox-diff__line inbox-diff__line--${line.kind}`}>
                {line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}
                {line.text}
                {"\n"}
              </span>
            ))}
          </pre>
        </div>
      ))}
    </div>
  );
}
