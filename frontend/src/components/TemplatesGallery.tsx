// Start from a template: each demo canvas and reference example as a card; "Use" creates a
// canvas of yours from it and opens it.

import { useEffect, useState } from "react";

import { describeError } from "../api/client";
import { listTemplates, useTemplate as createFromTemplate, type Template } from "../api/templates";

function TemplateCard({ template, onCreated }: { template: Template; onCreated: (id: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const use = async () => {
    setBusy(true);
    setError("");
    try {
      onCreated((await createFromTemplate(template.slug)).id);
    } catch (err) {
      setError(describeError(err, "create the canvas"));
      setBusy(false);
    }
  };
  return (
    <li className="template-card" data-testid="template-card" data-template={template.slug}>
      <div className="template-card__head">
        <strong>{template.name}</strong>
        <span className="chip">{template.source}</span>
      </div>
      <p className="muted">{template.description}</p>
      <p className="muted template-card__meta">
        {template.steps} step{template.steps === 1 ? "" : "s"}
        {template.agents.length ? ` · agents: ${template.agents.join(", ")}` : ""}
      </p>
      {template.missing_agents.length ? (
        <p className="field__warning" data-testid="template-missing-agents">
          Not available to you: {template.missing_agents.join(", ")} — pick your own agents on the new canvas.
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" className="button button--primary button--small" data-testid={`template-use-${template.slug}`} disabled={busy} onClick={() => void use()}>
        {busy ? "Creating…" : "Use this template"}
      </button>
    </li>
  );
}

export function TemplatesGallery({ onCreated }: { onCreated: (id: string) => void }) {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    const controller = new AbortController();
    listTemplates(controller.signal)
      .then(setTemplates)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(describeError(err, "load the templates"));
      });
    return () => controller.abort();
  }, []);
  if (error) {
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  }
  if (!templates) return <p className="muted">Loading templates…</p>;
  return (
    <ul className="template-gallery" data-testid="template-gallery">
      {templates.map((template) => (
        <TemplateCard key={template.slug} template={template} onCreated={onCreated} />
      ))}
    </ul>
  );
}
