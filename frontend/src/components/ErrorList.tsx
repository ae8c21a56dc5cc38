import type { FieldError } from "../api/client";

/** The API's located errors, one per line: "field: message". */
export function ErrorList({ errors, testId = "error-list" }: { errors: readonly FieldError[]; testId?: string }) {
  if (errors.length === 0) return null;
  return (
    <ul className="error-list" role="alert" data-testid={testId}>
      {errors.map((error, i) => (
        <li key={i} data-field={error.field}>
          {error.field ? <code>{error.field}</code> : null}
          {error.node ? <span className="muted"> node {error.node}</span> : null}
          <span>{error.field || error.node ? ": " : ""}{error.message}</span>
        </li>
      ))}
    </ul>
  );
}
