// The inbox's REST calls (/api/approvals/…). Types mirror coordinator/api/serializers.py.

import { apiGet, apiPost } from "../api/client";

export type ItemKind = "approval" | "input" | "plan_review" | "escalation";
export type Action = "approve" | "reject" | "edit" | "respond";

export interface InboxItem {
  id: string;
  run: string;
  canvas: string;
  canvas_name: string;
  run_query: string;
  run_status: string;
  asked_by: string | null;
  step: string;
  step_name: string;
  kind: ItemKind;
  prompt: string;
  form: Record<string, unknown> | null;
  assignee: string | null;
  group: string | null;
  required_approvals: number;
  approvals: string[];
  claimed_by: string | null;
  claimed_until: string | null;
  status: string;
  default_action: string;
  due_at: string | null;
  overdue: boolean;
  actions: Action[];
  decided_by: string | null;
  response: Record<string, unknown> | null;
  edits: Record<string, unknown> | null;
  comment: string;
  created: string;
  decided_at: string | null;
}

export interface StepOutput {
  step: string;
  name: string;
  agent: string;
  status: string;
  text: string;
  output: Record<string, unknown> | null;
  reviewed: boolean;
}

export interface PlanStage {
  id: string;
  agent: string;
  query: string;
  depends_on: string[];
  success_criteria: string[];
  condition?: string | null;
}

export interface Plan {
  pattern: string;
  stages: PlanStage[];
  reasons: string[];
}

export interface DiffEntry {
  field: string;
  before: unknown;
  after: unknown;
  unified?: string;
}

export interface HistoryEntry {
  action: string;
  by: string | null;
  comment: string;
  data: { diff?: DiffEntry[]; from?: string | null; to?: string | null; until?: string; vote?: boolean };
  at: string;
}

export interface ItemDetail extends InboxItem {
  outputs: StepOutput[];
  plan: Plan | null;
  plan_agents: string[];
  escalated_step: { id: string; type: string; agent: string | null; query: string | null; error: string } | null;
  history: HistoryEntry[];
}

export interface Filters {
  status: "pending" | "decided" | "all";
  kind: "" | ItemKind;
  canvas: string;
  assigned: "all" | "me" | "groups";
  q: string;
}

export const DEFAULT_FILTERS: Filters = { status: "pending", kind: "", canvas: "", assigned: "all", q: "" };

export function listPath(filters: Filters): string {
  const params = new URLSearchParams({ status: filters.status, assigned: filters.assigned, limit: "200" });
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.canvas) params.set("canvas", filters.canvas);
  if (filters.q.trim()) params.set("q", filters.q.trim());
  return `/api/approvals/?${params.toString()}`;
}

export async function listItems(filters: Filters, signal?: AbortSignal): Promise<InboxItem[]> {
  const page = await apiGet<{ results: InboxItem[] }>(listPath(filters), signal);
  return page.results;
}

export const getItem = (id: string, signal?: AbortSignal) =>
  apiGet<ItemDetail>(`/api/approvals/${encodeURIComponent(id)}/`, signal);

export const pendingCount = (signal?: AbortSignal) =>
  apiGet<{ pending: number }>("/api/approvals/count/", signal).then((body) => body.pending);

const itemUrl = (id: string, verb: string) => `/api/approvals/${encodeURIComponent(id)}/${verb}/`;

export const claimItem = (id: string) => apiPost<ItemDetail>(itemUrl(id, "claim"));
export const releaseItem = (id: string) => apiPost<ItemDetail>(itemUrl(id, "release"));
export const reassignItem = (id: string, to: string, comment = "") =>
  apiPost<ItemDetail>(itemUrl(id, "reassign"), { to, comment });

export interface Decision {
  action: Action;
  comment?: string;
  response?: Record<string, unknown>;
  edits?: unknown;
}

export const decideItem = (id: string, decision: Decision) => apiPost<ItemDetail>(itemUrl(id, "decide"), decision);

/** What an action is called for this kind (escalations: retry / edit the plan / abort). */
export function actionLabel(kind: ItemKind, action: Action): string {
  if (kind === "escalation") {
    return { approve: "Retry", edit: "Edit & retry", reject: "Abort", respond: "Retry with instruction" }[action];
  }
  if (kind === "input") return { respond: "Submit", reject: "Reject", approve: "Approve", edit: "Edit" }[action];
  return { approve: "Approve", reject: "Reject", edit: "Approve with edits", respond: "Respond" }[action];
}

export const KIND_LABELS: Record<ItemKind, string> = {
  approval: "approval",
  input: "input",
  plan_review: "plan review",
  escalation: "escalation",
};
