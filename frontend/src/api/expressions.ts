// Expressions you can see (POST /api/expressions/preview/, GET /api/runs/<id>/context/) and
// testing one step (POST /api/canvases/<id>/test-step/).

import type { StoredGraph } from "../lib/graphTypes";
import { apiGet, apiPost } from "./client";
import type { RunSummary } from "./runs";

export type ExpressionMode = "template" | "condition";

export interface ExpressionPreview {
  valid: boolean;
  /** The syntax or evaluation error, in the words a run would fail with. */
  error: string | null;
  evaluated: boolean;
  value?: unknown;
  text?: string;
  truncated?: boolean;
  truthy?: boolean;
}

/** Text in a mode, or a JSON value whose strings may hold templates. */
export type PreviewBody = ({ expression: string; mode: ExpressionMode; step?: string } | { value: unknown }) & {
  run?: string | null;
};

export function previewExpression(body: PreviewBody, signal?: AbortSignal): Promise<ExpressionPreview> {
  return apiPost<ExpressionPreview>("/api/expressions/preview/", body, signal);
}

/** What a run's expressions see. */
export interface ExpressionContext {
  input: Record<string, unknown>;
  query: string;
  steps: Record<string, { output: unknown; status: string; error: string }>;
  run: { id: string; query: string; trigger: string };
}

export function getRunContext(runId: string, signal?: AbortSignal): Promise<{ run: string; context: ExpressionContext }> {
  return apiGet(`/api/runs/${encodeURIComponent(runId)}/context/`, signal);
}

/** The canvas's latest run (step tests are not listed), or null. */
export async function latestRunId(canvasId: string, signal?: AbortSignal): Promise<string | null> {
  const body = await apiGet<{ results: RunSummary[] }>(`/api/runs/?canvas=${encodeURIComponent(canvasId)}&limit=1`, signal);
  return body.results[0]?.id ?? null;
}

/** What the tested step sees. */
export interface StepSample {
  query: string;
  input: Record<string, unknown>;
  steps: Record<string, unknown>;
}

export function startStepTest(
  canvasId: string,
  body: { node: string; sample: unknown; graph: StoredGraph },
): Promise<RunSummary> {
  return apiPost<RunSummary>(`/api/canvases/${encodeURIComponent(canvasId)}/test-step/`, body);
}
