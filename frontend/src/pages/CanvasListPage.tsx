import { useEffect, useState, type FormEvent } from "react";

import type { CanvasSummary } from "../api/canvases";
import { ApiError, describeError, type FieldError } from "../api/client";
import { AppHeader } from "../components/AppHeader";
import { ErrorList } from "../components/ErrorList";
import { GenerateFromGoalForm } from "../components/GenerateFromGoalForm";
import { TemplatesGallery } from "../components/TemplatesGallery";
import { YamlImportForm } from "../components/YamlImportForm";
import { useCanvasList } from "../store/canvasList";

export const editorUrl = (id: string) => `/canvases/${encodeURIComponent(id)}/`;

function go(url: string) {
  window.location.assign(url);
}

function formatUpdated(iso?: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : `updated ${date.toLocaleString()}`;
}

function NewCanvasForm() {
  const create = useCanvasList((s) => s.create);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [detail, setDetail] = useState("");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    setDetail("");
    try {
      const canvas = await create(name.trim());
      go(editorUrl(canvas.id));
    } catch (error) {
      setDetail(describeError(error, "create the canvas"));
      if (error instanceof ApiError) setErrors(error.errors);
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} data-testid="new-canvas-form">
      <input
        aria-label="New canvas name"
        placeholder="New canvas name"
        data-testid="new-canvas-name"
        value={name}
        maxLength={200}
        required
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="button button--primary" disabled={busy || !name.trim()} data-testid="new-canvas-submit">
        Create
      </button>
      {detail ? <p className="error" role="alert">{detail}</p> : null}
      <ErrorList errors={errors} />
    </form>
  );
}

function CanvasRow({ canvas }: { canvas: CanvasSummary }) {
  const duplicate = useCanvasList((s) => s.duplicate);
  const remove = useCanvasList((s) => s.remove);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setError("");
    try {
      await action();
    } catch (err) {
      setError(describeError(err, what));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li data-testid="canvas-item" data-canvas-id={canvas.id}>
      <div className="canvas-list__main">
        <a href={editorUrl(canvas.id)}>{canvas.name}</a>
        {canvas.description ? <p className="muted">{canvas.description}</p> : null}
        <p className="muted canvas-list__meta">
          {canvas.latest_version ? `v${canvas.latest_version}` : "never saved"}
          {canvas.owner ? ` · ${canvas.owner}` : ""} {formatUpdated(canvas.updated)}
        </p>
        {error ? <p className="error" role="alert">{error}</p> : null}
      </div>
      <div className="canvas-list__actions">
        <button
          type="button"
          className="button button--small"
          data-testid="canvas-duplicate"
          disabled={busy}
          onClick={() => void run("duplicate", () => duplicate(canvas.id))}
        >
          Duplicate
        </button>
        <button
          type="button"
          className="button button--small button--danger"
          data-testid="canvas-delete"
          disabled={busy}
          onClick={() => {
            if (window.confirm(`Delete “${canvas.name}” and all its versions? This cannot be undone.`)) {
              void run("delete", () => remove(canvas.id));
            }
          }}
        >
          Delete
        </button>
      </div>
    </li>
  );
}

function CanvasList() {
  const { status, canvases, error, search } = useCanvasList();

  if (status === "idle" || (status === "loading" && canvases.length === 0)) {
    return <p className="muted">Loading canvases…</p>;
  }
  if (status === "error") {
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  }
  if (canvases.length === 0) {
    return <p className="muted">{search.trim() ? `No canvases match “${search.trim()}”.` : "No canvases yet."}</p>;
  }
  return (
    <ul className="canvas-list" data-testid="canvas-list">
      {canvases.map((canvas) => (
        <CanvasRow key={canvas.id} canvas={canvas} />
      ))}
    </ul>
  );
}

function SearchBox() {
  const search = useCanvasList((s) => s.search);
  const setSearch = useCanvasList((s) => s.setSearch);
  return (
    <input
      type="search"
      className="search"
      aria-label="Search canvases"
      placeholder="Search canvases"
      data-testid="canvas-search"
      value={search}
      onChange={(event) => setSearch(event.target.value)}
    />
  );
}

export function CanvasListPage() {
  const load = useCanvasList((state) => state.load);
  const search = useCanvasList((state) => state.search);
  const importYaml = useCanvasList((state) => state.importYaml);
  const [importing, setImporting] = useState(false);
  const [generating, setGenerating] = useState(false);
  const [browsing, setBrowsing] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => void load(controller.signal), search ? 250 : 0);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [load, search]);

  return (
    <div className="page">
      <AppHeader />
      <main className="content">
        <h1>Canvases</h1>
        <div className="list-toolbar">
          <SearchBox />
          <NewCanvasForm />
          <button type="button" className="button" data-testid="import-toggle" aria-expanded={importing} onClick={() => setImporting((open) => !open)}>
            Import YAML…
          </button>
          <button type="button" className="button" data-testid="templates-toggle" aria-expanded={browsing} onClick={() => setBrowsing((open) => !open)}>
            Start from a template…
          </button>
          <button type="button" className="button" data-testid="generate-toggle" aria-expanded={generating} onClick={() => setGenerating((open) => !open)}>
            Generate from a goal…
          </button>
        </div>
        {browsing ? (
          <section className="panel" aria-label="Templates">
            <h2 className="panel-title">Templates</h2>
            <TemplatesGallery onCreated={(id) => go(editorUrl(id))} />
          </section>
        ) : null}
        {generating ? (
          <section className="panel" aria-label="Generate from a goal">
            <GenerateFromGoalForm onCreated={(id) => go(editorUrl(id))} />
          </section>
        ) : null}
        {importing ? (
          <section className="panel" aria-label="Import YAML">
            <YamlImportForm
              withName
              submitLabel="Import as a new canvas"
              onImport={async (file, name) => {
                const canvas = await importYaml(file, name);
                go(editorUrl(canvas.id));
              }}
            />
          </section>
        ) : null}
        <CanvasList />
      </main>
    </div>
  );
}
