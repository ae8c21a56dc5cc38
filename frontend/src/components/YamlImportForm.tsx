// Pick a plan YAML / workflow.yaml file and import it; errors appear per field.

import { useState, type FormEvent } from "react";

import { ApiError, describeError, type FieldError } from "../api/client";
import { ErrorList } from "./ErrorList";

export function YamlImportForm({
  withName = false,
  submitLabel = "Import",
  onImport,
}: {
  withName?: boolean;
  submitLabel?: string;
  onImport: (file: File, name: string) => Promise<void>;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [detail, setDetail] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setDetail("");
    setErrors([]);
    try {
      await onImport(file, name);
    } catch (error) {
      setDetail(describeError(error, "import the YAML"));
      if (error instanceof ApiError) setErrors(error.errors);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="yaml-import" onSubmit={submit} data-testid="yaml-import-form">
      <label className="field">
        <span className="field__label">YAML file (plan or workflow.yaml)</span>
        <input
          type="file"
          accept=".yaml,.yml,application/yaml,text/yaml,text/plain"
          data-testid="yaml-file"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          required
        />
      </label>
      {withName ? (
        <label className="field">
          <span className="field__label">Name (optional; defaults to the plan's name)</span>
          <input type="text" data-testid="yaml-name" value={name} onChange={(event) => setName(event.target.value)} />
        </label>
      ) : null}
      {detail ? (
        <p className="error" role="alert" data-testid="yaml-import-error">
          {detail}
        </p>
      ) : null}
      <ErrorList errors={errors} testId="yaml-import-errors" />
      <button type="submit" className="button button--primary" disabled={!file || busy} data-testid="yaml-import-submit">
        {busy ? "Importing…" : submitLabel}
      </button>
    </form>
  );
}
