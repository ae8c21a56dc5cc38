import type { StoredGraph } from "../lib/graphTypes";
import { apiDelete, apiDownload, apiGet, apiPost, apiRequest, type FieldError } from "./client";

export interface CanvasSummary {
  id: string;
  name: string;
  slug?: string;
  description?: string;
  owner?: string;
  latest_version?: number;
  created?: string;
  updated?: string;
}

export interface CanvasDetail extends CanvasSummary {
  version: number | null;
  graph: StoredGraph;
}

export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface Problem extends FieldError {
  severity: "error" | "warning";
}

export interface ValidationResult {
  valid: boolean;
  problems: Problem[];
}

export interface VersionSummary {
  number: number;
  author: string | null;
  message: string;
  created: string;
}

export interface VersionDetail extends VersionSummary {
  graph: StoredGraph;
}

export interface VersionSaved extends VersionSummary {
  problems: Problem[];
}

function isPaginated<T>(value: unknown): value is Paginated<T> {
  return value !== null && typeof value === "object" && Array.isArray((value as Paginated<T>).results);
}

function resultsOf<T>(body: Paginated<T> | T[]): T[] {
  if (Array.isArray(body)) return body;
  return isPaginated<T>(body) ? body.results : [];
}

const base = (id: string) => `/api/canvases/${encodeURIComponent(id)}/`;

/** The canvases the user can see, optionally filtered by a search term. */
export async function listCanvases(search = "", signal?: AbortSignal): Promise<CanvasSummary[]> {
  const query = search.trim() ? `?search=${encodeURIComponent(search.trim())}` : "";
  const body = await apiGet<Paginated<CanvasSummary> | CanvasSummary[]>(`/api/canvases/${query}`, signal);
  return resultsOf(body);
}

export function getCanvas(id: string, signal?: AbortSignal): Promise<CanvasDetail> {
  return apiGet<CanvasDetail>(base(id), signal);
}

export function createCanvas(body: { name: string; graph?: StoredGraph; description?: string }): Promise<CanvasDetail> {
  return apiPost<CanvasDetail>("/api/canvases/", body);
}

export function deleteCanvas(id: string): Promise<void> {
  return apiDelete(base(id));
}

/** Import a plan YAML / workflow.yaml as a new canvas (multipart upload). */
export function importCanvas(file: File, name = ""): Promise<CanvasDetail> {
  const form = new FormData();
  form.append("file", file);
  if (name.trim()) form.append("name", name.trim());
  return apiRequest<CanvasDetail>("POST", "/api/canvases/import/", { body: form });
}

/** Import a plan YAML onto this canvas as its next version. */
export function importOntoCanvas(id: string, file: File): Promise<VersionSaved> {
  const form = new FormData();
  form.append("file", file);
  return apiRequest<VersionSaved>("POST", `${base(id)}import/`, { body: form });
}

export function validateGraph(id: string, graph: StoredGraph, signal?: AbortSignal): Promise<ValidationResult> {
  return apiPost<ValidationResult>(`${base(id)}validate/`, { graph }, signal);
}

export function saveVersion(id: string, graph: StoredGraph, message: string): Promise<VersionSaved> {
  return apiPost<VersionSaved>(`${base(id)}versions/`, { graph, message });
}

export async function listVersions(id: string, signal?: AbortSignal): Promise<VersionSummary[]> {
  return resultsOf(await apiGet<Paginated<VersionSummary> | VersionSummary[]>(`${base(id)}versions/`, signal));
}

export function getVersion(id: string, number: number, signal?: AbortSignal): Promise<VersionDetail> {
  return apiGet<VersionDetail>(`${base(id)}versions/${number}/`, signal);
}

export function restoreVersion(id: string, number: number): Promise<VersionSaved> {
  return apiPost<VersionSaved>(`${base(id)}versions/${number}/restore/`);
}

/** A graph (the editor's current state, saved or not) as plan YAML with its `ui:` section;
 * a draft with problems is exported too, the problems written as comments at the top. */
export function exportCanvasYaml(id: string, graph: StoredGraph): Promise<{ blob: Blob; filename: string }> {
  return apiDownload(`${base(id)}export/`, undefined, { graph });
}
