// The run panel's input form state: the Begin node's input schema of the version runs use
// (the saved one, not the working graph), and the values, starting from what was sent last
// time on this canvas (lib/runInput.ts).

import { useEffect, useState } from "react";

import { getVersionGraph } from "../api/runs";
import type { JsonSchema } from "../lib/jsonSchema";
import { beginInputSchema, initialInput, rememberedInput, type RunInput } from "../lib/runInput";

export interface RunInputState {
  schema: JsonSchema | null;
  value: RunInput;
  setValue: (value: RunInput) => void;
}

export function useRunInput(canvasId: string, version: number | null): RunInputState {
  const [schema, setSchema] = useState<JsonSchema | null>(null);
  const [value, setValue] = useState<RunInput>({});

  useEffect(() => {
    if (version === null) {
      setSchema(null);
      return;
    }
    const abort = new AbortController();
    getVersionGraph(canvasId, version, abort.signal)
      .then((graph) => {
        if (abort.signal.aborted) return;
        const found = beginInputSchema(graph);
        setSchema(found);
        setValue((current) => (found ? initialInput(found, { ...rememberedInput(canvasId), ...current }) : {}));
      })
      .catch(() => {
        // Without the schema the panel still runs with a question only; the server checks.
        if (!abort.signal.aborted) setSchema(null);
      });
    return () => abort.abort();
  }, [canvasId, version]);

  return { schema, value, setValue };
}
