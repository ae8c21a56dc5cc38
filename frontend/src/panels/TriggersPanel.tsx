// The editor's Triggers tab: the canvas's schedule, webhook and event triggers, and a form to
// add one. A schedule shows its next five fire times while it is being typed; a webhook's
// secret is shown once, right after it is created (or rotated).

import { useCallback, useEffect, useState, type FormEvent } from "react";

import { ApiError, describeError } from "../api/client";
import { listCanvases, type CanvasSummary } from "../api/canvases";
import {
  createTrigger,
  deleteTrigger,
  listTriggers,
  previewSchedule,
  rotateSecret,
  updateTrigger,
  type Trigger,
  type TriggerKind,
} from "../api/triggers";
import { FieldErrors } from "./form/FieldShell";

const RUN_EVENTS = ["run.succeeded", "run.failed"];

function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** A fire time in the trigger's own time zone, e.g. "Mon 2 Mar, 09:00". */
export function formatFireTime(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}

function errorsByField(error: unknown, doing: string): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  if (error instanceof ApiError && error.errors.length) {
    for (const item of error.errors) (byField[item.field || ""] ??= []).push(item.message);
  } else {
    byField[""] = [describeError(error, doing)];
  }
  return byField;
}

function FireTimes({ times, timeZone, testId }: { times: string[]; timeZone: string; testId: string }) {
  if (!times.length) return null;
  return (
    <ol className="fire-times" data-testid={testId}>
      {times.map((t) => (
        <li key={t}>{formatFireTime(t, timeZone)}</li>
      ))}
    </ol>
  );
}

function NewTriggerForm({ canvasId, onCreated }: { canvasId: string; onCreated: (t: Trigger) => void }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<TriggerKind>("schedule");
  const [cron, setCron] = useState("0 9 * * MON");
  const [timezone, setTimezone] = useState(localZone);
  const [catchUp, setCatchUp] = useState(true);
  const [event, setEvent] = useState("");
  const [sourceCanvas, setSourceCanvas] = useState("");
  const [canvases, setCanvases] = useState<CanvasSummary[]>([]);
  const [query, setQuery] = useState("");
  const [input, setInput] = useState("{}");
  const [preview, setPreview] = useState<string[]>([]);
  const [previewError, setPreviewError] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (kind !== "schedule") return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      previewSchedule(cron, timezone, controller.signal)
        .then((times) => {
          setPreview(times);
          setPreviewError([]);
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          setPreview([]);
          const found = errorsByField(error, "preview the schedule");
          setPreviewError([...(found.cron ?? []), ...(found.timezone ?? []), ...(found[""] ?? [])]);
        });
    }, 250);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [kind, cron, timezone]);

  useEffect(() => {
    if (kind !== "event" || canvases.length) return;
    listCanvases()
      .then(setCanvases)
      .catch(() => setCanvases([]));
  }, [kind, canvases.length]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let parsedInput: Record<string, unknown>;
    try {
      parsedInput = JSON.parse(input || "{}") as Record<string, unknown>;
    } catch (error) {
      setErrors({ input: [`Invalid JSON: ${error instanceof Error ? error.message : String(error)}`] });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const created = await createTrigger({
        canvas: canvasId,
        name: name || `${kind} trigger`,
        kind,
        query,
        input: parsedInput,
        ...(kind === "schedule" ? { cron, timezone, catch_up: catchUp } : {}),
        ...(kind === "event" ? { event, source_canvas: RUN_EVENTS.includes(event) ? sourceCanvas || null : null } : {}),
      });
      onCreated(created);
      setName("");
    } catch (error) {
      setErrors(errorsByField(error, "create the trigger"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="trigger-form" data-testid="new-trigger-form" onSubmit={submit}>
      <h4>New trigger</h4>
      <FieldErrors messages={errors[""]} />
      <label className="field">
        <span className="field__label">Name</span>
        <input data-testid="trigger-name" value={name} placeholder="Weekly report" onChange={(e) => setName(e.target.value)} />
        <FieldErrors messages={errors.name} />
      </label>
      <label className="field">
        <span className="field__label">Kind</span>
        <select data-testid="trigger-kind" value={kind} onChange={(e) => setKind(e.target.value as TriggerKind)}>
          <option value="schedule">schedule (cron)</option>
          <option value="webhook">webhook (signed POST)</option>
          <option value="event">event</option>
        </select>
      </label>
      {kind === "schedule" ? (
        <>
          <label className="field">
            <span className="field__label">
              Cron <span className="field__hint">minute hour day month weekday</span>
            </span>
            <input data-testid="trigger-cron" value={cron} onChange={(e) => setCron(e.target.value)} />
            <FieldErrors messages={errors.cron ?? previewError} />
          </label>
          <label className="field">
            <span className="field__label">Time zone</span>
            <input data-testid="trigger-timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)} />
            <FieldErrors messages={errors.timezone} />
          </label>
          <label className="field field--inline">
            <span className="field__label">After downtime, run once for the missed ticks</span>
            <input type="checkbox" data-testid="trigger-catch-up" checked={catchUp} onChange={(e) => setCatchUp(e.target.checked)} />
          </label>
          <div className="field">
            <span className="field__label">Next fire times ({timezone})</span>
            <FireTimes times={preview} timeZone={timezone} testId="trigger-preview" />
          </div>
        </>
      ) : null}
      {kind === "event" ? (
        <>
          <label className="field">
            <span className="field__label">
              Event <span className="field__hint">a name posted to /api/events/, or run.succeeded / run.failed</span>
            </span>
            <input data-testid="trigger-event" value={event} list="run-events" onChange={(e) => setEvent(e.target.value)} />
            <datalist id="run-events">
              {RUN_EVENTS.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            <FieldErrors messages={errors.event} />
          </label>
          {RUN_EVENTS.includes(event) ? (
            <label className="field">
              <span className="field__label">When a run of this canvas ends</span>
              <select data-testid="trigger-source-canvas" value={sourceCanvas} onChange={(e) => setSourceCanvas(e.target.value)}>
                <option value="">choose a canvas…</option>
                {canvases.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              <FieldErrors messages={errors.source_canvas} />
            </label>
          ) : null}
        </>
      ) : null}
      <label className="field">
        <span className="field__label">
          Query <span className="field__hint">may use {"{{ payload.x }}"}</span>
        </span>
        <input data-testid="trigger-query" value={query} onChange={(e) => setQuery(e.target.value)} />
        <FieldErrors messages={errors.query} />
      </label>
      <label className="field">
        <span className="field__label">Input (JSON)</span>
        <textarea data-testid="trigger-input" rows={2} value={input} onChange={(e) => setInput(e.target.value)} />
        <FieldErrors messages={Object.entries(errors).filter(([f]) => f.startsWith("input")).flatMap(([, m]) => m)} />
      </label>
      <button type="submit" className="button button--primary" disabled={busy} data-testid="trigger-create">
        {busy ? "Creating…" : "Create trigger"}
      </button>
    </form>
  );
}

function TriggerItem({
  trigger,
  onChanged,
  onDeleted,
}: {
  trigger: Trigger;
  onChanged: (t: Trigger) => void;
  onDeleted: (id: string) => void;
}) {
  const [error, setError] = useState<string[]>([]);
  const act = async (work: () => Promise<void>, doing: string) => {
    setError([]);
    try {
      await work();
    } catch (e) {
      setError([describeError(e, doing)]);
    }
  };
  return (
    <li className="trigger" data-testid={`trigger-${trigger.id}`}>
      <div className="trigger__head">
        <strong>{trigger.name}</strong>
        <span className="field__tag">{trigger.kind}</span>
        {trigger.paused ? <span className="field__tag" data-testid="trigger-paused">paused</span> : null}
      </div>
      {trigger.kind === "schedule" ? (
        <>
          <code>{trigger.cron}</code> <span className="muted">{trigger.timezone}</span>
          <FireTimes times={trigger.next_fire_times} timeZone={trigger.timezone} testId="trigger-next-fire-times" />
        </>
      ) : null}
      {trigger.kind === "event" ? <code>{trigger.event}</code> : null}
      {trigger.kind === "webhook" ? <code className="trigger__url">POST {trigger.webhook_url}</code> : null}
      {trigger.secret ? (
        <p className="trigger__secret" data-testid="trigger-secret">
          Secret (shown once; sign deliveries with it): <code>{trigger.secret}</code>
        </p>
      ) : null}
      {trigger.last_error ? <p className="field__errors">{trigger.last_error}</p> : null}
      <FieldErrors messages={error} />
      <div className="trigger__actions">
        <button
          type="button"
          className="button button--small"
          data-testid="trigger-toggle-pause"
          onClick={() => void act(async () => onChanged(await updateTrigger(trigger.id, { paused: !trigger.paused })), "change the trigger")}
        >
          {trigger.paused ? "Resume" : "Pause"}
        </button>
        {trigger.kind === "webhook" ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => void act(async () => onChanged(await rotateSecret(trigger.id)), "rotate the secret")}
          >
            Rotate secret
          </button>
        ) : null}
        <a className="button button--small" href={`/api/runs/?trigger=${trigger.id}`} target="_blank" rel="noreferrer">
          Runs
        </a>
        <button
          type="button"
          className="button button--small button--danger"
          onClick={() => void act(async () => { await deleteTrigger(trigger.id); onDeleted(trigger.id); }, "delete the trigger")}
        >
          Delete
        </button>
      </div>
    </li>
  );
}

export function TriggersPanel({ canvasId }: { canvasId: string }) {
  const [triggers, setTriggers] = useState<Trigger[] | null>(null);
  const [error, setError] = useState<string[]>([]);
  const load = useCallback(() => {
    const controller = new AbortController();
    listTriggers(canvasId, controller.signal)
      .then(setTriggers)
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError([describeError(e, "load the triggers")]);
      });
    return () => controller.abort();
  }, [canvasId]);
  useEffect(load, [load]);

  const replace = (t: Trigger) => setTriggers((list) => (list ?? []).map((x) => (x.id === t.id ? t : x)));
  return (
    <div className="triggers" data-testid="triggers-panel">
      <FieldErrors messages={error} />
      {triggers === null ? <p className="muted">Loading…</p> : null}
      {triggers && !triggers.length ? <p className="muted">No triggers yet: this canvas runs only when started by hand.</p> : null}
      <ul className="trigger-list">
        {(triggers ?? []).map((t) => (
          <TriggerItem key={t.id} trigger={t} onChanged={replace} onDeleted={(id) => setTriggers((list) => (list ?? []).filter((x) => x.id !== id))} />
        ))}
      </ul>
      <NewTriggerForm canvasId={canvasId} onCreated={(t) => setTriggers((list) => [...(list ?? []), t])} />
    </div>
  );
}
