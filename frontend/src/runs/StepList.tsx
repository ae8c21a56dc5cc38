// Every StepRun of the record (attempts included), with input, output and error expandable.

import { memo } from "react";

import type { StepRun } from "../api/runs";
import { formatCost, formatDuration, pretty } from "./lib/format";
import { StatusBadge } from "./StatusBadge";

function Block({ title, value }: { title: string; value: unknown }) {
  const text = pretty(value);
  if (!text) return null;
  return (
    <details className="step-list__block">
      <summary>{title}</summary>
      <pre>{text}</pre>
    </details>
  );
}

export const StepList = memo(function StepList({ steps }: { steps: StepRun[] }) {
  if (!steps.length) return <p className="muted">No steps yet.</p>;
  return (
    <ol className="step-list">
      {steps.map((step) => (
        <li key={step.id} className={step.superseded ? "superseded" : ""} data-step={step.step_id}>
          <div className="step-list__head">
            <code>{step.step_id}</code>
            <span className="muted">{step.type}</span>
            {step.agent && <strong>{step.agent}</strong>}
            <StatusBadge status={step.status} />
            {(step.attempt > 1 || step.superseded) && (
              <span className="muted">
                attempt {step.attempt}
                {step.superseded ? " (superseded)" : ""}
              </span>
            )}
            <span className="muted">{formatDuration(step.duration_ms)}</span>
            {step.prompt_tokens + step.completion_tokens > 0 && (
              <span className="muted">
                {step.prompt_tokens + step.completion_tokens} tokens · {formatCost(step.cost_usd)}
              </span>
            )}
          </div>
          {step.error && <p className="error">{step.error}</p>}
          <Block title="Input" value={step.input} />
          <Block title="Output" value={step.output} />
        </li>
      ))}
    </ol>
  );
});
