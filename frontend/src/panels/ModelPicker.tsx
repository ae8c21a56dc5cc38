// A model field that offers what the user's connections serve (GET /api/models/available/)
// and says which connection a run would use; any other name may still be typed.

import { type ReactNode, useEffect, useId } from "react";

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

interface Suggestion {
  value: string;
  note: string;
}

/** A free-text field with suggestions (a datalist), the shape both pickers share. */
function SuggestField({
  id,
  label,
  value,
  onChange,
  errors,
  placeholder,
  maxLength,
  suggestions,
  children,
}: Omit<PickerProps, "connection"> & { maxLength: number; suggestions: Suggestion[]; children?: ReactNode }) {
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
        maxLength={maxLength}
        autoComplete="off"
        placeholder={placeholder}
        aria-invalid={Boolean(errors?.length)}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId} data-testid={`${id}-options`}>
        {suggestions.map((option) => (
          <option key={option.value} value={option.value}>
            {option.note}
          </option>
        ))}
      </datalist>
      {children}
      <FieldErrors messages={errors} />
    </div>
  );
}

export function ModelPicker({ connection = "", placeholder, ...props }: PickerProps) {
  const { models } = useOptions();
  const suggestions = models.map((option) => ({
    value: option.model,
    note: option.connection ? `via ${option.connection}` : option.source,
  }));
  return (
    <SuggestField {...props} placeholder={placeholder ?? "baton/local"} maxLength={200} suggestions={suggestions}>
      <ReachHint model={props.value} connection={connection} />
    </SuggestField>
  );
}

export function ConnectionPicker({ connection: _connection, placeholder: _placeholder, ...props }: PickerProps) {
  const { connections } = useOptions();
  const suggestions = connections.map((option) => ({
    value: option.name,
    note: option.model_patterns.join(", "),
  }));
  return (
    <SuggestField {...props} placeholder="any of yours that serves the model" maxLength={100} suggestions={suggestions} />
  );
}
