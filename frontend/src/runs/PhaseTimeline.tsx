// The coordinator's phases as they happen: complexity, selection, planning, execution,
// (reflection), synthesis — each with its duration and the decision it recorded.

import { memo } from "react";

import { formatDuration, formatScore } from "./lib/format";
import { phaseSummary } from "./lib/phaseSummary";
import { PHASES, orderedPhases, type CoordinatorView, type PhaseView } from "./lib/runView";
import { StatusBadge } from "./StatusBadge";

type Dict = Record<string, unknown>;

const asDict = (value: unknown): Dict => (value && typeof value === "object" && !Array.isArray(value) ? (value as Dict) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asText = (value: unknown): string => (typeof value === "string" ? value : value == null ? "" : String(value));

const TITLES: Record<string, string> = {
  complexity: "Complexity",
  selection: "Selection",
  planning: "Planning",
  execution: "Execution",
  reflection: "Reflection",
  synthesis: "Synthesis",
};

function Reasons({ reasons }: { reasons: unknown }) {
  const list = asList(reasons).map(asText).filter(Boolean);
  if (!list.length) return null;
  return (
    <ul className="phase__reasons">
      {list.map((reason, i) => (
        <li key={i}>{reason}</li>
      ))}
    </ul>
  );
}

function ComplexityDecision({ decision }: { decision: Dict }) {
  const candidates = asList(decision.candidates).map(asDict);
  return (
    <>
      <p>
        Level <strong className="phase__level">{asText(decision.level) || "?"}</strong>
      </p>
      {candidates.length > 0 && (
        <table className="phase__table">
          <caption>Candidates</caption>
          <thead>
            <tr>
              <th>Agent</th>
              <th>Score</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {candidates.map((c, i) => (
              <tr key={i}>
                <td>{asText(c.slug)}</td>
                <td className="num">{formatScore(c.score)}</td>
                <td>{asText(c.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Reasons reasons={decision.reasons} />
    </>
  );
}

function SelectionDecision({ decision }: { decision: Dict }) {
  const scores = asDict(decision.scores);
  const agents = asList(decision.agents).map(asText);
  return (
    <>
      <p>
        Chosen:{" "}
        {agents.length
          ? agents.map((agent, i) => (
              <span key={agent} className="phase__agent">
                {i > 0 ? ", " : ""}
                <strong>{agent}</strong> ({formatScore(scores[agent])})
              </span>
            ))
          : "none"}
      </p>
      <Reasons reasons={decision.reasons} />
    </>
  );
}

function PlanningDecision({ decision }: { decision: Dict }) {
  const stages = asList(decision.stages).map(asDict);
  return (
    <>
      <p>
        Pattern <strong>{asText(decision.pattern) || "?"}</strong>, {stages.length} stage{stages.length === 1 ? "" : "s"}
      </p>
      <ol className="phase__stages">
        {stages.map((stage, i) => {
          const deps = asList(stage.depends_on).map(asText);
          const criteria = asList(stage.success_criteria).map(asText);
          return (
            <li key={i}>
              <strong>{asText(stage.agent)}</strong> <span className="muted">({asText(stage.id)})</span>
              {deps.length > 0 && <span className="muted"> after {deps.join(", ")}</span>}
              <div className="phase__query">“{asText(stage.query)}”</div>
              {criteria.length > 0 && <div className="muted">Success: {criteria.join("; ")}</div>}
            </li>
          );
        })}
      </ol>
    </>
  );
}

function CountsDecision({ decision }: { decision: Dict }) {
  return (
    <p>
      {["succeeded", "failed", "skipped"].map((key) => `${asText(decision[key] ?? 0)} ${key}`).join(" · ")}
    </p>
  );
}

function ReflectionDecision({ decision }: { decision: Dict }) {
  const unmet = asList(decision.unmet).map(asText);
  const retry = asList(decision.retry_agents).map(asText);
  return (
    <>
      <p>{decision.satisfied ? "Success criteria met." : "Success criteria not met."}</p>
      {unmet.length > 0 && <p>Unmet: {unmet.join("; ")}</p>}
      {retry.length > 0 && <p>Re-routing: {retry.join(", ")}</p>}
      <Reasons reasons={decision.reasons} />
    </>
  );
}

function SynthesisDecision({ decision }: { decision: Dict }) {
  const insights = asList(decision.insights).map(asText);
  const failed = asList(decision.failed_agents).map(asText);
  const rows = asList(decision.rows);
  return (
    <>
      {insights.length > 0 && <p>{insights.length} key insight{insights.length === 1 ? "" : "s"}, {rows.length} row{rows.length === 1 ? "" : "s"}</p>}
      {failed.length > 0 && <p className="error">Failed agents: {failed.join(", ")}</p>}
      <Reasons reasons={decision.reasons} />
    </>
  );
}

function Decision({ phase }: { phase: PhaseView }) {
  if (phase.error) return <p className="error">{phase.error}</p>;
  const decision = asDict(phase.decision);
  switch (phase.name) {
    case "complexity":
      return <ComplexityDecision decision={decision} />;
    case "selection":
      return <SelectionDecision decision={decision} />;
    case "planning":
      return <PlanningDecision decision={decision} />;
    case "execution":
      if (phase.state === "running") {
        const stages = asList(phase.startData.stages).map(asText);
        return <p className="muted">Running {stages.length} stage(s), {asText(phase.startData.pattern)}…</p>;
      }
      return <CountsDecision decision={decision} />;
    case "reflection":
      return <ReflectionDecision decision={decision} />;
    case "synthesis":
      return <SynthesisDecision decision={decision} />;
    default:
      return null;
  }
}

const PhaseEntry = memo(function PhaseEntry({ phase, expanded }: { phase: PhaseView; expanded: boolean }) {
  const state = phase.state === "completed" ? "succeeded" : phase.state;
  return (
    <li className={`phase phase--${phase.state}`} data-phase={phase.name} data-state={phase.state}>
      <details open={expanded || phase.state === "failed" || phase.name === "planning"}>
        <summary>
          <span className="phase__name">{TITLES[phase.name] ?? phase.name}</span>
          {phase.state !== "completed" && <StatusBadge status={state} label={phase.state} />}
          <span className="phase__summary-text" title={phaseSummary(phase)}>{phaseSummary(phase)}</span>
          <span className="phase__duration" data-testid="phase-duration">
            {phase.durationMs !== null ? formatDuration(phase.durationMs) : "…"}
          </span>
        </summary>
        <div className="phase__body">
          <Decision phase={phase} />
        </div>
      </details>
    </li>
  );
});

function PendingPhase({ name }: { name: string }) {
  return (
    <li className="phase phase--pending" data-phase={name} data-state="pending">
      <div className="phase__summary">
        <span className="phase__name">{TITLES[name] ?? name}</span>
        <span className="muted">pending</span>
      </div>
    </li>
  );
}

export const PhaseTimeline = memo(function PhaseTimeline({
  coordinator,
  ended,
  expanded = false,
}: {
  coordinator: CoordinatorView;
  /** The run is over: phases that never ran are not "pending" any more. */
  ended: boolean;
  /** Every decision open (the run page); otherwise planning and failures only. */
  expanded?: boolean;
}) {
  const phases = orderedPhases(coordinator);
  const seen = new Set(phases.map((p) => p.name));
  const pending = ended ? [] : PHASES.filter((name) => name !== "reflection" && !seen.has(name));
  return (
    <section className="phase-timeline" aria-label={`Phases of ${coordinator.step}`} data-coordinator={coordinator.step}>
      <h4>
        Phases <span className="phase-timeline__step">{coordinator.step}</span>
      </h4>
      <ol>
        {phases.map((phase) => (
          <PhaseEntry key={phase.name} phase={phase} expanded={expanded} />
        ))}
        {pending.map((name) => (
          <PendingPhase key={name} name={name} />
        ))}
      </ol>
    </section>
  );
});
