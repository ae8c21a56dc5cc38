// One input per widget kind. Each takes the field's current value and reports a new one;
// text-like inputs keep what the user typed locally so a half-typed number or JSON document
// is never lost, and commit it when it parses.

import { useEffect, useState } from "react";

import {
  parseJsonField,
  parseList,
  parseNumberField,
  type FieldSpec,
} from "../../lib/jsonSchema";
import { fieldId, FieldShell } from "./FieldShell";

export interface WidgetProps {
  field: FieldSpec;
  prefix: string;
  value: unknown;
  errors?: readonly string[];
  onChange: (value: unknown) => void;
}

function optionLabel(option: unknown): string {
  return option === null ? "—" : String(option).replace(/_/g, " ");
}

export function SelectWidget({ field, prefix, value, errors, onChange }: WidgetProps) {
  const options = field.options ?? [];
  const current = value === undefined || value === null ? "" : String(value);
  return (
    <FieldShell field={field} prefix={prefix} errors={errors}>
      <select
        id={fieldId(prefix, field)}
        data-testid={fieldId(prefix, field)}
        value={current}
        disabled={field.readOnly}
        onChange={(event) => {
          const picked = options.find((option) => String(option) === event.target.value);
          onChange(event.target.value === "" && field.nullable ? null : picked);
        }}
      >
        {field.nullable || current === "" ? <option value="">—</option> : null}
        {options.map((option) => (
          <option key={String(option)} value={String(option)}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function SwitchWidget({ field, prefix, value, errors, onChange }: WidgetProps) {
  const checked = value === undefined ? Boolean(field.default) : Boolean(value);
  return (
    <FieldShell field={field} prefix={prefix} errors={errors} inline>
      <input
        id={fieldId(prefix, field)}
        data-testid={fieldId(prefix, field)}
        className="switch"
        type="checkbox"
        role="switch"
        aria-checked={checked}
        checked={checked}
        disabled={field.readOnly}
        onChange={(event) => onChange(event.target.checked)}
      />
    </FieldShell>
  );
}

const toText = (value: unknown) => (value === undefined || value === null ? "" : String(value));

export function NumberWidget({ field, prefix, value, errors, onChange }: WidgetProps) {
  const [text, setText] = useState(toText(value));
  const [localError, setLocalError] = useState("");
  // Follow outside changes (undo, restore) unless they are what the text already says.
  useEffect(() => {
    setText((current) => (parseNumberField(current, field).value === value ? current : toText(value)));
  }, [value, field]);
  return (
    <FieldShell field={field} prefix={prefix} errors={errors} localError={localError}>
      <input
        id={fieldId(prefix, field)}
        data-testid={fieldId(prefix, field)}
        type="number"
        inputMode={field.widget === "integer" ? "numeric" : "decimal"}
        step={field.widget === "integer" ? 1 : "any"}
        min={field.minimum ?? field.exclusiveMinimum}
        max={field.maximum ?? field.exclusiveMaximum}
        placeholder={field.nullable ? "not set" : undefined}
        value={text}
        readOnly={field.readOnly}
        aria-invalid={Boolean(localError || errors?.length)}
        onChange={(event) => {
          setText(event.target.value);
          const parsed = parseNumberField(event.target.value, field);
          setLocalError(parsed.error ?? "");
          if (parsed.value !== undefined) onChange(parsed.value);
        }}
      />
    </FieldShell>
  );
}

export function TextWidget({ field, prefix, value, errors, onChange }: WidgetProps) {
  const multiline = field.widget === "textarea";
  const common = {
    id: fieldId(prefix, field),
    "data-testid": fieldId(prefix, field),
    value: toText(value),
    readOnly: field.readOnly,
    maxLength: field.maxLength,
    placeholder: field.nullable ? "not set" : undefined,
    "aria-invalid": Boolean(errors?.length),
    onChange: (event: { target: { value: string } }) =>
      onChange(event.target.value === "" && field.nullable ? null : event.target.value),
  };
  return (
    <FieldShell field={field} prefix={prefix} errors={errors}>
      {multiline ? (
        <textarea {...common} rows={field.readOnly ? 6 : field.key === "expression" || field.key === "when" ? 2 : 4} />
      ) : (
        <input type="text" {...common} />
      )}
    </FieldShell>
  );
}

const toJson = (value: unknown) => (value === undefined ? "" : JSON.stringify(value, null, 2));

export function JsonWidget({ field, prefix, value, errors, onChange }: WidgetProps) {
  const [text, setText] = useState(toJson(value));
  const [localError, setLocalError] = useState("");
  useEffect(() => {
    setText((current) => {
      const parsed = parseJsonField(current, field);
      return !parsed.error && JSON.stringify(parsed.value) === JSON.stringify(value ?? null) ? current : toJson(value);
    });
  }, [value, field]);
  return (
    <FieldShell field={field} prefix={prefix} errors={errors} localError={localError}>
      <textarea
        id={fieldId(prefix, field)}
        data-testid={fieldId(prefix, field)}
        className="json-input"
        spellCheck={false}
        rows={Math.min(12, Math.max(3, text.split("\n").length))}
        value={text}
        readOnly={field.readOnly}
        aria-invalid={Boolean(localError || errors?.length)}
        onChange={(event) => {
          setText(event.target.value);
          const parsed = parseJsonField(event.target.value, field);
          setLocalError(parsed.error ?? "");
          if (!parsed.error) onChange(parsed.value);
        }}
      />
    </FieldShell>
  );
}

export function ListWidget({ field, prefix, value, errors, onChange }: WidgetProps) {
  const items = Array.isArray(value) ? value.map(String) : [];
  const [text, setText] = useState(items.join(", "));
  useEffect(() => {
    setText((current) => (parseList(current).join("\u0000") === items.join("\u0000") ? current : items.join(", ")));
  }, [value]);
  if (field.readOnly) {
    return (
      <FieldShell field={field} prefix={prefix} errors={errors}>
        <div className="chips" id={fieldId(prefix, field)} data-testid={fieldId(prefix, field)}>
          {items.length ? items.map((item) => <span key={item} className="chip">{item}</span>) : <span className="muted">none</span>}
        </div>
      </FieldShell>
    );
  }
  return (
    <FieldShell field={field} prefix={prefix} errors={errors}>
      <input
        id={fieldId(prefix, field)}
        data-testid={fieldId(prefix, field)}
        type="text"
        placeholder="comma-separated"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          onChange(parseList(event.target.value));
        }}
      />
    </FieldShell>
  );
}
