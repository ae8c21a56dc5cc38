// The templates gallery: the demo canvases and the reference examples as starting points.

import type { CanvasSummary } from "./canvases";
import { apiGet, apiPost } from "./client";

export interface Template {
  slug: string;
  name: string;
  description: string;
  source: string;
  steps: number;
  agents: string[];
  missing_agents: string[];
}

export const listTemplates = (signal?: AbortSignal) => apiGet<Template[]>("/api/templates/", signal);

export const useTemplate = (slug: string, name?: string) =>
  apiPost<CanvasSummary & { missing_agents: string[] }>(`/api/templates/${encodeURIComponent(slug)}/use/`, name ? { name } : {});
