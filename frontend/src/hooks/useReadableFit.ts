// Fit the graph in view without zooming below a readable size (lib/readableFit.ts).

import { useReactFlow } from "@xyflow/react";
import { useCallback } from "react";

import { readableViewport } from "../lib/readableFit";

export function useReadableFit(): (duration?: number) => void {
  const flow = useReactFlow();
  return useCallback(
    (duration = 0) => {
      const nodes = flow.getNodes();
      const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
      if (nodes.length === 0 || !pane) return;
      void flow.setViewport(readableViewport(flow.getNodesBounds(nodes), pane), { duration });
    },
    [flow],
  );
}
