import { useEffect, useState } from "react";

import { useGraph } from "../store/graph";
import { FieldErrors } from "./form/FieldShell";

/** The node id is the step id: renaming it moves its edges along (refused when invalid or taken). */
export function NodeIdField({ id }: { id: string }) {
  const renameNode = useGraph((s) => s.renameNode);
  const [text, setText] = useState(id);
  const [error, setError] = useState("");
  useEffect(() => setText(id), [id]);
  const commit = () => {
    const problem = renameNode(id, text.trim());
    setError(problem ?? "");
  };
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label className="field__label" htmlFor="field-node-id">
        Id <span className="field__hint">the step id in {"{{ steps.<id>.output }}"}</span>
      </label>
      <input
        id="field-node-id"
        data-testid="field-node-id"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => event.key === "Enter" && commit()}
      />
      <FieldErrors messages={error ? [error] : undefined} />
    </div>
  );
}
