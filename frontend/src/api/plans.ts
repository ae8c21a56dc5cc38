// Plan generation from a goal: POST /api/plans/generate/.

import { apiPost } from "./client";

export interface GenerateConstraints {
  require_human_approval?: boolean;
  max_steps?: number;
  available_agents?: string[];
  deadline_minutes?: number;
}

export interface GeneratedStep {
  id: string;
  type: string;
  agent: string | null;
  why: string;
  estimated_seconds: number;
  estimate_source: string;
}

export interface GeneratedPlan {
  plan: Record<string, unknown>;
  yaml: string;
  steps: GeneratedStep[];
  estimated_seconds: number;
  warnings: string[];
  model: string;
  canvas?: { id: string; slug: string; name: string };
}

export function generatePlan(body: {
  goal: string;
  constraints?: GenerateConstraints;
  create_canvas?: boolean;
  name?: string;
}): Promise<GeneratedPlan> {
  return apiPost<GeneratedPlan>("/api/plans/generate/", body);
}
