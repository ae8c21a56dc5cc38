import type { JsonObject } from "../lib/graphTypes";
import { apiGet, apiPost } from "./client";
import type { Paginated } from "./canvases";

export type AgentKind = "llm" | "http" | "python" | "canvas";

export interface Agent {
  slug: string;
  name: string;
  description: string;
  capabilities: string[];
  kind: AgentKind;
  kind_config: JsonObject;
  priority?: number;
  enabled?: boolean;
  owner?: string | null;
}

export interface NewAgent {
  slug: string;
  name: string;
  description: string;
  kind: AgentKind;
  kind_config: JsonObject;
  capabilities: string[];
}

/** Every agent the user can see (follows the API's pagination). */
export async function listAgents(signal?: AbortSignal): Promise<Agent[]> {
  const agents: Agent[] = [];
  let url: string | null = "/api/agents/?limit=200";
  while (url) {
    const body: Paginated<Agent> | Agent[] = await apiGet<Paginated<Agent> | Agent[]>(url, signal);
    if (Array.isArray(body)) return body;
    agents.push(...body.results);
    const next: URL | null = body.next ? new URL(body.next, window.location.origin) : null;
    url = next ? next.pathname + next.search : null;
  }
  return agents;
}

export function createAgent(agent: NewAgent): Promise<Agent> {
  return apiPost<Agent>("/api/agents/", agent);
}
