// Triggers of a canvas: /api/triggers/ (schedule, webhook, event) and the schedule preview.

import { apiDelete, apiGet, apiPost, apiRequest } from "./client";
import type { Paginated } from "./canvases";

export type TriggerKind = "schedule" | "webhook" | "event";

export interface Trigger {
  id: string;
  canvas: string;
  name: string;
  kind: TriggerKind;
  paused: boolean;
  owner: string;
  cron: string;
  timezone: string;
  catch_up: boolean;
  next_fire_at: string | null;
  last_fired_at: string | null;
  next_fire_times: string[];
  event: string;
  source_canvas: string | null;
  query: string;
  input: Record<string, unknown>;
  webhook_url: string | null;
  last_error: string;
  /** Only in the creation and rotation responses: the webhook secret, shown once. */
  secret?: string | null;
}

export type TriggerDraft = Partial<Omit<Trigger, "id" | "owner" | "next_fire_times" | "webhook_url">> & {
  canvas: string;
  name: string;
  kind: TriggerKind;
};

export async function listTriggers(canvasId: string, signal?: AbortSignal): Promise<Trigger[]> {
  const body = await apiGet<Paginated<Trigger>>(`/api/triggers/?canvas=${encodeURIComponent(canvasId)}&limit=200`, signal);
  return body.results;
}

export function createTrigger(draft: TriggerDraft): Promise<Trigger> {
  return apiPost<Trigger>("/api/triggers/", draft);
}

export function updateTrigger(id: string, changes: Partial<TriggerDraft>): Promise<Trigger> {
  return apiRequest<Trigger>("PATCH", `/api/triggers/${encodeURIComponent(id)}/`, { body: changes });
}

export function deleteTrigger(id: string): Promise<void> {
  return apiDelete(`/api/triggers/${encodeURIComponent(id)}/`);
}

export function rotateSecret(id: string): Promise<Trigger> {
  return apiPost<Trigger>(`/api/triggers/${encodeURIComponent(id)}/rotate-secret/`);
}

export async function previewSchedule(cron: string, timezone: string, signal?: AbortSignal): Promise<string[]> {
  const body = await apiPost<{ next_fire_times: string[] }>("/api/triggers/preview/", { cron, timezone }, signal);
  return body.next_fire_times;
}
