import { ApiError } from "../../api/client";

function fieldMessages(body: unknown): string[] {
  if (!body || typeof body !== "object") return [];
  const out: string[] = [];
  const record = body as Record<string, unknown>;
  const errors = record.errors;
  if (Array.isArray(errors)) {
    for (const item of errors) {
      if (item && typeof item === "object" && typeof (item as { message?: unknown }).message === "string") {
        const { node, field, message } = item as { node?: string; field?: string; message: string };
        out.push([node, field].filter(Boolean).join(" · ") + (node || field ? ": " : "") + message);
      }
    }
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === "detail" || key === "errors") continue;
    const list = Array.isArray(value) ? value : [value];
    for (const v of list) if (typeof v === "string") out.push(`${key}: ${v}`);
  }
  return out;
}

/** A sentence for an API failure (409s carry the server's own {detail}, shown as it is). */
export function describe(error: unknown, doing: string): string {
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) return `Could not ${doing}: your session has ended; sign in again.`;
    if (error.status === 409) return error.message;
    const details = fieldMessages(error.body);
    const head = error.message && !/^\d{3}\b/.test(error.message) ? error.message : details.length ? "" : error.message;
    return `Could not ${doing}: ${[head, ...details].filter(Boolean).join(" ")}`;
  }
  return `Could not ${doing}: ${error instanceof Error ? error.message : String(error)}`;
}
