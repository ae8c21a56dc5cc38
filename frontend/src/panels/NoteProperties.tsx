// A sticky note's properties: its text (what the note on the canvas shows) and delete.

import type { BatonNodeData } from "../lib/graphTypes";
import { MAX_NOTE_CHARS, noteText } from "../lib/notes";
import { Icon } from "../nodes/icons";
import { useGraph } from "../store/graph";
import { useValidation } from "../store/validation";
import { FieldErrors } from "./form/FieldShell";

function useNoteText(id: string): string {
  return useGraph((s) => {
    const node = s.nodes.find((n) => n.id === id);
    return node ? noteText((node.data as BatonNodeData).config) : "";
  });
}

export function NoteProperties({ id }: { id: string }) {
  const text = useNoteText(id);
  const problems = useValidation((s) => s.byNode[id]);
  const updateNodeData = useGraph((s) => s.updateNodeData);
  const removeElements = useGraph((s) => s.removeElements);
  return (
    <div className="properties" data-testid="properties-note" data-node-id={id}>
      <header className="properties__header">
        <span className="baton-node__icon">
          <Icon name="note" />
        </span>
        <div>
          <h3>Note</h3>
          <p className="muted">For whoever reads this canvas. Saved with each version; never run or validated as a step.</p>
        </div>
      </header>
      <div className="field">
        <label className="field__label" htmlFor="field-note-text">
          Text
        </label>
        <textarea
          id="field-note-text"
          data-testid="note-text"
          rows={8}
          maxLength={MAX_NOTE_CHARS}
          value={text}
          onChange={(event) =>
            updateNodeData(id, (data) => ({ ...data, config: { ...data.config, text: event.target.value } }), "note.text")
          }
        />
        <FieldErrors messages={problems?.map((p) => p.message)} />
      </div>
      <div className="properties__actions">
        <button type="button" className="button button--danger" data-testid="delete-node" onClick={() => removeElements([id])}>
          Delete note
        </button>
      </div>
    </div>
  );
}

