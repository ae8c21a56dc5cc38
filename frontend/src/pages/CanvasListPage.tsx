import { useEffect } from "react";

import { AppHeader } from "../components/AppHeader";
import { useCanvasList } from "../store/canvasList";

function CanvasList() {
  const { status, canvases, error } = useCanvasList();

  if (status === "idle" || status === "loading") {
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
    return <p className="muted">No canvases yet.</p>;
  }
  return (
    <ul className="canvas-list">
      {canvases.map((canvas) => (
        <li key={canvas.id}>
          <a href={`/canvases/${encodeURIComponent(canvas.id)}/`}>{canvas.name}</a>
          {canvas.description ? <p className="muted">{canvas.description}</p> : null}
        </li>
      ))}
    </ul>
  );
}

export function CanvasListPage() {
  const load = useCanvasList((state) => state.load);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  return (
    <div className="page">
      <AppHeader />
      <main className="content">
        <h1>Canvases</h1>
        <CanvasList />
      </main>
    </div>
  );
}
