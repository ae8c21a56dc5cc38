// The one place that talks HTTP to Django's REST API (session auth, same origin).

import { csrfToken } from "../lib/csrf";
import { useSession } from "../store/session";

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, message: string, body: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
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

export async function apiRequest<T>(
  method: string,
  path: string,
  options: { body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const init: RequestInit = { method, headers, credentials: "same-origin", signal: options.signal };
  if (method !== "GET" && method !== "HEAD") {
    headers["X-CSRFToken"] = csrfToken(useSession.getState().csrfToken);
  }
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(path, init);
  const body = await readBody(response);
  if (!response.ok) {
    throw new ApiError(response.status, messageFrom(response.status, response.statusText, body), body);
  }
  return body as T;
}

export function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>("GET", path, { signal });
}
