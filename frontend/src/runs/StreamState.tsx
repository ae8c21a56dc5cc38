import type { ConnectionState } from "./lib/socket";

/** "live" while the stream is open on an active run; "reconnecting…" while it retries. */
export function StreamState({ connection, ended }: { connection: ConnectionState; ended: boolean }) {
  const text = connection === "open" && !ended ? "live" : connection === "reconnecting" && !ended ? "reconnecting…" : "";
  if (!text) return null;
  return (
    <span className={`stream-state stream-state--${connection}`} title="Live event stream" data-testid="stream-state">
      {text}
    </span>
  );
}
