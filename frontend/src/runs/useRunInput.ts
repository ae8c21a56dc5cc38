// The run panel's input form state: the Begin node's input schema of the version runs use
// (the saved one, not the working graph: store/canvasDoc.ts keeps it from the graph it loaded
// or saved), and the values, starting from what was sent last time on this canvas
// (lib/runInput.ts).

import { useEffect, useState } from "react";

import type { JsonSchema } from "../lib/jsonSchema";
import { initialInput, rememberedInput, type RunInput } from "../lib/runInput";
import { useCanvasDoc } from "../store/canvasDoc";

export interface RunInputState {
  schema: JsonSchema | null;
  value: RunInput;
  setValue: (value: RunInput) => void;
}

export function useRunInput(canvasId: string): RunInputState {
  const schema = useCanvasDoc((s) => (s.canvasId === canvasId ? s.runInputSchema : null));
  const [value, setValue] = useState<RunInput>({});

  useEffect(() => {
    setValue((current) => (schema ? initialInput(schema, { ...rememberedInput(canvasId), ...current }) : {}));
  }, [canvasId, schema]);

  return { schema, value, setValue };
}
