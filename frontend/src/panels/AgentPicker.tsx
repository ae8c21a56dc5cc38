// A sub-agent node's agent: pick one from the registry (its description is the routing
// signal, so it is shown), or register a new one right here and pick it.

import { useEffect, useState } from "react";

import { FieldErrors } from "./form/FieldShell";
import { NewAgentForm } from "./NewAgentForm";
import { useAgents } from "../store/agents";

export function AgentPicker({
  value,
  errors,
  onPick,
}: {
  value: string | null;
  errors?: readonly string[];
  onPick: (slug: string | null, name?: string) => void;
}) {
  const { agents, bySlug, status, error, load } = useAgents();
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    if (status === "idle") void load();
  }, [status, load]);

  const chosen = value ? bySlug[value] : undefined;
  return (
    <div className={`field agent-picker${errors?.length ? " has-error" : ""}`} data-field="data.config.agent">
      <label className="field__label" htmlFor="field-data.config.agent">
        Agent
      </label>
      <div className="agent-picker__row">
        <select
          id="field-data.config.agent"
          data-testid="agent-select"
          value={value ?? ""}
          onChange={(event) => {
            const slug = event.target.value || null;
            onPick(slug, slug ? bySlug[slug]?.name : undefined);
          }}
        >
          <option value="">— choose an agent —</option>
          {value && !chosen ? <option value={value}>{value} (not in the registry)</option> : null}
          {agents.map((agent) => (
            <option key={agent.slug} value={agent.slug} disabled={agent.enabled === false}>
              {agent.name} ({agent.slug})
            </option>
          ))}
        </select>
        <button type="button" className="button button--small" data-testid="new-agent" onClick={() => setCreating((open) => !open)}>
          {creating ? "Cancel" : "New…"}
        </button>
      </div>
      {status === "loading" ? <p className="muted">Loading agents…</p> : null}
      {status === "error" ? <p className="error">{error}</p> : null}
      {chosen ? (
        <div className="agent-card" data-testid="agent-description">
          <p>{chosen.description}</p>
          <p className="muted">
            {chosen.kind}
            {chosen.capabilities.length ? ` · ${chosen.capabilities.join(", ")}` : ""}
          </p>
        </div>
      ) : null}
      <FieldErrors messages={errors} />
      {creating ? (
        <NewAgentForm
          onCreated={(agent) => {
            setCreating(false);
            onPick(agent.slug, agent.name);
          }}
        />
      ) : null}
    </div>
  );
}
