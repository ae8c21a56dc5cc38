import { useShallow } from "zustand/react/shallow";

import { isDelegationEdge } from "../lib/connections";
import { useGraph } from "../store/graph";
import { FieldErrors } from "./form/FieldShell";

/** Slugs of the sub-agents connected to a coordinator's agents handle (what compiles into sub_agents). */
function useDelegatedAgents(id: string): string[] {
  return useGraph(
    useShallow((s) => {
      const targets = s.edges.filter((e) => e.source === id && isDelegationEdge(e)).map((e) => e.target);
      return targets.map((target) => {
        const config = s.nodes.find((n) => n.id === target)?.data.config;
        return typeof config?.agent === "string" ? config.agent : `${target} (no agent)`;
      });
    }),
  );
}

/** A coordinator's read-only sub_agents: what its delegation edges connect, not the stored list. */
export function SubAgentsField({ id, errors }: { id: string; errors?: string[] }) {
  const agents = useDelegatedAgents(id);
  return (
    <div className={`field${errors?.length ? " has-error" : ""}`} data-field="data.config.sub_agents">
      <span className="field__label">
        Sub-agents <span className="field__tag">from the canvas</span>
      </span>
      <div className="chips" data-testid="field-data.config.sub_agents">
        {agents.length ? agents.map((slug, i) => <span key={`${slug}-${i}`} className="chip">{slug}</span>) : <span className="muted">none connected</span>}
      </div>
      <p className="field__description">Connect sub-agent nodes to the coordinator's bottom handle.</p>
      <FieldErrors messages={errors} />
    </div>
  );
}
