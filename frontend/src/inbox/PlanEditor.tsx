// A plan review's stages: read-only, or editable (drop a stage, swap its agent, change its
// query and dependencies). The edited plan goes to decide/ as edits.plan.

import type { Plan, PlanStage } from "./api";

interface Props {
  plan: Plan;
  agents: string[];
  editing: boolean;
  onChange: (plan: Plan) => void;
}

export function PlanEditor({ plan, agents, editing, onChange }: Props) {
  const update = (index: number, change: Partial<PlanStage>) =>
    onChange({ ...plan, stages: plan.stages.map((s, i) => (i === index ? { ...s, ...change } : s)) });
  const drop = (index: number) => {
    const gone = plan.stages[index]!.id;
    onChange({
      ...plan,
      stages: plan.stages
        .filter((_, i) => i !== index)
        .map((s) => ({ ...s, depends_on: s.depends_on.filter((d) => d !== gone) })),
    });
  };
  return (
    <div className="inbox-plan" data-testid="plan">
      <p className="muted">
        Pattern <code>{plan.pattern}</code>
        {plan.reasons.length ? ` · ${plan.reasons.join("; ")}` : ""}
      </p>
      <ol className="inbox-plan__stages">
        {plan.stages.map((stage, index) => (
          <li key={stage.id} className="inbox-plan__stage" data-testid={`plan-stage-${stage.id}`}>
            <div className="inbox-plan__head">
              <code>{stage.id}</code>
              {editing ? (
                <select
                  aria-label={`Agent of ${stage.id}`}
                  value={stage.agent}
                  onChange={(event) => update(index, { agent: event.target.value })}
                >
                  {agents.map((agent) => (
                    <option key={agent} value={agent}>
                      {agent}
                    </option>
                  ))}
                </select>
              ) : (
                <span className="chip" data-testid="plan-agent">
                  {stage.agent}
                </span>
              )}
              {stage.depends_on.length ? <span className="muted">after {stage.depends_on.join(", ")}</span> : null}
              {editing && plan.stages.length > 1 ? (
                <button
                  type="button"
                  className="button button--small button--danger"
                  data-testid={`drop-stage-${stage.id}`}
                  onClick={() => drop(index)}
                >
                  Drop
                </button>
              ) : null}
            </div>
            {editing ? (
              <textarea
                aria-label={`Query of ${stage.id}`}
                value={stage.query}
                rows={2}
                onChange={(event) => update(index, { query: event.target.value })}
              />
            ) : (
              <p className="inbox-plan__query">{stage.query}</p>
            )}
            {stage.success_criteria.length ? (
              <p className="muted inbox-plan__criteria">Criteria: {stage.success_criteria.join("; ")}</p>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
