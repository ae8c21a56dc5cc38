// Runs of a canvas, newest first, filtered by status (GET /api/runs/?canvas=&status=).

import { useCallback, useEffect, useState } from "react";

import { RUN_STATUSES, listRuns, runPageUrl, type RunStatus, type RunSummary } from "../api/runs";
import { describe } from "./lib/errors";
import { durationBetween, formatDuration, formatTime } from "./lib/format";
import { StatusBadge } from "./StatusBadge";

export function RunHistory({
  canvasId,
  onOpen,
  activeRunId,
  refreshKey,
}: {
  canvasId: string;
  onOpen?: (runId: string) => void;
  activeRunId?: string | null;
  /** Changes when a run starts or ends, to reload. */
  refreshKey?: string;
}) {
  const [status, setStatus] = useState<RunStatus | "">("");
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    listRuns({ canvas: canvasId, status: status ? [status] : [] }, abort.signal)
      .then((page) => {
        setRuns(page.results);
        setCount(page.count);
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setError(describe(err, "load the run history"));
      });
    return () => abort.abort();
  }, [canvasId, status, reload, refreshKey]);

  const refresh = useCallback(() => setReload((n) => n + 1), []);

  return (
    <section className="run-history" aria-label="Run history">
      <div className="run-history__filters">
        <label>
          Status{" "}
          <select value={status} onChange={(e) => setStatus(e.target.value as RunStatus | "")}>
            <option value="">all</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="link-button" onClick={refresh}>
          Refresh
        </button>
        {runs && <span className="muted">{count} run{count === 1 ? "" : "s"}</span>}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {runs === null && !error && <p className="muted">Loading runs…</p>}
      {runs && runs.length === 0 && <p className="muted">No runs{status ? ` with status ${status}` : ""}.</p>}
      {runs && runs.length > 0 && (
        <ul className="run-history__list">
          {runs.map((run) => (
            <li key={run.id} className={run.id === activeRunId ? "active" : ""} data-run={run.id}>
              <div className="run-history__row">
                <StatusBadge status={run.status} />
                <span className="run-history__query" title={run.query}>
                  {run.query || <em className="muted">(no query)</em>}
                </span>
              </div>
              <div className="run-history__meta muted">
                {formatTime(run.created)} · {formatDuration(durationBetween(run.started_at, run.finished_at))}
                {run.version ? ` · v${run.version}` : ""} · {run.trigger}
              </div>
              <div className="run-history__actions">
                {onOpen && (
                  <button type="button" className="link-button" onClick={() => onOpen(run.id)}>
                    Show here
                  </button>
                )}
                <a href={runPageUrl(run.id)}>Open run page</a>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
