// "Generate from a goal": describe what the workflow should achieve, preview the plan the
// coordinator model writes (why each step, how long it should take), then create a canvas.

import { useState, type FormEvent } from "react";

import { ApiError, describeError } from "../api/client";
import { generatePlan, type GeneratedPlan } from "../api/plans";
import { ErrorList } from "./ErrorList";

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}

export function GenerateFromGoalForm({ onCreated }: { onCreated: (canvasId: string) => void }) {
  const [goal, setGoal] = useState("");
  const [approval, setApproval] = useState(false);
  const [maxSteps, setMaxSteps] = useState(10);
  const [agents, setAgents] = useState("");
  const [deadline, setDeadline] = useState("");
  const [preview, setPreview] = useState<GeneratedPlan | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ detail: string; errors: ApiError["errors"] } | null>(null);

  const request = (create: boolean) => ({
    goal: goal.trim(),
    create_canvas: create,
    constraints: {
      require_human_approval: approval,
      max_steps: maxSteps,
      ...(agents.trim() ? { available_agents: agents.split(",").map((a) => a.trim()).filter(Boolean) } : {}),
      ...(deadline.trim() ? { deadline_minutes: Number(deadline) } : {}),
    },
  });

  const submit = async (create: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = await generatePlan(request(create));
      if (create && result.canvas) {
        onCreated(result.canvas.id);
        return;
      }
      setPreview(result);
    } catch (e) {
      setPreview(null);
      setError({ detail: describeError(e, "generate a plan"), errors: e instanceof ApiError ? e.errors : [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="generate-form"
      data-testid="generate-form"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void submit(false);
      }}
    >
      <label className="field">
        <span className="field__label">Goal</span>
        <textarea
          data-testid="generate-goal"
          rows={2}
          required
          value={goal}
          placeholder="e.g. Verify the customer's identity, set up their account, and send a welcome email"
          onChange={(e) => setGoal(e.target.value)}
        />
      </label>
      <div className="generate-form__constraints">
        <label className="field field--inline">
          <span className="field__label">Require human approval</span>
          <input type="checkbox" data-testid="generate-approval" checked={approval} onChange={(e) => setApproval(e.target.checked)} />
        </label>
        <label className="field">
          <span className="field__label">Max steps</span>
          <input type="number" min={1} max={50} value={maxSteps} onChange={(e) => setMaxSteps(Number(e.target.value))} />
        </label>
        <label className="field">
          <span className="field__label">Only these agents</span>
          <input value={agents} placeholder="slugs, comma-separated (empty: all)" onChange={(e) => setAgents(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">Deadline (minutes)</span>
          <input type="number" min={0.1} step="any" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        </label>
      </div>
      <div className="inline-form">
        <button type="submit" className="button" disabled={busy || goal.trim().length < 3} data-testid="generate-preview">
          {busy ? "Planning…" : "Preview plan"}
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={busy || goal.trim().length < 3}
          data-testid="generate-create"
          onClick={() => void submit(true)}
        >
          Create canvas
        </button>
      </div>
      {error ? (
        <div role="alert">
          <p className="error">{error.detail}</p>
          <ErrorList errors={error.errors} />
        </div>
      ) : null}
      {preview ? (
        <div className="generate-preview" data-testid="generate-result">
          <p className="muted">
            {preview.steps.length} steps · about {duration(preview.estimated_seconds)} · planned by {preview.model}
          </p>
          <ol>
            {preview.steps.map((step) => (
              <li key={step.id} data-testid="generate-step">
                <strong>{step.id}</strong> <span className="field__tag">{step.agent ?? step.type}</span>{" "}
                <span className="muted">~{duration(step.estimated_seconds)}</span>
                <div className="muted">{step.why}</div>
              </li>
            ))}
          </ol>
          {preview.warnings.map((w) => (
            <p key={w} className="field__errors">
              {w}
            </p>
          ))}
        </div>
      ) : null}
    </form>
  );
}
