import type { ReactNode } from "react";

import type { FieldSpec } from "../../lib/jsonSchema";
import { rangeHint } from "../../lib/jsonSchema";

export function fieldId(prefix: string, field: FieldSpec): string {
  return `field-${prefix}.${field.path.join(".")}`;
}

export function FieldErrors({
  messages,
  testId = "field-error",
  local = false,
}: {
  messages?: readonly string[];
  testId?: string;
  /** Checked in the browser as the user types (never stale), rather than by the server. */
  local?: boolean;
}) {
  if (!messages || messages.length === 0) return null;
  return (
    <ul className={`field__errors${local ? " field__errors--local" : ""}`} data-testid={testId} role="alert">
      {messages.map((message, i) => (
        <li key={i}>{message}</li>
      ))}
    </ul>
  );
}

/** Label, description, range hint and problems around one input. */
export function FieldShell({
  field,
  prefix,
  errors,
  localError,
  children,
  inline = false,
}: {
  field: FieldSpec;
  prefix: string;
  errors?: readonly string[];
  localError?: string;
  children: ReactNode;
  inline?: boolean;
}) {
  const hint = field.widget === "number" || field.widget === "integer" ? rangeHint(field) : "";
  const hasErrors = Boolean(localError) || Boolean(errors?.length);
  const path = `${prefix}.${field.path.join(".")}`;
  return (
    <div className={`field${inline ? " field--inline" : ""}${hasErrors ? " has-error" : ""}`} data-field={path}>
      <label className="field__label" htmlFor={fieldId(prefix, field)}>
        {field.title}
        {field.readOnly ? <span className="field__tag">read-only</span> : null}
        {hint ? <span className="field__hint">{hint}</span> : null}
      </label>
      {children}
      {field.description ? <p className="field__description">{field.description}</p> : null}
      <FieldErrors messages={localError ? [localError] : undefined} local testId="field-error-local" />
      {/* the server's problems, less the one the browser already shows (same wording) */}
      <FieldErrors messages={errors?.filter((message) => message !== localError)} />
    </div>
  );
}
