// Runs over REST (docs/architecture.md): start, read, list, control. Session auth; writes carry CSRF.

import { apiGet, apiRequest } from "./client";
import type { RunEventType, RunLifecycleEventType } from "./eventTypes";

export type { RunEventType } from "./eventTypes";

export type RunStatus =
  | "queued"
  | "running"
  | "waiting"
  | "paused"
  | "succeeded"
  | "failed"
  | "cancelled"
  | "timed_out";

export const RUN_STATUSES: RunStatus[] = [
  "queued",
  "running",
  "waiting",
  "paused",
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
];

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
]);

export function isTerminal(status: string | null | undefined): boolean {
  return !!status && TERMINAL_STATUSES.has(status);
}

/** The run's status after each run.* event: the one map the run views share. */
export const RUN_STATUS_BY_EVENT: Readonly<Record<RunLifecycleEventType, RunStatus>> = {
  "run.queued": "queued",
  "run.started": "running",
  "run.paused": "paused",
  "run.resumed": "running",
  "run.succeeded": "succeeded",
  "run.failed": "failed",
  "run.cancelled": "cancelled",
  "run.timed_out": "timed_out",
};

export function isRunLifecycleEvent(type: RunEventType): type is RunLifecycleEventType {
  return Object.hasOwn(RUN_STATUS_BY_EVENT, type);
}

export type StepRunStatus =
  | "pending"
  | "running"
  | "waiting"
  | "succeeded"
  | "failed"
  | "skipped"
  | "cancelled";

export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  cost_usd?: number;
}

export interface RunResult {
  answer?: string;
  output?: unknown;
  step?: string | null;
  failed_agents?: string[];
  partial?: boolean;
}

/** GET /api/runs/ rows and the 202 body of POST /api/canvases/<id>/runs/. */
export interface RunSummary {
  id: string;
  canvas: string;
  version: number | null;
  conversation: string | null;
  created_by: string | null;
  query: string;
  input: Record<string, unknown>;
  status: RunStatus;
  current_step: string;
  complexity: Record<string, unknown> | null;
  selection: Record<string, unknown> | null;
  result: RunResult | null;
  error: string;
  usage: Usage;
  trigger: string;
  revisions: number;
  interventions: { text: string; by: string | null; at: string }[];
  created: string;
  started_at: string | null;
  finished_at: string | null;
  deadline: string | null;
  event_seq: number;
  depth: number;
  canvas_name?: string;
  /** The failed run this one retries from its failed step. */
  retried_from?: string | null;
  /** Runs that retry this one, newest first. */
  retries?: string[];
}

export interface StepRun {
  id: number;
  step_id: string;
  type: string;
  parent: string;
  agent: string;
  attempt: number;
  iteration: number;
  superseded: boolean;
  status: StepRunStatus;
  depends_on: string[];
  input: unknown;
  output: unknown;
  error: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
}

export interface PhaseRecord {
  duration_ms?: number;
  decision?: unknown;
}

export interface RunDetail extends RunSummary {
  plan: { steps?: { id: string; type: string; name?: string }[]; result?: string } | null;
  phases: Record<string, Record<string, PhaseRecord>>;
  steps: StepRun[];
}

/** One persisted event (docs/architecture.md), as the sockets and /events/ deliver it. */
export interface RunEvent {
  seq: number;
  run: string;
  type: RunEventType;
  phase: string | null;
  step: string | null;
  agent: string | null;
  at: string;
  data: Record<string, unknown>;
}

export interface EventsPage {
  run: string;
  status: RunStatus;
  last_seq: number;
  more: boolean;
  events: RunEvent[];
}

export interface StartRunBody {
  query: string;
  conversation?: string | null;
  input?: Record<string, unknown>;
  version?: number;
}

interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

const runPath = (runId: string) => `/api/runs/${encodeURIComponent(runId)}/`;

export function startRun(canvasId: string, body: StartRunBody): Promise<RunSummary> {
  const payload: StartRunBody = { query: body.query, input: body.input ?? {} };
  if (body.conversation) payload.conversation = body.conversation;
  if (body.version) payload.version = body.version;
  return apiRequest<RunSummary>("POST", `/api/canvases/${encodeURIComponent(canvasId)}/runs/`, {
    body: payload,
  });
}

export function getRun(runId: string, signal?: AbortSignal): Promise<RunDetail> {
  return apiGet<RunDetail>(runPath(runId), signal);
}

export async function listRuns(
  filters: { canvas?: string; conversation?: string; status?: string[]; limit?: number },
  signal?: AbortSignal,
): Promise<{ count: number; results: RunSummary[] }> {
  const params = new URLSearchParams();
  if (filters.canvas) params.set("canvas", filters.canvas);
  if (filters.conversation) params.set("conversation", filters.conversation);
  if (filters.status && filters.status.length) params.set("status", filters.status.join(","));
  params.set("limit", String(filters.limit ?? 25));
  const body = await apiGet<Paginated<RunSummary> | RunSummary[]>(`/api/runs/?${params}`, signal);
  if (Array.isArray(body)) return { count: body.length, results: body };
  return { count: body.count, results: body.results };
}

/** The runs page's filters (GET /api/runs/): every run the user may see. */
export interface RunFilters {
  status?: string;
  canvas?: string;
  source?: string;
  createdAfter?: string;
  createdBefore?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

export function runFilterParams(filters: RunFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.canvas) params.set("canvas", filters.canvas);
  if (filters.source) params.set("source", filters.source);
  // step tests are left out of run lists unless asked for; asking for their source asks
  if (filters.source?.split(",").includes("test_step")) params.set("include_tests", "true");
  if (filters.createdAfter) params.set("created_after", filters.createdAfter);
  if (filters.createdBefore) params.set("created_before", filters.createdBefore);
  if (filters.q?.trim()) params.set("q", filters.q.trim());
  params.set("limit", String(filters.limit ?? 50));
  if (filters.offset) params.set("offset", String(filters.offset));
  return params;
}

export async function searchRuns(filters: RunFilters, signal?: AbortSignal): Promise<{ count: number; results: RunSummary[] }> {
  const body = await apiGet<Paginated<RunSummary>>(`/api/runs/?${runFilterParams(filters)}`, signal);
  return { count: body.count, results: body.results };
}

/** Re-run a failed run from the step that failed (a new run, linked to this one). */
export function retryRun(runId: string): Promise<RunSummary> {
  return apiRequest<RunSummary>("POST", `${runPath(runId)}retry/`);
}

export function getEvents(runId: string, after: number, signal?: AbortSignal): Promise<EventsPage> {
  return apiGet<EventsPage>(`${runPath(runId)}events/?after=${after}`, signal);
}

export type RunControl = "cancel" | "pause" | "resume";

export function controlRun(runId: string, action: RunControl): Promise<RunSummary> {
  return apiRequest<RunSummary>("POST", `${runPath(runId)}${action}/`);
}

export function intervene(runId: string, text: string): Promise<RunSummary> {
  return apiRequest<RunSummary>("POST", `${runPath(runId)}intervene/`, { body: { text } });
}

export function resultDownloadUrl(runId: string, format: "markdown" | "json"): string {
  return `${runPath(runId)}result/?format=${format}`;
}

export function runPageUrl(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}/`;
}

/** The saved graph of a canvas version (for mapping steps onto canvas nodes). */
export interface SavedGraph {
  nodes: { id: string; type?: string; data?: { label?: string; config?: Record<string, unknown> } }[];
  edges: { id?: string; source: string; target: string; sourceHandle?: string | null }[];
}

export async function getVersionGraph(
  canvasId: string,
  version: number,
  signal?: AbortSignal,
): Promise<SavedGraph> {
  const body = await apiGet<{ graph?: SavedGraph }>(
    `/api/canvases/${encodeURIComponent(canvasId)}/versions/${version}/`,
    signal,
  );
  return body.graph ?? { nodes: [], edges: [] };
}
