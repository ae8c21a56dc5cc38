// Pause, resume, cancel and intervene. The server decides what applies (409 {detail} when
// not): its message is shown as it is.

import { useState, type FormEvent } from "react";

import { controlRun, intervene, isTerminal, type RunControl } from "../api/runs";
import { describe } from "./lib/errors";

export function RunControls({ runId, status }: { runId: string; status: string | null }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [text, setText] = useState("");
  const ended = isTerminal(status);

  const run = async (label: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setMessage(null);
    try {
      await action();
      setMessage({ text: label, error: false });
      return true;
    } catch (error) {
      setMessage({ text: describe(error, label.toLowerCase()), error: true });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const control = (action: RunControl, done: string) => () => void run(done, () => controlRun(runId, action));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    if (await run("Intervention sent", () => intervene(runId, value))) setText("");
  };

  // An ended run takes no controls; a message (a 409 from a race with the end) stays readable.
  if (ended && !message) return null;

  return (
    <div className="run-controls">
      <div className="run-controls__buttons" role="group" aria-label="Run controls">
        {status === "paused" ? (
          <button type="button" onClick={control("resume", "Resumed")} disabled={busy}>
            Resume
          </button>
        ) : (
          <button type="button" onClick={control("pause", "Paused")} disabled={busy || ended}>
            Pause
          </button>
        )}
        <button type="button" className="danger" onClick={control("cancel", "Cancelled")} disabled={busy || ended}>
          Cancel
        </button>
      </div>
      {!ended && (
        <form className="run-controls__intervene" onSubmit={(e) => void submit(e)}>
          <label htmlFor={`intervene-${runId}`} className="visually-hidden">
            Intervention
          </label>
          <input
            id={`intervene-${runId}`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Intervene: add guidance for the next sub-agents"
            maxLength={10_000}
          />
          <button type="submit" disabled={busy || !text.trim()}>
            Intervene
          </button>
        </form>
      )}
      {message && (
        <p className={message.error ? "error" : "muted"} role={message.error ? "alert" : "status"}>
          {message.text}
        </p>
      )}
    </div>
  );
}
