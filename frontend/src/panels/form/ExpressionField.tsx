// A {{ }} field of the property panel: the expression editor (completion of input.*, steps.*
// from the graph and the last run), the server's syntax error under it, and a live preview of
// the value against the last run's data — all from POST /api/expressions/preview/, so the
// wording is the one a run would fail with.

import { lazy, Suspense, useCallback, useEffect, useState } from "react";

import { previewExpression, type ExpressionMode, type ExpressionPreview } from "../../api/expressions";
import { describeError } from "../../api/client";
import { expressionNames } from "../../lib/expressionCompletions";
import type { JsonSchema } from "../../lib/jsonSchema";
import { useCanvasDoc } from "../../store/canvasDoc";
import { useGraph } from "../../store/graph";
import { useLastRun } from "../../store/lastRun";
import { fieldId, FieldShell } from "./FieldShell";
import type { WidgetProps } from "./widgets";

const ExpressionEditor = lazy(() => import("./ExpressionEditor"));

const PREVIEW_DELAY_MS = 350;
const NOT_STEPS = new Set(["begin", "interact"]);
/** Keys of the property panel whose text is a bare condition rather than template text. */
const CONDITION_KEYS = new Set(["expression", "when", "until"]);
/** Keys of the property panel that the engine renders as templates. */
const TEMPLATE_KEYS = new Set(["query", "prompt", "message", "assignee", "destination", "plan_reviewer"]);

export function isExpressionField(prefix: string, key: string): boolean {
  const panel = prefix.startsWith("data.config") || prefix.startsWith("data.step");
  return panel && (CONDITION_KEYS.has(key) || TEMPLATE_KEYS.has(key));
}

export function modeOf(key: string): ExpressionMode {
  return CONDITION_KEYS.has(key) ? "condition" : "template";
}

/** The names as of now: read from the stores when completion opens, not on every render. */
function currentNames() {
  const { nodes } = useGraph.getState();
  const begin = nodes.find((n) => n.type === "begin");
  const inputSchema = (begin?.data.config as { input_schema?: JsonSchema } | undefined)?.input_schema ?? null;
  const stepIds = nodes.filter((n) => !NOT_STEPS.has(n.type ?? "")).map((n) => n.id);
  return expressionNames({ inputSchema, stepIds, context: useLastRun.getState().context });
}

function usePreview(text: string, mode: ExpressionMode, runId: string | null) {
  const [preview, setPreview] = useState<ExpressionPreview | null>(null);
  const [failure, setFailure] = useState("");
  useEffect(() => {
    if (!text.trim()) {
      setPreview(null);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      previewExpression({ expression: text, mode, run: runId }, controller.signal)
        .then((result) => {
          setPreview(result);
          setFailure("");
        })
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setFailure(describeError(error, "preview"));
        });
    }, PREVIEW_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [text, mode, runId]);
  return { preview, failure };
}

export function ExpressionField({ field, prefix, value, errors, onChange }: WidgetProps) {
  const text = value === undefined || value === null ? "" : String(value);
  const mode = modeOf(field.key);
  const canvasId = useCanvasDoc((s) => s.canvasId);
  const runId = useLastRun((s) => s.runId);
  const loadLastRun = useLastRun((s) => s.load);
  useEffect(() => {
    void loadLastRun(canvasId);
  }, [canvasId, loadLastRun]);
  const { preview, failure } = usePreview(text, mode, runId);
  const syntaxError = preview && !preview.valid ? preview.error : null;
  const change = useCallback(
    (next: string) => onChange(next === "" && field.nullable ? null : next),
    [onChange, field.nullable],
  );
  const id = fieldId(prefix, field);
  return (
    <FieldShell field={field} prefix={prefix} errors={errors} localError={syntaxError ?? undefined}>
      <Suspense
        fallback={<textarea id={id} data-testid={id} value={text} rows={2} onChange={(e) => change(e.target.value)} />}
      >
        <ExpressionEditor id={id} value={text} mode={mode} invalid={Boolean(syntaxError || errors?.length)} readOnly={field.readOnly} names={currentNames} onChange={change} />
      </Suspense>
      <ExpressionPreviewLine preview={preview} failure={failure} hasRun={Boolean(runId)} testId={`preview-${prefix}.${field.path.join(".")}`} />
    </FieldShell>
  );
}

function ExpressionPreviewLine({ preview, failure, hasRun, testId }: { preview: ExpressionPreview | null; failure: string; hasRun: boolean; testId: string }) {
  if (failure) return <p className="expression-preview expression-preview--failed" data-testid={testId}>{failure}</p>;
  if (!preview || !preview.valid) return null;
  if (!hasRun) {
    return <p className="expression-preview muted" data-testid={testId}>No run yet: run the canvas to preview values.</p>;
  }
  if (!preview.evaluated) {
    return (
      <p className="expression-preview expression-preview--error" data-testid={testId}>
        Last run: {preview.error}
      </p>
    );
  }
  return (
    <div className="expression-preview" data-testid={testId}>
      <span className="expression-preview__label">Last run{preview.truthy === undefined ? "" : preview.truthy ? " (true)" : " (false)"}:</span>
      <pre>{preview.text}{preview.truncated ? "\n…" : ""}</pre>
    </div>
  );
}
