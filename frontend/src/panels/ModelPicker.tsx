// A model field that offers what the user's connections serve (GET /api/models/available/)
// and says which connection a run would use; any other name may still be typed.

import { useEffect, useId } from "react";

import { reachOf } from "../lib/modelMatch";
import { useModelOptions } from "../store/modelOptions";
import { FieldErrors } from "./form/FieldShell";

interface PickerProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  errors?: readonly string[];
  placeholder?: string;
  /** The connection chosen beside the model, if any (ModelPicker's hint uses only it). */
  connection?: string;
}

function useOptions() {
  const state = useModelOptions();
  const load = state.load;
  useEffect(() => {
    void load();
  }, [load]);
  return state;
}

function ReachHint({ model, connection }: { model: string; connection: string }) {
  const { status, connections, error } = useModelOptions();
  if (status === "error") return <p className="field__description">{error}</p>;
  if (status !== "ready") return null;
  const reach = reachOf(model, connections, connection);
  if (reach.kind === "local") {
    return (
      <p className="field__description" data-testid="model-reach">
        The built-in offline model baton/local (no connection needed).
      </p>
    );
  }
  if (reach.kind === "connection") {
    return (
      <p className="field__description" data-testid="model-reach">
        Runs reach it through connection <code>{reach.connection}</code> ({reach.pattern}).
      </p>
    );
  }
  return (
    <p className="field__warning" data-testid="model-reach" role="status">
      {reach.connection
        ? `Connection “${reach.connection}” is not one of yours or does not serve this model.`
        : "None of your connections serves this model: a run would stop here. Ask staff for a connection."}
    </p>
  );
}

export function ModelPicker({ id, label, value, onChange, errors, placeholder, connection = "" }: PickerProps) {
  const { models } = useOptions();
  const listId = useId();
  return (
    <div className={`field${errors?.length ? " has-error" : ""}`} data-field={id}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        data-testid={id}
        type="text"
        list={listId}
        value={value}
        maxLength={200}
        autoComplete="off"
        placeholder={placeholder ?? "baton/local"}
        aria-invalid={Boolean(errors?.length)}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId} data-testid={`${id}-options`}>
        {models.map((option) => (
          <option key={option.model} value={option.model}>
            {option.connection ? `via ${option.connection}` : option.source}
          </option>
        ))}
      </datalist>
      <ReachHint model={value} connection={connection} />
      <FieldErrors messages={errors} />
    </div>
  );
}

export function ConnectionPicker({ id, label, value, onChange, errors }: PickerProps) {
  const { connections } = useOptions();
  const listId = useId();
  return (
    <div className={`field${errors?.length ? " has-error" : ""}`} data-field={id}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        data-testid={id}
        type="text"
        list={listId}
        value={value}
        maxLength={100}
        autoComplete="off"
        placeholder="any of yours that serves the model"
        aria-invalid={Boolean(errors?.length)}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId} data-testid={`${id}-options`}>
        {connections.map((connection) => (
          <option key={connection.name} value={connection.name}>
            {connection.model_patterns.join(", ")}
          </option>
        ))}
      </datalist>
      <FieldErrors messages={errors} />
    </div>
  );
}
