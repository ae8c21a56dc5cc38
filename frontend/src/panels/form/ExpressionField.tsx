// A {{ }} field of the property panel: the expression editor (completion of input.*, steps.*
// from the graph and the last run), the server's syntax error under it, and a live preview of
// the value against the last run's data — all from POST /api/expressions/preview/, so the
// wording is the one a run would fail with.

import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";

import { previewExpression, type ExpressionMode, type ExpressionPreview, type PreviewBody } from "../../api/expressions";
import { describeError } from "../../api/client";
import { expressionNames } from "../../lib/expressionCompletions";
import { parseJsonField, type JsonSchema } from "../../lib/jsonSchema";
import { useCanvasDoc } from "../../store/canvasDoc";
import { useGraph, useSingleSelectedNodeId } from "../../store/graph";
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

/** JSON fields whose strings the engine renders as templates: a transform's output, a
 * sub-plan's input, a sub-agent's step input. */
export function isJsonExpressionField(prefix: string, key: string): boolean {
  return (prefix.startsWith("data.config") && (key === "output" || key === "input")) || (prefix.startsWith("data.step") && key === "input");
}

export function modeOf(key: string): ExpressionMode {
  return CONDITION_KEYS.has(key) ? "condition" : "template";
}

/** The names as of now: read from the stores when completion opens, not on every render. */
function currentNames(ownStep = false) {
  const { nodes } = useGraph.getState();
  const begin = nodes.find((n) => n.type === "begin");
  const inputSchema = (begin?.data.config as { input_schema?: JsonSchema } | undefined)?.input_schema ?? null;
  const stepIds = nodes.filter((n) => !NOT_STEPS.has(n.type ?? "")).map((n) => n.id);
  return expressionNames({ inputSchema, stepIds, ownStep, context: useLastRun.getState().context });
}

/** The server's check and preview of `body` (null: nothing to preview), debounced; `key`
 * says when the body changed. */
function usePreview(key: string, body: PreviewBody | null) {
  const [preview, setPreview] = useState<ExpressionPreview | null>(null);
  const [failure, setFailure] = useState("");
  const latest = useRef(body);
  latest.current = body;
  useEffect(() => {
    const current = latest.current;
    if (!current) {
      setPreview(null);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      previewExpression(current, controller.signal)
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
  }, [key]);
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
  // a loop's `until` sees its own step as `step`
  const selected = useSingleSelectedNodeId();
  const ownStep = field.key === "until" ? (selected ?? undefined) : undefined;
  const names = useCallback(() => currentNames(Boolean(ownStep)), [ownStep]);
  const { preview, failure } = usePreview(
    JSON.stringify([text, mode, runId, ownStep]),
    text.trim() ? { expression: text, mode, run: runId, step: ownStep } : null,
  );
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
        <ExpressionEditor id={id} value={text} mode={mode} invalid={Boolean(syntaxError || errors?.length)} readOnly={field.readOnly} names={names} onChange={change} />
      </Suspense>
      <ExpressionPreviewLine preview={preview} failure={failure} hasRun={Boolean(runId)} testId={`preview-${prefix}.${field.path.join(".")}`} />
    </FieldShell>
  );
}

/** A JSON field whose strings may hold {{ }}: edited as text (committed when it parses),
 * completed like any expression, each string checked and the whole value previewed. */
export function JsonExpressionField({ field, prefix, value, errors, onChange }: WidgetProps) {
  const toJson = (v: unknown) => (v === undefined ? "" : JSON.stringify(v, null, 2));
  const [text, setText] = useState(toJson(value));
  const [localError, setLocalError] = useState("");
  useEffect(() => {
    setText((current) => {
      const parsed = parseJsonField(current, field);
      return !parsed.error && JSON.stringify(parsed.value) === JSON.stringify(value ?? null) ? current : toJson(value);
    });
  }, [value, field]);
  const canvasId = useCanvasDoc((s) => s.canvasId);
  const runId = useLastRun((s) => s.runId);
  const loadLastRun = useLastRun((s) => s.load);
  useEffect(() => {
    void loadLastRun(canvasId);
  }, [canvasId, loadLastRun]);
  const parsed = parseJsonField(text, field);
  const { preview, failure } = usePreview(
    JSON.stringify([text, runId]),
    parsed.error || parsed.value === undefined ? null : { value: parsed.value, run: runId },
  );
  const change = useCallback(
    (next: string) => {
      setText(next);
      const result = parseJsonField(next, field);
      setLocalError(result.error ?? "");
      if (!result.error) onChange(result.value);
    },
    [field, onChange],
  );
  const syntaxError = preview && !preview.valid ? preview.error : null;
  const id = fieldId(prefix, field);
  return (
    <FieldShell field={field} prefix={prefix} errors={errors} localError={localError || syntaxError || undefined}>
      <Suspense fallback={<textarea id={id} data-testid={id} className="json-input" value={text} rows={4} onChange={(e) => change(e.target.value)} />}>
        <ExpressionEditor id={id} value={text} mode="template" invalid={Boolean(localError || syntaxError || errors?.length)} readOnly={field.readOnly} names={() => currentNames()} onChange={change} />
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
