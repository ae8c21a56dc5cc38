// The run's input, as a form built from the Begin node's input schema (issue 13), with the
// property panel's widgets. Problems (the browser's check, or the server's 400) show under
// their field.

import { memo, useMemo } from "react";

import type { JsonSchema } from "../lib/jsonSchema";
import { describeFields } from "../lib/jsonSchema";
import { setIn } from "../lib/paths";
import type { RunInput } from "../lib/runInput";
import { SchemaForm } from "../panels/form/SchemaForm";
import { FieldErrors } from "../panels/form/FieldShell";

export const RunInputForm = memo(function RunInputForm({
  schema,
  value,
  problems,
  onChange,
}: {
  schema: JsonSchema;
  value: RunInput;
  problems: Record<string, string[]>;
  onChange: (value: RunInput) => void;
}) {
  const fields = useMemo(() => describeFields(schema), [schema]);
  return (
    <fieldset className="run-input" data-testid="run-input-form">
      <legend>Input</legend>
      <FieldErrors messages={problems["input"]} />
      <SchemaForm
        fields={fields}
        root={schema}
        value={value}
        prefix="input"
        problems={problems}
        onChange={(path, next) => onChange(setIn(value, path, next) as RunInput)}
      />
    </fieldset>
  );
});
