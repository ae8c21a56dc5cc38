import type { JsonObject } from "../lib/graphTypes";
import type { JsonSchema } from "../lib/jsonSchema";
import { apiGet } from "./client";

export type HandleRole = "flow" | "delegation" | "branch_true" | "branch_false" | "branches";

export interface HandleSpec {
  id: string;
  kind: "source" | "target";
  role: HandleRole;
  label: string;
}

/** One palette entry of GET /api/components/. */
export interface ComponentSpec {
  type: string;
  label: string;
  category: string;
  description: string;
  icon: string;
  schema: JsonSchema;
  defaults: JsonObject;
  handles: HandleSpec[];
}

export function listComponents(signal?: AbortSignal): Promise<ComponentSpec[]> {
  return apiGet<ComponentSpec[]>("/api/components/", signal);
}
