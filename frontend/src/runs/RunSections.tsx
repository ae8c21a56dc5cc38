// The parts of a run's picture shared by the run panel and the run page.

import { memo } from "react";

import { isTerminal, type RunDetail, type Usage } from "../api/runs";
import { RunDecisions } from "../inbox/RunDecisions";
import { formatUsage } from "./lib/format";
import { stagesOf, type RunView } from "./lib/runView";
import { Markdown } from "./Markdown";
import { PhaseTimeline } from "./PhaseTimeline";
import { StepStream } from "./StepStream";

export interface RunOutcome {
  answer: string | null;
  failedAgents: string[];
  usage: Usage | null;
  error: string | null;
}

/** The best outcome known: the full record once loaded, the live events before that. */
export function outcomeOf(view: RunView, record: RunDetail | null): RunOutcome {
  const result = record?.result ?? null;
  const recordUsage = record && Object.keys(record.usage ?? {}).length ? record.usage : null;
  return {
    answer: result?.answer || view.answer || null,
    failedAgents: result?.failed_agents?.length ? result.failed_agents : view.failedAgents,
    usage: recordUsage ?? view.usage,
    error: record?.error || view.error || null,
  };
}

export const AnswerView = memo(function AnswerView({ outcome }: { outcome: RunOutcome }) {
  return (
    <div className="run-answer" data-testid="run-answer">
      {outcome.answer ? <Markdown text={outcome.answer} /> : <p className="muted">No answer.</p>}
      {outcome.failedAgents.length > 0 && (
        <p className="run-answer__failed error" data-testid="failed-agents">
          Failed agents: {outcome.failedAgents.join(", ")}
        </p>
      )}
      {outcome.error && <p className="error">{outcome.error}</p>}
    </div>
  );
});

export const UsageLine = memo(function UsageLine({ usage }: { usage: Usage | null }) {
  if (!usage) return null;
  return (
    <p className="run-usage muted" data-testid="run-usage">
      {formatUsage(usage)}
    </p>
  );
});

function HumanWaits({ view }: { view: RunView }) {
  const waits = Object.values(view.humans);
  if (!waits.length) return null;
  return (
    <section className="run-humans" aria-label="Waiting for people">
      {waits.map((wait) => (
        <p key={wait.step} className="run-humans__item">
          Waiting for {wait.kind.replace("_", " ")} at <code>{wait.step}</code>
          {wait.assignee || wait.group ? ` from ${wait.assignee ?? `group ${wait.group}`}` : ""}: {wait.prompt}{" "}
          <a href={`/inbox/?item=${encodeURIComponent(wait.approval)}`}>Open the inbox</a>
        </p>
      ))}
    </section>
  );
}

function Interventions({ view }: { view: RunView }) {
  if (!view.interventions.length && !view.revisions.length) return null;
  return (
    <section className="run-notes" aria-label="Interventions">
      <ul>
        {view.interventions.map((item, i) => (
          <li key={`i${i}`}>
            Intervention{item.by ? ` by ${item.by}` : ""}: “{item.text}”
          </li>
        ))}
        {view.revisions.map((change, i) => (
          <li key={`r${i}`}>Plan revised: {change}</li>
        ))}
      </ul>
    </section>
  );
}

/** Live timeline per coordinator with its sub-agents' output; other steps after. */
export const RunLiveSections = memo(function RunLiveSections({ view, expanded = false }: { view: RunView; expanded?: boolean }) {
  const ended = isTerminal(view.status);
  const loose = view.stepOrder
    .map((id) => view.steps[id]!)
    .filter((step) => !view.coordinators[step.stepId] && !(step.parent && view.coordinators[step.parent]));
  return (
    <div className="run-live">
      <HumanWaits view={view} />
      <RunDecisions view={view} />
      {view.coordinatorOrder.map((step) => (
        <div key={step} className="run-live__coordinator">
          <PhaseTimeline coordinator={view.coordinators[step]!} ended={ended} expanded={expanded} />
          <StepStream steps={stagesOf(view, step)} />
        </div>
      ))}
      {loose.length > 0 && <StepStream steps={loose} title={view.coordinatorOrder.length ? "Other steps" : "Steps"} />}
      <Interventions view={view} />
    </div>
  );
});
