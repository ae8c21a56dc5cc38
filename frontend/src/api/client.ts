// The one place that talks HTTP to Django's REST API (session auth, same origin).
// Every write carries X-CSRFToken (lib/csrf.ts).

import { csrfToken } from "../lib/csrf";
import { useSession } from "../store/session";

/** One located problem, as the API reports it (validation, import, save). */
export interface FieldError {
  field: string;
  message: string;
  node?: string;
  edge?: string;
  severity?: "error" | "warning";
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, message: string, body: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }

  /** The API's `errors` list ({detail, errors: [{field, message, …}]}), when it sent one. */
  get errors(): FieldError[] {
    return errorsOf(this.body);
  }
}

export function errorsOf(body: unknown): FieldError[] {
  if (body === null || typeof body !== "object") return [];
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter(
    (item): item is FieldError =>
      item !== null && typeof item === "object" && typeof (item as FieldError).message === "string",
  );
}

function messageFrom(status: number, statusText: string, body: unknown): string {
  if (body !== null && typeof body === "object") {
    const record = body as Record<string, unknown>;
    for (const key of ["detail", "title", "message"]) {
      const value = record[key];
      if (typeof value === "string" && value) return value;
    }
  }
  return `${status} ${statusText}`.trim();
}

async function readBody(response: Response): Promise<unknown> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export interface RequestOptions {
  /** JSON-encoded unless it is FormData (multipart; the browser sets the boundary). */
  body?: unknown;
  signal?: AbortSignal;
}

function buildInit(method: string, options: RequestOptions): RequestInit {
  const headers: Record<string, string> = { Accept: "application/json" };
  const init: RequestInit = { method, headers, credentials: "same-origin", signal: options.signal };
  if (method !== "GET" && method !== "HEAD") {
    headers["X-CSRFToken"] = csrfToken(useSession.getState().csrfToken);
  }
  if (options.body instanceof FormData) {
    init.body = options.body;
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  return init;
}

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await fetch(path, buildInit(method, options));
  const body = await readBody(response);
  if (!response.ok) {
    throw new ApiError(response.status, messageFrom(response.status, response.statusText, body), body);
  }
  return body as T;
}

/** A download: the raw body and the filename from Content-Disposition. Errors are JSON. */
export async function apiDownload(
  path: string,
  signal?: AbortSignal,
  body?: unknown,
): Promise<{ blob: Blob; filename: string }> {
  // GET, or POST with a JSON body (export of the editor's current graph)
  const init = buildInit(body === undefined ? "GET" : "POST", { signal, body });
  const response = await fetch(path, { ...init, headers: { ...(init.headers as Record<string, string>), Accept: "*/*" } });
  if (!response.ok) {
    const body = await readBody(response);
    throw new ApiError(response.status, messageFrom(response.status, response.statusText, body), body);
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const match = /filename="?([^";]+)"?/.exec(disposition);
  return { blob: await response.blob(), filename: match?.[1] ?? "download" };
}

export function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>("GET", path, { signal });
}

export function apiPost<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>("POST", path, { body, signal });
}

export function apiDelete(path: string): Promise<void> {
  return apiRequest<void>("DELETE", path);
}

/** A human sentence for any error thrown by the functions above. */
export function describeError(error: unknown, doing = ""): string {
  const prefix = doing ? `Could not ${doing}: ` : "";
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) {
      return `${prefix}${error.status === 401 ? "your session has ended; sign in again" : error.message}`;
    }
    return prefix + error.message;
  }
  return prefix + (error instanceof Error ? error.message : String(error));
}
