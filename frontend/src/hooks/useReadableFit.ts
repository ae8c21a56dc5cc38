// Fit the graph in view without zooming below a readable size (lib/readableFit.ts).

import { useReactFlow } from "@xyflow/react";
import { useCallback } from "react";

import { boundsOf, readableViewport } from "../lib/readableFit";
import { useCanvasDoc } from "../store/canvasDoc";
import { useGraph } from "../store/graph";

export function useReadableFit(): (duration?: number) => void {
  const flow = useReactFlow();
  return useCallback(
    (duration = 0) => {
      // The whole graph from the editor's stores: React Flow holds only the part around the
      // view of a big one (lib/renderWindow.ts).
      const nodes = useCanvasDoc.getState().preview?.nodes ?? useGraph.getState().nodes;
      const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
      if (nodes.length === 0 || !pane) return;
      void flow.setViewport(readableViewport(boundsOf(nodes), pane), { duration });
    },
    [flow],
  );
}
