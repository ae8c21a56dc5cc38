// /runs/: every run the user may see, across canvases (GET /api/runs/ returns only those),
// with filters, search and live status — each canvas shown has its socket
// (/ws/canvases/<id>/), and a run event there reloads the list. A failed run can be retried
// from the step that failed (POST /api/runs/<id>/retry/).

import "../runs/runs.css";

import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";

import { listCanvases, type CanvasSummary } from "../api/canvases";
import { RUN_STATUSES, isTerminal, retryRun, runPageUrl, searchRuns, type RunFilters, type RunSummary } from "../api/runs";
import { AppHeader } from "../components/AppHeader";
import { describe } from "../runs/lib/errors";
import { durationBetween, formatDuration, formatTime } from "../runs/lib/format";
import { ReconnectingSocket, wsUrl } from "../runs/lib/socket";
import { StatusBadge } from "../runs/StatusBadge";

/** How runs are started: the `trigger` label of a run (filter `source`). */
const SOURCES = ["ui", "api", "cli", "retry", "schedule", "webhook", "event", "nested", "admin", "manual", "test_step"];
const RELOAD_AFTER_EVENT_MS = 300;
const MAX_LIVE_CANVASES = 20;

/** "2026-12-07" (a date input) → the next day's date, so "to" includes the whole day. */
function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00`);
  next.setDate(next.getDate() + 1);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${next.getFullYear()}-${pad(next.getMonth() + 1)}-${pad(next.getDate())}`;
}

function initialFilters(): RunFilters {
  const params = new URLSearchParams(window.location.search);
  return {
    status: params.get("status") ?? "",
    canvas: params.get("canvas") ?? "",
    source: params.get("source") ?? "",
    q: params.get("q") ?? "",
  };
}

/** Reloads the list when a run of a shown canvas changes (one socket per canvas). */
function useLiveReload(canvasIds: readonly string[], reload: () => void) {
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  const key = [...new Set(canvasIds)].slice(0, MAX_LIVE_CANVASES).sort().join(",");
  useEffect(() => {
    if (!key) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const sockets = key.split(",").map(
      (canvasId) =>
        new ReconnectingSocket({
          url: () => wsUrl(`/ws/canvases/${encodeURIComponent(canvasId)}/`),
          onMessage: (message) => {
            const type = (message as { type?: unknown })?.type;
            if (typeof type !== "string" || !type.startsWith("run.")) return;
            if (timer) clearTimeout(timer);
            timer = setTimeout(() => reloadRef.current(), RELOAD_AFTER_EVENT_MS);
          },
        }),
    );
    sockets.forEach((socket) => socket.start());
    return () => {
      if (timer) clearTimeout(timer);
      sockets.forEach((socket) => socket.stop());
    };
  }, [key]);
}

/** A run without a query is shown by its input ("document_id: a.md · reviewer: bob"). */
function inputSummary(input: Record<string, unknown> | undefined): string {
  return Object.entries(input ?? {})
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
}

function RunRow({ run, onRetried }: { run: RunSummary; onRetried: (run: RunSummary) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      onRetried(await retryRun(run.id));
    } catch (err) {
      setError(describe(err, "retry the run"));
    } finally {
      setBusy(false);
    }
  };
  const canRetry = (run.status === "failed" || run.status === "timed_out") && run.trigger !== "test_step";
  return (
    <tr data-run={run.id} data-status={run.status}>
      <td>
        <StatusBadge status={run.status} />
      </td>
      <td>
        <a href={`/canvases/${encodeURIComponent(run.canvas)}/`}>{run.canvas_name ?? "canvas"}</a>
        {run.version ? <span className="muted"> v{run.version}</span> : null}
      </td>
      <td className="runs-table__query">
        <a href={runPageUrl(run.id)} title={run.query}>
          {run.query || inputSummary(run.input) || <em className="muted">(no query)</em>}
        </a>
        {run.error ? <div className="runs-table__error">{run.error}</div> : null}
        {run.retried_from ? (
          <div className="muted" data-testid="retried-from">
            retry of <a href={runPageUrl(run.retried_from)}>{run.retried_from.slice(0, 8)}</a>
          </div>
        ) : null}
        {run.retries?.length ? (
          <div className="muted" data-testid="retried-as">
            retried as <a href={runPageUrl(run.retries[0]!)}>{run.retries[0]!.slice(0, 8)}</a>
          </div>
        ) : null}
      </td>
      <td data-testid="run-source">{run.trigger}</td>
      <td>{run.created_by ?? "—"}</td>
      <td>{formatTime(run.created)}</td>
      <td>{formatDuration(durationBetween(run.started_at, run.finished_at))}</td>
      <td>
        {canRetry && (
          <button type="button" className="button button--small" data-testid="retry-run" disabled={busy} onClick={() => void retry()}>
            {busy ? "Retrying…" : "Retry from failed step"}
          </button>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}

export function RunsPage() {
  const [filters, setFilters] = useState<RunFilters>(initialFilters);
  const [search, setSearch] = useState(filters.q ?? "");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [canvases, setCanvases] = useState<CanvasSummary[]>([]);

  useEffect(() => {
    const abort = new AbortController();
    listCanvases("", abort.signal)
      .then(setCanvases)
      .catch(() => undefined); // the canvas filter then lists none; the runs still load
    return () => abort.abort();
  }, []);

  const query: RunFilters = useMemo(
    () => ({ ...filters, createdAfter: from || undefined, createdBefore: to ? dayAfter(to) : undefined }),
    [filters, from, to],
  );

  useEffect(() => {
    const abort = new AbortController();
    searchRuns(query, abort.signal)
      .then((page) => {
        setRuns(page.results);
        setCount(page.count);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setError(describe(err, "load the runs"));
      });
    // The filters stay in the address, so a link or a reload shows the same list.
    const params = new URLSearchParams();
    for (const name of ["status", "canvas", "source", "q"] as const) if (filters[name]) params.set(name, filters[name]!);
    window.history.replaceState(null, "", params.toString() ? `?${params}` : window.location.pathname);
    return () => abort.abort();
  }, [query, filters, reload]);

  // Active runs' canvases first, so they are live even when the list spans many canvases.
  const shown = [...(runs ?? [])].sort((a, b) => Number(isTerminal(a.status)) - Number(isTerminal(b.status)));
  const shownCanvases = filters.canvas ? [filters.canvas] : shown.map((run) => run.canvas);
  useLiveReload(shownCanvases, () => setReload((n) => n + 1));

  const set = (patch: Partial<RunFilters>) => setFilters((current) => ({ ...current, ...patch }));
  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    set({ q: search });
  };

  return (
    <div className="page page--runs">
      <AppHeader>
        <h1>Runs</h1>
      </AppHeader>
      <main className="content runs-page" aria-label="Runs">
        <form className="runs-filters" onSubmit={onSearch} aria-label="Filter runs">
          <label>
            Status
            <select data-testid="filter-status" value={filters.status} onChange={(e) => set({ status: e.target.value })}>
              <option value="">any</option>
              {RUN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replace("_", " ")}
                </option>
              ))}
            </select>
          </label>
          <label>
            Canvas
            <select data-testid="filter-canvas" value={filters.canvas} onChange={(e) => set({ canvas: e.target.value })}>
              <option value="">any</option>
              {canvases.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Started from
            <select data-testid="filter-source" value={filters.source} onChange={(e) => set({ source: e.target.value })}>
              <option value="">anywhere</option>
              {SOURCES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input type="date" data-testid="filter-from" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To
            <input type="date" data-testid="filter-to" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <label className="runs-filters__search">
            Search
            <input
              type="search"
              data-testid="filter-search"
              placeholder="query, canvas or error"
              value={search}
              maxLength={200}
              onChange={(e) => setSearch(e.target.value)}
            />
          </label>
          <button type="submit" className="button button--small">
            Search
          </button>
          {runs && (
            <span className="muted" data-testid="runs-count">
              {count} run{count === 1 ? "" : "s"}
            </span>
          )}
        </form>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {runs === null && !error && <p className="muted">Loading runs…</p>}
        {runs && runs.length === 0 && <p className="muted">No runs match.</p>}
        {runs && runs.length > 0 && (
          <table className="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th>Status</th>
                <th>Canvas</th>
                <th>Query</th>
                <th>Started from</th>
                <th>By</th>
                <th>Created</th>
                <th>Duration</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <RunRow key={run.id} run={run} onRetried={() => setReload((n) => n + 1)} />
              ))}
            </tbody>
          </table>
        )}
        {runs && count > runs.length && <p className="muted">Showing the newest {runs.length}; narrow the filters to see others.</p>}
      </main>
    </div>
  );
}
