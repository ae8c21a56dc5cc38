// Register an agent without leaving the editor: POST /api/agents/, errors shown per field.

import { useState, type FormEvent } from "react";

import type { Agent, AgentKind } from "../api/agents";
import { ApiError, describeError } from "../api/client";
import { parseList } from "../lib/jsonSchema";
import { useAgents } from "../store/agents";
import { FieldErrors } from "./form/FieldShell";
import { ModelPicker } from "./ModelPicker";

/** The one kind_config field each kind needs first (the rest keep their defaults). */
const KIND_FIELD: Record<AgentKind, { key: string; label: string; placeholder: string }> = {
  llm: { key: "model", label: "Model (empty: built-in baton/local)", placeholder: "e.g. openai/gpt-4o-mini" },
  http: { key: "url", label: "URL", placeholder: "https://agents.example.com/answer" },
  python: { key: "callable", label: "Callable (from BATON_PYTHON_AGENTS)", placeholder: "demo.agents.search_docs" },
  canvas: { key: "canvas", label: "Canvas slug", placeholder: "my-canvas" },
};

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+|-+$/g, "")
    .slice(0, 100);
}

export function NewAgentForm({ onCreated }: { onCreated: (agent: Agent) => void }) {
  const create = useAgents((s) => s.create);
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [kind, setKind] = useState<AgentKind>("llm");
  const [kindValue, setKindValue] = useState("");
  const [capabilities, setCapabilities] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);

  const spec = KIND_FIELD[kind];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const agent = await create({
        slug,
        name,
        description,
        kind,
        kind_config: kindValue.trim() ? { [spec.key]: kindValue.trim() } : {},
        capabilities: parseList(capabilities),
      });
      onCreated(agent);
    } catch (error) {
      const byField: Record<string, string[]> = {};
      if (error instanceof ApiError && error.errors.length) {
        for (const item of error.errors) (byField[item.field || ""] ??= []).push(item.message);
      } else {
        byField[""] = [describeError(error, "create the agent")];
      }
      setErrors(byField);
    } finally {
      setBusy(false);
    }
  };
  const kindErrors = Object.entries(errors)
    .filter(([field]) => field.startsWith("kind_config"))
    .flatMap(([, messages]) => messages);

  return (
    <form className="new-agent" data-testid="new-agent-form" onSubmit={submit}>
      <h4>New agent</h4>
      <FieldErrors messages={errors[""]} />
      <label className="field">
        <span className="field__label">Name</span>
        <input
          data-testid="new-agent-name"
          value={name}
          required
          onChange={(event) => {
            setName(event.target.value);
            if (!slugEdited) setSlug(slugify(event.target.value));
          }}
        />
        <FieldErrors messages={errors.name} />
      </label>
      <label className="field">
        <span className="field__label">Slug</span>
        <input
          data-testid="new-agent-slug"
          value={slug}
          required
          pattern="[a-z0-9][a-z0-9_\-]{0,99}"
          onChange={(event) => {
            setSlug(event.target.value);
            setSlugEdited(true);
          }}
        />
        <FieldErrors messages={errors.slug} />
      </label>
      <label className="field">
        <span className="field__label">Description (what the coordinator routes on)</span>
        <textarea data-testid="new-agent-description" rows={3} value={description} required onChange={(event) => setDescription(event.target.value)} />
        <FieldErrors messages={errors.description} />
      </label>
      <label className="field">
        <span className="field__label">Kind</span>
        <select data-testid="new-agent-kind" value={kind} onChange={(event) => setKind(event.target.value as AgentKind)}>
          {(Object.keys(KIND_FIELD) as AgentKind[]).map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <FieldErrors messages={errors.kind} />
      </label>
      {kind === "llm" ? (
        <ModelPicker id="new-agent-kind-value" label={spec.label} value={kindValue} placeholder={spec.placeholder} errors={kindErrors} onChange={setKindValue} />
      ) : (
        <label className="field">
          <span className="field__label">{spec.label}</span>
          <input data-testid="new-agent-kind-value" value={kindValue} placeholder={spec.placeholder} onChange={(event) => setKindValue(event.target.value)} />
          <FieldErrors messages={kindErrors} />
        </label>
      )}
      <label className="field">
        <span className="field__label">Capabilities</span>
        <input value={capabilities} placeholder="comma-separated tags" onChange={(event) => setCapabilities(event.target.value)} />
        <FieldErrors messages={errors.capabilities} />
      </label>
      <button type="submit" className="button button--primary" disabled={busy} data-testid="new-agent-submit">
        {busy ? "Creating…" : "Create and use"}
      </button>
    </form>
  );
}
