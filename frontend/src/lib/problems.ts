// Validation problems (POST validate/ or a save) indexed for the UI: per node, per edge, per
// field of a node, and the ones that belong to the graph as a whole.

import type { Problem } from "../api/canvases";

export interface ProblemIndex {
  byNode: Record<string, Problem[]>;
  byEdge: Record<string, Problem[]>;
  general: Problem[];
  errors: number;
  warnings: number;
}

export function indexProblems(problems: readonly Problem[]): ProblemIndex {
  const index: ProblemIndex = { byNode: {}, byEdge: {}, general: [], errors: 0, warnings: 0 };
  for (const problem of problems) {
    if (problem.severity === "warning") index.warnings += 1;
    else index.errors += 1;
    if (problem.node) (index.byNode[problem.node] ??= []).push(problem);
    if (problem.edge) (index.byEdge[problem.edge] ??= []).push(problem);
    if (!problem.node && !problem.edge) index.general.push(problem);
  }
  return index;
}

/**
 * Messages per field path for one node: "data.config.temperature" → ["…"]. A problem on a
 * nested field also marks nothing else; a problem without a field is under "".
 */
export function problemsByField(problems: readonly Problem[] | undefined): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const problem of problems ?? []) {
    (byField[problem.field ?? ""] ??= []).push(problem.message);
  }
  return byField;
}

/** The worst severity of a list, for colouring a marker. */
export function worstSeverity(problems: readonly Problem[] | undefined): "error" | "warning" | null {
  if (!problems || problems.length === 0) return null;
  return problems.some((problem) => problem.severity !== "warning") ? "error" : "warning";
}
