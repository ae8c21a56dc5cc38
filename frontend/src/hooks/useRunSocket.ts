// Follows one run live (docs/architecture.md) and folds its events into a RunView. The stream logic
// (order, duplicates, resync, reconnect after the last seq, gap fill) is RunStreamClient's;
// this hook batches what it delivers to one React update per animation frame, so agent.delta
// at stream speed costs one render per frame, not one per chunk.

import { useEffect, useRef, useState } from "react";

import { getEvents, type RunEvent } from "../api/runs";
import { FrameBatch } from "../runs/lib/frameBatch";
import { RunStreamClient } from "../runs/lib/runStream";
import { applyEvents, emptyRunView, type RunView } from "../runs/lib/runView";
import type { ConnectionState } from "../runs/lib/socket";

export interface RunStream {
  view: RunView;
  connection: ConnectionState;
  /** Why the stream stopped for good (refused: 4401/4404), if it did. */
  error: string | null;
}

export function useRunSocket(runId: string | null): RunStream {
  const [view, setView] = useState<RunView>(() => emptyRunView(runId));
  const [connection, setConnection] = useState<ConnectionState>("closed");
  const [error, setError] = useState<string | null>(null);
  const current = useRef<string | null>(runId);

  useEffect(() => {
    current.current = runId;
    setView(emptyRunView(runId));
    setError(null);
    if (!runId) {
      setConnection("closed");
      return;
    }
    const batch = new FrameBatch<RunEvent>((events) => {
      if (current.current === runId) setView((prev) => applyEvents(prev, events));
    });
    const client = new RunStreamClient({
      runId,
      fetchEvents: getEvents,
      onEvents: (events) => batch.push(...events),
      onState: (state, detail) => {
        setConnection(state);
        if (state === "refused") setError(detail ?? "The stream was refused.");
      },
    });
    client.start();
    return () => {
      client.stop();
      batch.dispose();
    };
  }, [runId]);

  return { view: view.runId === runId ? view : emptyRunView(runId), connection, error };
}
