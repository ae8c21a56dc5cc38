// /runs/<id>/: the full record of a run — header, answer, phase timeline, a Gantt chart of its
// steps, the steps with their inputs and outputs, downloads — live while the run is active.

import "../runs/runs.css";

import { useEffect, useMemo, useState, type ReactNode } from "react";

import { isTerminal, resultDownloadUrl, retryRun, runPageUrl } from "../api/runs";
import { AppHeader } from "../components/AppHeader";
import { useRunSocket } from "../hooks/useRunSocket";
import { Gantt } from "../runs/Gantt";
import { durationBetween, formatDuration, formatTime } from "../runs/lib/format";
import { attemptsFromStepRuns, attemptsFromView } from "../runs/lib/gantt";
import { RunControls } from "../runs/RunControls";
import { RunHistory } from "../runs/RunHistory";
import { describe } from "../runs/lib/errors";
import { AnswerView, RunLiveSections, UsageLine, outcomeOf } from "../runs/RunSections";
import { StatusBadge } from "../runs/StatusBadge";
import { StepList } from "../runs/StepList";
import { StreamState } from "../runs/StreamState";
import { useRunRecord } from "../runs/useRunRecord";

export interface RunPageProps {
  runId: string;
  canvasId: string;
  canvasName: string;
}

const DONE = new Set(["succeeded", "failed", "skipped"]);

/** Ticks once a second while `active`, so running bars and durations grow. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** Re-run a failed run from its failed step, then open the new run. */
function RetryButton({ runId }: { runId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="run-page__retry">
      <button
        type="button"
        className="button button--primary"
        data-testid="retry-run"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          retryRun(runId)
            .then((run) => window.location.assign(runPageUrl(run.id)))
            .catch((err: unknown) => {
              setError(describe(err, "retry the run"));
              setBusy(false);
            });
        }}
      >
        {busy ? "Retrying…" : "Retry from the failed step"}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="run-facts__item">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function RunPage({ runId, canvasId, canvasName }: RunPageProps) {
  const { view, connection, error: streamError } = useRunSocket(runId);
  const finishedSteps = view.stepOrder.filter((id) => DONE.has(view.steps[id]!.status)).length;
  const { record, error: loadError } = useRunRecord(runId, view.status, finishedSteps);
  const status = view.status ?? record?.status ?? null;
  const ended = isTerminal(status);
  const now = useNow(!ended && status !== null);
  const outcome = outcomeOf(view, record);

  const attempts = useMemo(
    () => (ended && record ? attemptsFromStepRuns(record.steps) : attemptsFromView(view)),
    [ended, record, view],
  );
  const startedAt = record?.started_at ?? view.startedAt;
  const finishedAt = record?.finished_at ?? view.finishedAt;
  const elapsed = durationBetween(startedAt, finishedAt ?? (startedAt && !ended ? new Date(now).toISOString() : null));

  return (
    <div className="page page--run">
      <AppHeader>
        <h1>
          Run of <a href={`/canvases/${encodeURIComponent(canvasId)}/`}>{canvasName || "canvas"}</a>
        </h1>
      </AppHeader>
      <div className="run-page">
        <main className="run-page__main" aria-label="Run record">
          <header className="run-page__header">
            <div className="run-page__title">
              <StatusBadge status={status} />
              <h2 className="run-page__query">{record?.query || view.query || <em className="muted">(no query)</em>}</h2>
              <StreamState connection={connection} ended={ended} />
            </div>
            <dl className="run-facts">
              <Fact label="Run">
                <code>{runId}</code>
              </Fact>
              <Fact label="Canvas">
                {canvasName}
                {record?.version ? ` (v${record.version})` : ""}
              </Fact>
              <Fact label="Created">{formatTime(record?.created ?? view.queuedAt)}{record?.created_by ? ` by ${record.created_by}` : ""}</Fact>
              <Fact label="Started">{formatTime(startedAt)}</Fact>
              <Fact label="Finished">{formatTime(finishedAt)}</Fact>
              <Fact label="Duration">
                <span data-testid="run-duration">{formatDuration(elapsed)}</span>
              </Fact>
              {record?.retried_from && (
                <Fact label="Retry of">
                  <a href={runPageUrl(record.retried_from)} data-testid="retried-from">
                    {record.retried_from}
                  </a>
                </Fact>
              )}
              {record?.retries?.length ? (
                <Fact label="Retried as">
                  {record.retries.map((id) => (
                    <a key={id} href={runPageUrl(id)} data-testid="retried-as">
                      {id}
                    </a>
                  ))}
                </Fact>
              ) : null}
              <Fact label="Started from">{record?.trigger ?? "—"}</Fact>
              <Fact label="Usage">
                <UsageLine usage={outcome.usage ?? { prompt_tokens: 0, completion_tokens: 0, cost_usd: 0 }} />
              </Fact>
            </dl>
            {(streamError || loadError) && (
              <p className="error" role="alert">
                {streamError ?? loadError}
              </p>
            )}
            {!ended && status && <RunControls runId={runId} status={status} />}
            {(status === "failed" || status === "timed_out") && record && record.depth === 0 && <RetryButton runId={runId} />}
          </header>

          <section className="run-page__section" aria-labelledby="answer-heading">
            <h3 id="answer-heading">Answer</h3>
            {ended ? <AnswerView outcome={outcome} /> : <p className="muted">The run is still going…</p>}
            <p className="run-page__downloads">
              <a href={resultDownloadUrl(runId, "markdown")} download>
                Download Markdown
              </a>
              <a href={resultDownloadUrl(runId, "json")} download>
                Download JSON
              </a>
            </p>
          </section>

          <section className="run-page__section" aria-labelledby="timeline-heading">
            <h3 id="timeline-heading">Phases</h3>
            {view.coordinatorOrder.length || view.stepOrder.length ? (
              <RunLiveSections view={view} expanded />
            ) : (
              <p className="muted">{status ? "No coordinator phases in this run." : "Loading…"}</p>
            )}
          </section>

          <section className="run-page__section" aria-labelledby="gantt-heading">
            <h3 id="gantt-heading">Timeline</h3>
            <Gantt attempts={attempts} now={now} />
          </section>

          <section className="run-page__section" aria-labelledby="steps-heading">
            <h3 id="steps-heading">Steps</h3>
            {record ? <StepList steps={record.steps} /> : <p className="muted">Loading…</p>}
          </section>
        </main>
        <aside className="run-page__aside" aria-label="Other runs of this canvas">
          <h3>Runs of this canvas</h3>
          <RunHistory canvasId={canvasId} activeRunId={runId} refreshKey={status ?? ""} />
        </aside>
      </div>
    </div>
  );
}
