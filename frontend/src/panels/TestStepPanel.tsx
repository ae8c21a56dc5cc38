// "Test step" on an agent, transform or condition node: runs just that node, with sample input
// (prefilled from the last run, editable JSON), through the engine like any step
// (POST /api/canvases/<id>/test-step/), and shows what went in and what came out. The test is
// a run marked "test_step" that the run lists leave out.

import { useEffect, useRef, useState } from "react";

import { describeError, ApiError, type FieldError } from "../api/client";
import { startStepTest } from "../api/expressions";
import { getRun, isTerminal, runPageUrl, type RunDetail } from "../api/runs";
import { toStoredGraph } from "../lib/graphJson";
import { flowAncestors, flowPredecessors, sampleFor } from "../lib/stepSample";
import { StatusBadge } from "../runs/StatusBadge";
import { useCanvasDoc } from "../store/canvasDoc";
import { useGraph } from "../store/graph";
import { useLastRun } from "../store/lastRun";
import { FieldErrors } from "./form/FieldShell";

export const TESTABLE_TYPES = new Set(["sub_agent", "coordinator", "transform", "condition"]);
const NOT_STEPS = new Set(["begin", "interact"]);
const POLL_MS = 400;

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "null";
}

function initialSample(id: string): string {
  const { nodes, edges } = useGraph.getState();
  const stepIds = nodes.filter((n) => !NOT_STEPS.has(n.type ?? "")).map((n) => n.id);
  const upstream = flowAncestors(id, edges, stepIds);
  return json(sampleFor(useLastRun.getState().context, id, upstream, flowPredecessors(id, edges, stepIds)));
}

export function TestStepPanel({ id }: { id: string }) {
  const canvasId = useCanvasDoc((s) => s.canvasId);
  const lastRunStatus = useLastRun((s) => s.status);
  const loadLastRun = useLastRun((s) => s.load);
  const [open, setOpen] = useState(false);
  const [sample, setSample] = useState("");
  const [sent, setSent] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState("");
  const [run, setRun] = useState<RunDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const polling = useRef<AbortController | null>(null);

  useEffect(() => () => polling.current?.abort(), []);
  useEffect(() => {
    if (open) void loadLastRun(canvasId);
  }, [open, canvasId, loadLastRun]);
  // Prefill once the last run is known (or known not to exist), unless the user typed already.
  useEffect(() => {
    if (open && !sample && (lastRunStatus === "ready" || lastRunStatus === "error")) setSample(initialSample(id));
  }, [open, sample, lastRunStatus, id]);

  const parsed = (() => {
    try {
      return { value: JSON.parse(sample) as unknown, error: "" };
    } catch (error) {
      return { value: null, error: sample ? `Not valid JSON: ${(error as Error).message}` : "" };
    }
  })();

  async function follow(runId: string, signal: AbortSignal) {
    for (;;) {
      const detail = await getRun(runId, signal);
      setRun(detail);
      if (isTerminal(detail.status)) return;
      await new Promise((resolve) => window.setTimeout(resolve, POLL_MS));
      if (signal.aborted) return;
    }
  }

  async function runTest() {
    polling.current?.abort();
    const controller = new AbortController();
    polling.current = controller;
    setBusy(true);
    setErrors([]);
    setFailure("");
    setRun(null);
    setSent(parsed.value);
    try {
      const { nodes, edges } = useGraph.getState();
      const started = await startStepTest(canvasId, { node: id, sample: parsed.value, graph: toStoredGraph(nodes, edges) });
      await follow(started.id, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.errors.length) setErrors(error.errors);
      setFailure(describeError(error, "test the step"));
    } finally {
      if (!controller.signal.aborted) setBusy(false);
    }
  }

  if (!open) {
    return (
      <div className="test-step">
        <button type="button" className="button" data-testid="test-step-open" onClick={() => setOpen(true)}>
          Test step
        </button>
      </div>
    );
  }
  const row = run?.steps.find((s) => s.step_id === id && !s.superseded);
  return (
    <section className="test-step is-open" data-testid="test-step" aria-label="Test step">
      <h4>Test step</h4>
      <p className="muted">
        Runs only this node, as a run would, with this input (from the last run when there is one). The test is kept as a
        test run, out of the run lists.
      </p>
      <label className="field__label" htmlFor="test-step-sample">
        Sample input (query, input, outputs of earlier steps)
      </label>
      <textarea
        id="test-step-sample"
        data-testid="test-step-sample"
        className="json-input"
        spellCheck={false}
        rows={Math.min(14, Math.max(5, sample.split("\n").length))}
        value={sample}
        onChange={(event) => setSample(event.target.value)}
        aria-invalid={Boolean(parsed.error || errors.length)}
      />
      <FieldErrors messages={parsed.error ? [parsed.error] : undefined} local testId="test-step-json-error" />
      <FieldErrors messages={errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message))} testId="test-step-errors" />
      {failure && !errors.length ? <p className="error" data-testid="test-step-failure">{failure}</p> : null}
      <div className="test-step__actions">
        <button type="button" className="button button--primary" data-testid="test-step-run" disabled={busy || Boolean(parsed.error) || !sample} onClick={() => void runTest()}>
          {busy ? "Testing…" : "Run test"}
        </button>
        <button type="button" className="button" onClick={() => setSample(initialSample(id))} disabled={busy}>
          Reset sample
        </button>
      </div>
      {run ? (
        <div className="test-step__result" data-testid="test-step-result" data-status={row?.status ?? run.status}>
          <p>
            <StatusBadge status={row?.status ?? run.status} />{" "}
            <a href={runPageUrl(run.id)} target="_blank" rel="noreferrer">
              test run
            </a>
          </p>
          <h5>Input</h5>
          <pre data-testid="test-step-input">{json(sent)}</pre>
          <h5>{row?.error ? "Error" : "Output"}</h5>
          <pre data-testid="test-step-output">{row?.error ? row.error : json(row?.output ?? null)}</pre>
        </div>
      ) : null}
    </section>
  );
}
