// Every validation problem; clicking one selects its node (or edge) and brings it into view.

import { useReactFlow } from "@xyflow/react";

import type { Problem } from "../api/canvases";
import { boundsOf } from "../lib/readableFit";
import { useEditorUi } from "../store/editorUi";
import { useGraph } from "../store/graph";
import { useValidation } from "../store/validation";

/** The zoom a problem's node is shown at (fitting one node in the pane would zoom further in). */
const REVEAL_ZOOM = 1.2;

export function ProblemsPanel() {
  const problems = useValidation((s) => s.problems);
  const status = useValidation((s) => s.status);
  const error = useValidation((s) => s.error);
  const close = useEditorUi((s) => s.setProblemsOpen);
  const select = useGraph((s) => s.select);
  const flow = useReactFlow();

  const reveal = (problem: Problem) => {
    if (problem.node) {
      select([problem.node]);
      // Centred from the graph store: React Flow may not hold a node far from the view of a
      // big graph (lib/renderWindow.ts).
      const node = useGraph.getState().nodes.find((n) => n.id === problem.node);
      if (node) {
        const { x, y, width, height } = boundsOf([node]);
        void flow.setCenter(x + width / 2, y + height / 2, { zoom: REVEAL_ZOOM, duration: 300 });
      }
      useEditorUi.getState().setSide("properties");
    } else if (problem.edge) {
      select([], [problem.edge]);
      useEditorUi.getState().setSide("properties");
    }
  };

  return (
    <section className="problems-panel" aria-label="Problems" data-testid="problems-panel">
      <header>
        <h2 className="panel-title">
          Problems <span className="muted">{status === "checking" ? "checking…" : `${problems.length}`}</span>
        </h2>
        <button type="button" className="icon-button" aria-label="Close problems" onClick={() => close(false)}>
          ×
        </button>
      </header>
      {status === "error" ? <p className="error">{error}</p> : null}
      {problems.length === 0 && status !== "error" ? <p className="muted">No problems: the canvas is valid.</p> : null}
      <ul>
        {problems.map((problem, i) => (
          <li key={i}>
            <button
              type="button"
              className={`problem problem--${problem.severity}`}
              data-testid="problem-item"
              data-node={problem.node ?? ""}
              onClick={() => reveal(problem)}
              disabled={!problem.node && !problem.edge}
            >
              <span className="problem__severity">{problem.severity === "warning" ? "warning" : "error"}</span>
              {problem.node ? <code>{problem.node}</code> : problem.edge ? <code>edge {problem.edge}</code> : null}
              <span className="problem__message">{problem.message}</span>
              {problem.field ? <span className="muted problem__field">{problem.field}</span> : null}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
