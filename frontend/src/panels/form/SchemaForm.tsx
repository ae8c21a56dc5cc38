// Renders a JSON Schema's fields (lib/jsonSchema.describeFields) as a form over `value`.
// Problems arrive keyed by full path ("data.config.temperature") and show under their field.

import { memo, type ReactNode } from "react";

import { defaultsOf, type FieldSpec, type JsonSchema } from "../../lib/jsonSchema";
import { getIn } from "../../lib/paths";
import { ExpressionField, isExpressionField, isJsonExpressionField, JsonExpressionField } from "./ExpressionField";
import { FieldErrors } from "./FieldShell";
import { JsonWidget, ListWidget, NumberWidget, SelectWidget, SwitchWidget, TextWidget, type WidgetProps } from "./widgets";

export interface SchemaFormProps {
  fields: readonly FieldSpec[];
  /** The root schema ($defs live there). */
  root: JsonSchema;
  value: Record<string, unknown>;
  /** Path prefix of problems and test ids, e.g. "data.config". */
  prefix: string;
  problems: Record<string, string[]>;
  onChange: (path: readonly string[], value: unknown) => void;
  /** Replace the rendering of a field (return undefined to keep the default). */
  renderField?: (field: FieldSpec) => ReactNode | undefined;
}

const WIDGETS: Record<string, (props: WidgetProps) => ReactNode> = {
  select: SelectWidget,
  switch: SwitchWidget,
  integer: NumberWidget,
  number: NumberWidget,
  text: TextWidget,
  textarea: TextWidget,
  json: JsonWidget,
  list: ListWidget,
};

/** An absent key means the server applies the schema default: show that default. */
function valueOrDefault(value: unknown, field: FieldSpec): unknown {
  return value === undefined ? field.default : value;
}

function Fieldset({ field, props }: { field: FieldSpec; props: SchemaFormProps }) {
  const value = getIn(props.value, field.path);
  const path = `${props.prefix}.${field.path.join(".")}`;
  const enabled = value !== null && value !== undefined;
  return (
    <fieldset className={`fieldset${enabled || !field.nullable ? " is-open" : ""}`} data-field={path}>
      <legend>
        {field.nullable && !field.readOnly ? (
          <label className="fieldset__toggle">
            <input
              type="checkbox"
              data-testid={`toggle-${path}`}
              checked={enabled}
              onChange={(event) =>
                props.onChange(field.path, event.target.checked ? defaultsOf(field.schema ?? {}, props.root) : null)
              }
            />
            {field.title}
          </label>
        ) : (
          field.title
        )}
      </legend>
      {field.description ? <p className="field__description">{field.description}</p> : null}
      <FieldErrors messages={props.problems[path]} />
      {enabled || !field.nullable ? <FieldList {...props} fields={field.children ?? []} /> : null}
    </fieldset>
  );
}

function FieldList(props: SchemaFormProps) {
  return (
    <>
      {props.fields.map((field) => {
        const custom = props.renderField?.(field);
        if (custom !== undefined) return <div key={field.key}>{custom}</div>;
        if (field.widget === "fieldset") return <Fieldset key={field.key} field={field} props={props} />;
        const textual = field.widget === "text" || field.widget === "textarea";
        const Widget =
          textual && isExpressionField(props.prefix, field.key)
            ? ExpressionField
            : field.widget === "json" && isJsonExpressionField(props.prefix, field.key)
              ? JsonExpressionField
              : (WIDGETS[field.widget] ?? JsonWidget);
        return (
          <Widget
            key={field.key}
            field={field}
            prefix={props.prefix}
            value={valueOrDefault(getIn(props.value, field.path), field)}
            errors={props.problems[`${props.prefix}.${field.path.join(".")}`]}
            onChange={(next) => props.onChange(field.path, next)}
          />
        );
      })}
    </>
  );
}

export const SchemaForm = memo(function SchemaForm(props: SchemaFormProps) {
  return (
    <div className="schema-form">
      <FieldList {...props} />
    </div>
  );
});

/** Every path the form shows (to find problems that belong to no field). */
export function fieldPaths(fields: readonly FieldSpec[], prefix: string, into = new Set<string>()): Set<string> {
  for (const field of fields) {
    into.add(`${prefix}.${field.path.join(".")}`);
    if (field.children) fieldPaths(field.children, prefix, into);
  }
  return into;
}
