// Sub-agent steps as they run: status, attempts, retries/fallbacks, and the streamed text
// (agent.delta appended per step), or the preview once the step finished.

import { memo } from "react";

import { formatDuration } from "./lib/format";
import type { StepView } from "./lib/runView";
import { StatusBadge } from "./StatusBadge";

const StepItem = memo(function StepItem({ step }: { step: StepView }) {
  const body = step.text || step.preview || "";
  const stage = step.parent && step.stepId.startsWith(`${step.parent}.`) ? step.stepId.slice(step.parent.length + 1) : step.stepId;
  return (
    <li className="step-stream__item" data-step={step.stepId} data-status={step.status}>
      <div className="step-stream__head">
        <strong>{step.agent ?? stage}</strong>
        <span className="muted">{stage}</span>
        <StatusBadge status={step.status} />
        {step.attempt > 1 && <span className="muted">attempt {step.attempt}</span>}
        <span className="muted step-stream__duration">{step.durationMs !== null ? formatDuration(step.durationMs) : ""}</span>
      </div>
      {step.query && <div className="step-stream__query">“{step.query}”</div>}
      {step.notes.map((note, i) => (
        <div key={i} className="step-stream__note">
          {note}
        </div>
      ))}
      {body && (
        <pre className="step-stream__text" aria-live={step.status === "running" ? "polite" : undefined}>
          {body}
        </pre>
      )}
      {step.error && step.status !== "succeeded" && <div className="error">{step.error}</div>}
    </li>
  );
});

export const StepStream = memo(function StepStream({ steps, title = "Sub-agents" }: { steps: StepView[]; title?: string }) {
  if (!steps.length) return null;
  return (
    <section className="step-stream" aria-label={title === "Sub-agents" ? "Sub-agent output" : title}>
      <h4>{title}</h4>
      <ul>
        {steps.map((step) => (
          <StepItem key={step.stepId} step={step} />
        ))}
      </ul>
    </section>
  );
});
