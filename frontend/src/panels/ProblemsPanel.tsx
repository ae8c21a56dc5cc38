// Every validation problem; clicking one selects its node (or edge) and brings it into view.

import { useReactFlow } from "@xyflow/react";

import type { Problem } from "../api/canvases";
import { useEditorUi } from "../store/editorUi";
import { useGraph } from "../store/graph";
import { useValidation } from "../store/validation";

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
      void flow.fitView({ nodes: [{ id: problem.node }], duration: 300, maxZoom: 1.2 });
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
