import { useReactFlow } from "@xyflow/react";
import { useState, type FormEvent } from "react";

import { describeError } from "../api/client";
import { Dialog } from "../components/Dialog";
import { useCanvasDoc } from "../store/canvasDoc";
import { useEditorUi } from "../store/editorUi";

/** Save the working graph as a new version, with a message. */
export function SaveDialog() {
  const save = useCanvasDoc((s) => s.save);
  const saving = useCanvasDoc((s) => s.saving);
  const { openDialog, toast, setProblemsOpen } = useEditorUi.getState();
  const flow = useReactFlow();
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError("");
    try {
      const saved = await save(message.trim(), flow.getViewport());
      openDialog(null);
      const errors = saved.problems.filter((p) => p.severity !== "warning").length;
      if (errors) {
        toast(`Saved version ${saved.number} as a draft with ${errors} problem${errors === 1 ? "" : "s"}.`, "info");
        setProblemsOpen(true);
      } else {
        toast(`Saved version ${saved.number}.`, "success");
      }
    } catch (err) {
      setError(describeError(err, "save"));
    }
  };

  return (
    <Dialog title="Save a version" onClose={() => openDialog(null)} testId="save-dialog">
      <form onSubmit={submit} className="stack">
        <label className="field">
          <span className="field__label">What changed?</span>
          <input
            autoFocus
            data-testid="save-message"
            value={message}
            maxLength={500}
            placeholder="e.g. Added a summariser"
            onChange={(event) => setMessage(event.target.value)}
          />
        </label>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={() => openDialog(null)}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={saving} data-testid="save-submit">
            {saving ? "Saving…" : "Save"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
