// A sticky note on the canvas: its text, nothing to connect. Edited in the property panel.

import type { NodeProps } from "@xyflow/react";
import { memo } from "react";

import type { BatonNode } from "../lib/graphTypes";
import { noteText } from "../lib/notes";

export const NoteNode = memo(function NoteNode({ id, data, selected }: NodeProps<BatonNode>) {
  const text = noteText(data.config);
  return (
    <div className={`note-node${selected ? " is-selected" : ""}`} data-testid={`note-${id}`}>
      {text ? <p className="note-node__text">{text}</p> : <p className="note-node__text note-node__text--empty">Empty note: select it to write.</p>}
    </div>
  );
});
