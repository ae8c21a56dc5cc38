import { apiGet } from "./client";

export interface CanvasSummary {
  id: string;
  name: string;
  slug?: string;
  description?: string;
  updated?: string;
}

export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

function isPaginated<T>(value: unknown): value is Paginated<T> {
  return value !== null && typeof value === "object" && Array.isArray((value as Paginated<T>).results);
}

/** The canvases the user can see (the API paginates with limit/offset). */
export async function listCanvases(signal?: AbortSignal): Promise<CanvasSummary[]> {
  const body = await apiGet<Paginated<CanvasSummary> | CanvasSummary[]>("/api/canvases/", signal);
  if (Array.isArray(body)) return body;
  if (isPaginated<CanvasSummary>(body)) return body.results;
  return [];
}
