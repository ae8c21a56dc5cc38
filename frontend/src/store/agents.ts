// The agent registry, as far as the user can see it (for sub-agent nodes).

import { create } from "zustand";

import { createAgent, listAgents, type Agent, type NewAgent } from "../api/agents";
import { describeError } from "../api/client";
import type { LoadStatus } from "./canvasList";

interface AgentsState {
  status: LoadStatus;
  agents: Agent[];
  bySlug: Record<string, Agent>;
  error: string;
  load: () => Promise<void>;
  /** POST /api/agents/ and add the new agent to the list; throws the ApiError on failure. */
  create: (agent: NewAgent) => Promise<Agent>;
}

function indexed(agents: Agent[]) {
  const sorted = [...agents].sort((a, b) => a.name.localeCompare(b.name));
  return { agents: sorted, bySlug: Object.fromEntries(sorted.map((a) => [a.slug, a])) };
}

export const useAgents = create<AgentsState>()((set, get) => ({
  status: "idle",
  agents: [],
  bySlug: {},
  error: "",
  load: async () => {
    if (get().status === "loading") return;
    set({ status: "loading", error: "" });
    try {
      set({ status: "ready", ...indexed(await listAgents()) });
    } catch (error) {
      set({ status: "error", error: describeError(error, "load agents") });
    }
  },
  create: async (agent) => {
    const created = await createAgent(agent);
    set((state) => indexed([...state.agents.filter((a) => a.slug !== created.slug), created]));
    return created;
  },
}));
