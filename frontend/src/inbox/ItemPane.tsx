// The detail pane: what is asked, the run's query, the agents' output so far (inert
// Markdown), the plan or the form, the history, and the actions. Everything the server sent
// is rendered as text through React (no HTML from data, ever).

import { useEffect, useMemo, useRef, useState, type MutableRefObject } from "react";

import { describeError } from "../api/client";
import { describeFields, type JsonSchema } from "../lib/jsonSchema";
import type { JsonObject } from "../lib/graphTypes";
import { setIn } from "../lib/paths";
import { SchemaForm } from "../panels/form/SchemaForm";
import { Markdown } from "../runs/Markdown";
import {
  KIND_LABELS,
  actionLabel,
  claimItem,
  decideItem,
  reassignItem,
  releaseItem,
  type Action,
  type Decision,
  type ItemDetail,
  type Plan,
} from "./api";
import { History } from "./History";
import { PlanEditor } from "./PlanEditor";
import { ageText, dueText } from "./lib/time";

export interface PaneCommands {
  approve: () => void;
  reject: () => void;
  edit: () => void;
  claim: () => void;
}

interface Props {
  item: ItemDetail;
  username: string;
  now: number;
  commands: MutableRefObject<PaneCommands | null>;
  onChanged: (item: ItemDetail | null) => void;
}

type Drafts = Record<string, Record<string, string>>;

/** Editable string fields of the reviewed outputs. Fields holding the same text (an agent's
 * `summary` and its `text` rendition) are edited as one, so the output stays coherent. */
function initialDrafts(item: ItemDetail): Drafts {
  const drafts: Drafts = {};
  for (const output of item.outputs) {
    if (!output.reviewed || !output.output) continue;
    const seen = new Set<string>();
    for (const [key, value] of Object.entries(output.output)) {
      if (typeof value !== "string" || seen.has(value)) continue;
      seen.add(value);
      (drafts[output.step] ??= {})[key] = value;
    }
  }
  return drafts;
}

function twinsOf(output: Record<string, unknown>, key: string): string[] {
  const original = output[key];
  return Object.keys(output).filter((other) => other !== key && output[other] === original);
}

function twinLabel(output: Record<string, unknown> | null, step: string, key: string): string {
  const twins = output ? twinsOf(output, key) : [];
  return [key, ...twins].map((name) => `${step}.${name}`).join(" = ");
}

function changedOutputs(item: ItemDetail, drafts: Drafts): Record<string, Record<string, string>> {
  const edits: Record<string, Record<string, string>> = {};
  for (const output of item.outputs) {
    const current = output.output;
    if (!current) continue;
    for (const [key, value] of Object.entries(drafts[output.step] ?? {})) {
      if (current[key] === value) continue;
      for (const name of [key, ...twinsOf(current, key)]) (edits[output.step] ??= {})[name] = value;
    }
  }
  return edits;
}

export function ItemPane({ item, username, now, commands, onChanged }: Props) {
  const [comment, setComment] = useState("");
  const [editing, setEditing] = useState(false);
  const [drafts, setDrafts] = useState<Drafts>(() => initialDrafts(item));
  const [plan, setPlan] = useState<Plan | null>(item.plan);
  const [step, setStep] = useState({ agent: item.escalated_step?.agent ?? "", query: item.escalated_step?.query ?? "" });
  const [form, setForm] = useState<JsonObject>({});
  const [reassignTo, setReassignTo] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const commentRef = useRef<HTMLTextAreaElement>(null);

  // A different item (or the same one decided elsewhere) starts a fresh draft.
  useEffect(() => {
    setComment("");
    setEditing(false);
    setDrafts(initialDrafts(item));
    setPlan(item.plan);
    setStep({ agent: item.escalated_step?.agent ?? "", query: item.escalated_step?.query ?? "" });
    setForm({});
    setError("");
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [item.id, item.status]);

  const pending = item.status === "pending";
  const claimedByOther = item.claimed_by !== null && item.claimed_by !== username;
  const can = (action: Action) => pending && !claimedByOther && item.actions.includes(action);
  const formFields = useMemo(
    () => (item.kind === "input" && item.form ? describeFields(item.form as JsonSchema) : []),
    [item.kind, item.form],
  );

  const run = async (doing: string, call: () => Promise<ItemDetail>) => {
    setBusy(true);
    setError("");
    try {
      onChanged(await call());
    } catch (err) {
      setError(describeError(err, doing));
    } finally {
      setBusy(false);
    }
  };

  const decide = (decision: Decision) => run("decide", () => decideItem(item.id, decision));

  const edits = (): unknown => {
    if (item.kind === "plan_review") return { plan: { stages: plan?.stages ?? [], pattern: plan?.pattern } };
    if (item.kind === "escalation") {
      const change: Record<string, string> = {};
      if (step.agent && step.agent !== item.escalated_step?.agent) change.agent = step.agent;
      if (step.query !== (item.escalated_step?.query ?? "")) change.query = step.query;
      return change;
    }
    return changedOutputs(item, drafts);
  };

  const act = (action: Action) => {
    if (!can(action) || busy) return;
    if (action === "reject" && !comment.trim()) {
      setError("A rejection needs a reason: write it in the comment.");
      commentRef.current?.focus();
      return;
    }
    if (action === "edit" && !editing) {
      setEditing(true);
      return;
    }
    if (action === "respond" && item.kind !== "input" && !comment.trim()) {
      setError("Write the response (the instruction the run should follow) in the comment.");
      commentRef.current?.focus();
      return;
    }
    const decision: Decision = { action, comment };
    if (action === "edit") decision.edits = edits();
    if (action === "respond" && item.kind === "input") decision.response = form;
    void decide(decision);
  };

  const toggleClaim = () => {
    if (!pending || busy) return;
    if (item.claimed_by === username) void run("release the item", () => releaseItem(item.id));
    else if (!claimedByOther) void run("claim the item", () => claimItem(item.id));
  };

  commands.current = {
    approve: () => act(item.kind === "input" ? "respond" : "approve"),
    reject: () => act("reject"),
    edit: () => act("edit"),
    claim: toggleClaim,
  };

  const due = dueText(item.due_at, now);
  return (
    <article className="inbox-item" data-testid="item-pane" data-item={item.id} aria-labelledby="item-title">
      <header className="inbox-item__header">
        <div className="chips">
          <span className={`chip inbox-kind inbox-kind--${item.kind}`}>{KIND_LABELS[item.kind]}</span>
          <span className={`run-status run-status--${item.status === "pending" ? "waiting" : item.status}`} data-testid="item-status">
            {item.status}
          </span>
          {item.required_approvals > 1 ? (
            <span className="chip" data-testid="item-votes">
              {item.approvals.length} of {item.required_approvals} approvals
            </span>
          ) : null}
        </div>
        <h2 id="item-title">
          {item.step_name} <span className="muted">in</span> {item.canvas_name}
        </h2>
        <p className="muted">
          Asked by {item.asked_by ?? "a trigger"} · {ageText(item.created, now)} ago · for{" "}
          {item.assignee ?? (item.group ? `group ${item.group}` : "anyone with access")}
          {due ? (
            <>
              {" · "}
              <span className={due.overdue ? "inbox-overdue" : ""}>{due.text}</span> (then {item.default_action})
            </>
          ) : null}
          {" · "}
          <a href={`/runs/${item.run}/`}>open the run</a>
        </p>
      </header>

      {pending ? (
        <div className="inbox-claim" data-testid="claim-bar">
          {item.claimed_by ? (
            <span data-testid="claimed-by">
              Claimed by <strong>{item.claimed_by === username ? "you" : item.claimed_by}</strong>
              {item.claimed_until ? ` until ${new Date(item.claimed_until).toLocaleTimeString()}` : ""}
            </span>
          ) : (
            <span className="muted">Not claimed</span>
          )}
          {item.claimed_by === username ? (
            <button type="button" className="button button--small" onClick={toggleClaim} disabled={busy} data-testid="release">
              Release
            </button>
          ) : !claimedByOther ? (
            <button type="button" className="button button--small" onClick={toggleClaim} disabled={busy} data-testid="claim">
              Claim
            </button>
          ) : null}
          <form
            className="inline-form inbox-reassign"
            onSubmit={(event) => {
              event.preventDefault();
              if (reassignTo.trim()) void run("reassign", () => reassignItem(item.id, reassignTo.trim()));
            }}
          >
            <input
              aria-label="Reassign to (user or group:NAME)"
              placeholder="user or group:NAME"
              value={reassignTo}
              onChange={(event) => setReassignTo(event.target.value)}
              disabled={claimedByOther}
              data-testid="reassign-to"
            />
            <button type="submit" className="button button--small" disabled={busy || claimedByOther || !reassignTo.trim()}>
              Reassign
            </button>
          </form>
        </div>
      ) : (
        <p className={`inbox-decided inbox-decided--${item.status}`} data-testid="decided">
          {item.status === "cancelled" ? (
            "cancelled: the run ended"
          ) : (
            <>
              {item.status} by <strong>{item.decided_by ?? "the deadline"}</strong>
            </>
          )}
          {item.decided_at ? ` at ${new Date(item.decided_at).toLocaleString()}` : ""}
          {item.comment ? ` — ${item.comment}` : ""}
        </p>
      )}

      <section aria-label="Request">
        <h3>Request</h3>
        <Markdown text={item.prompt} className="inbox-prompt" />
        {item.run_query ? (
          <p className="inbox-query">
            <span className="muted">Run query:</span> {item.run_query}
          </p>
        ) : null}
      </section>

      {item.kind === "plan_review" && plan ? (
        <section aria-label="Plan">
          <h3>Plan</h3>
          <PlanEditor plan={plan} agents={item.plan_agents} editing={editing && pending} onChange={setPlan} />
        </section>
      ) : null}

      {item.kind === "escalation" && item.escalated_step ? (
        <section aria-label="Escalated step">
          <h3>Escalated step</h3>
          <p>
            <code>{item.escalated_step.id}</code> ({item.escalated_step.type})
            {item.escalated_step.error ? <span className="error"> — {item.escalated_step.error}</span> : null}
          </p>
          {editing && pending ? (
            <div className="stack">
              <label className="field">
                <span className="field__label">Agent</span>
                <input value={step.agent} onChange={(e) => setStep({ ...step, agent: e.target.value })} data-testid="escalation-agent" />
              </label>
              <label className="field">
                <span className="field__label">Query</span>
                <textarea rows={3} value={step.query} onChange={(e) => setStep({ ...step, query: e.target.value })} />
              </label>
            </div>
          ) : (
            <p className="muted">
              Agent {item.escalated_step.agent ?? "—"}
              {item.escalated_step.query ? ` · query: ${item.escalated_step.query}` : ""}
            </p>
          )}
        </section>
      ) : null}

      {item.outputs.length ? (
        <section aria-label="Output so far">
          <h3>So far</h3>
          {item.outputs.map((output) => (
            <div key={output.step} className="inbox-output" data-testid={`output-${output.step}`}>
              <p className="inbox-output__head">
                <strong>{output.name}</strong> {output.agent ? <span className="chip">{output.agent}</span> : null}
                {output.reviewed ? <span className="chip inbox-kind--approval">under review</span> : null}
              </p>
              {editing && pending && output.reviewed && drafts[output.step] ? (
                Object.entries(drafts[output.step]!).map(([key, value]) => (
                  <label key={key} className="field">
                    <span className="field__label">{twinLabel(output.output, output.step, key)}</span>
                    <textarea
                      rows={6}
                      value={value}
                      data-testid={`edit-${output.step}-${key}`}
                      onChange={(event) =>
                        setDrafts({ ...drafts, [output.step]: { ...drafts[output.step], [key]: event.target.value } })
                      }
                    />
                  </label>
                ))
              ) : (
                <Markdown
                  text={output.text}
                  className={`inbox-output__text${output.reviewed ? "" : " inbox-output__text--context"}`}
                />
              )}
            </div>
          ))}
        </section>
      ) : null}

      {item.kind === "input" && pending ? (
        <section aria-label="Form">
          <h3>Answer</h3>
          <SchemaForm
            fields={formFields}
            root={(item.form ?? {}) as JsonSchema}
            value={form}
            prefix="response"
            problems={{}}
            onChange={(path, value) => setForm(setIn(form, path, value))}
          />
        </section>
      ) : null}

      {pending ? (
        <section className="inbox-decision" aria-label="Decision">
          <label className="field">
            <span className="field__label">
              Comment {item.kind === "input" ? "" : "(a reason is required to reject; Respond sends it to the run)"}
            </span>
            <textarea
              ref={commentRef}
              rows={3}
              value={comment}
              data-testid="decision-comment"
              onChange={(event) => setComment(event.target.value)}
            />
          </label>
          {error ? (
            <p className="error" role="alert" data-testid="decision-error">
              {error}
            </p>
          ) : null}
          {claimedByOther ? <p className="muted">Claimed by {item.claimed_by}: only they can decide it now.</p> : null}
          <div className="inbox-actions">
            {item.actions.map((action) => (
              <button
                key={action}
                type="button"
                className={`button ${action === "approve" || (action === "respond" && item.kind === "input") || (action === "edit" && editing) ? "button--primary" : ""} ${action === "reject" ? "button--danger" : ""}`}
                disabled={!can(action) || busy}
                data-testid={`action-${action}`}
                onClick={() => act(action)}
              >
                {action === "edit" && editing ? `${actionLabel(item.kind, action)}: submit` : actionLabel(item.kind, action)}
              </button>
            ))}
            {editing ? (
              <button type="button" className="button" onClick={() => setEditing(false)}>
                Cancel edits
              </button>
            ) : null}
          </div>
        </section>
      ) : null}

      <section aria-label="History">
        <h3>History</h3>
        <History entries={item.history} />
      </section>
    </article>
  );
}
