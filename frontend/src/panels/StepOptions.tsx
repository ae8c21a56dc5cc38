import { useCallback, useMemo } from "react";

import type { BatonNodeData } from "../lib/graphTypes";
import { describeFields } from "../lib/jsonSchema";
import { setIn } from "../lib/paths";
import { cleanStepOptions, stepOptionsSchema } from "../lib/stepOptions";
import { useGraph } from "../store/graph";
import { FieldErrors } from "./form/FieldShell";
import { SchemaForm } from "./form/SchemaForm";

const EMPTY: Record<string, unknown> = {};

/** A step's optional `data.step` (when, retries, loop …), collapsed unless set or faulty. */
export function StepOptions({ id, type, problems }: { id: string; type: string; problems: Record<string, string[]> }) {
  const step = useGraph((s) => s.nodes.find((n) => n.id === id)?.data.step) ?? EMPTY;
  const updateNodeData = useGraph((s) => s.updateNodeData);
  const schema = useMemo(() => stepOptionsSchema(type), [type]);
  const fields = useMemo(() => (schema ? describeFields(schema) : []), [schema]);
  const hasProblems = Object.keys(problems).some((path) => path.startsWith("data.step"));
  const onChange = useCallback(
    (path: readonly string[], value: unknown) =>
      updateNodeData(
        id,
        (data) => {
          const next = cleanStepOptions(setIn(data.step ?? {}, path, value));
          const { step: _old, ...rest } = data;
          return next ? { ...rest, step: next } : (rest as BatonNodeData);
        },
        `step.${path.join(".")}`,
      ),
    [id, updateNodeData],
  );
  if (!schema) return null;
  return (
    <details className="step-options" open={hasProblems || Object.keys(step).length > 0} data-testid="step-options">
      <summary>Step options</summary>
      <FieldErrors messages={problems["data.step"]} />
      <SchemaForm fields={fields} root={schema} value={step} prefix="data.step" problems={problems} onChange={onChange} />
    </details>
  );
}
