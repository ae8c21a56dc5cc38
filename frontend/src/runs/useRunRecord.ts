// The run's full record (GET /api/runs/<id>/): loaded once, again (debounced) when
// `refreshKey` changes — e.g. a step finished — and again when the live view says the run
// ended (the answer in run.* events is capped; outputs live only here).

import { useEffect, useRef, useState } from "react";

import { getRun, isTerminal, type RunDetail } from "../api/runs";
import { describe } from "./lib/errors";

const REFRESH_DEBOUNCE_MS = 600;

export function useRunRecord(runId: string | null, liveStatus: string | null, refreshKey: string | number = "") {
  const [record, setRecord] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ended = isTerminal(liveStatus);
  const loadedFor = useRef<string | null>(null);

  useEffect(() => {
    setRecord(null);
    setError(null);
    loadedFor.current = null;
  }, [runId]);

  useEffect(() => {
    if (!runId) return;
    const abort = new AbortController();
    const load = () =>
      getRun(runId, abort.signal)
        .then((detail) => {
          if (abort.signal.aborted) return;
          loadedFor.current = runId;
          setRecord(detail);
        })
        .catch((err: unknown) => {
          if (!abort.signal.aborted) setError(describe(err, "load the run"));
        });
    // First load and the end of the run at once; step-driven refreshes debounced.
    const first = loadedFor.current !== runId;
    const timer = setTimeout(load, ended || first ? 0 : REFRESH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [runId, ended, refreshKey]);

  return { record: record && record.id === runId ? record : null, error };
}
