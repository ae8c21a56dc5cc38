// The editor's commands, shared by the toolbar and the keyboard shortcuts.

import { useReactFlow } from "@xyflow/react";
import { useMemo } from "react";

import { useReadableFit } from "./useReadableFit";

import { ApiError, describeError } from "../api/client";
import { downloadBlob } from "../lib/download";
import { freeSpot } from "../lib/freeSpot";
import { NODE_WIDTH, WIDE_NODE_WIDTH } from "../lib/nodeSize";
import { createNode } from "../lib/nodeFactory";
import { createNote, NOTE_TYPE } from "../lib/notes";
import { normaliseProblems, useCanvasDoc } from "../store/canvasDoc";
import { useComponents } from "../store/components";
import { useEditorUi } from "../store/editorUi";
import { useGraph } from "../store/graph";
import { useValidation } from "../store/validation";

const NEW_NODE_HEIGHT = 80; // a node's height before it is measured

export function useEditorActions() {
  const flow = useReactFlow();
  const fitReadable = useReadableFit();
  return useMemo(() => {
    const ui = () => useEditorUi.getState();
    const graph = () => useGraph.getState();
    const previewing = () => useCanvasDoc.getState().preview !== null;

    const addNodeAt = (type: string, position: { x: number; y: number }) => {
      const spec = useComponents.getState().byType[type];
      if ((!spec && type !== NOTE_TYPE) || previewing()) return;
      const ids = new Set(graph().nodes.map((n) => n.id));
      const taken = (id: string) => ids.has(id);
      graph().addNode(spec ? createNode(spec, position, taken) : createNote(position, taken));
      ui().setSide("properties");
    };

    return {
      addNodeAt,
      /** Palette Enter / double-click: the middle of the visible canvas, or the free place nearest it. */
      addNodeInView: (type: string) => {
        const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
        const center = pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: 400, y: 300 };
        const at = flow.screenToFlowPosition(center);
        const taken = graph().nodes.map((n) => ({
          ...n.position,
          width: n.measured?.width ?? NODE_WIDTH,
          height: n.measured?.height ?? NEW_NODE_HEIGHT,
        }));
        const size = { width: type === "coordinator" ? WIDE_NODE_WIDTH : NODE_WIDTH, height: NEW_NODE_HEIGHT };
        addNodeAt(type, freeSpot(at, size, taken));
      },
      layout: async () => {
        if (previewing()) return;
        const { nodes, edges } = graph();
        if (nodes.length === 0) return;
        // dagre is loaded on first use: most sessions never lay out.
        const { layoutGraph } = await import("../lib/layout");
        // Notes stay where their author put them: they annotate a place, not a step.
        const positions = layoutGraph(
          nodes.filter((n) => n.type !== NOTE_TYPE).map((n) => ({ id: n.id, width: n.measured?.width, height: n.measured?.height })),
          edges,
        );
        graph().setPositions(positions);
        window.requestAnimationFrame(() => fitReadable(300));
      },
      fit: () => fitReadable(300),
      undo: () => !previewing() && graph().undo(),
      redo: () => !previewing() && graph().redo(),
      copy: () => graph().copy() > 0,
      paste: () => {
        if (previewing()) return false;
        const count = graph().paste();
        if (count) ui().toast(`Pasted ${count} node${count === 1 ? "" : "s"}.`);
        return count > 0;
      },
      selectAll: () => graph().selectAll(),
      save: () => {
        if (!previewing()) ui().openDialog("save");
      },
      exportYaml: async () => {
        // The current state, saved or not; a draft's problems come back as YAML comments.
        try {
          const { blob, filename } = await useCanvasDoc.getState().exportYaml(flow.getViewport());
          downloadBlob(blob, filename);
          const errors = useValidation.getState().problems.filter((p) => p.severity !== "warning").length;
          if (errors) {
            ui().toast(`Exported a draft with ${errors} problem${errors === 1 ? "" : "s"}, listed as comments at the top of the file.`);
            ui().setProblemsOpen(true);
          }
        } catch (error) {
          if (error instanceof ApiError && error.errors.length) {
            useValidation.getState().setProblems(normaliseProblems(error.errors));
            ui().setProblemsOpen(true);
          }
          ui().toast(describeError(error, "export"), "error");
        }
      },
    };
  }, [flow, fitReadable]);
}

export type EditorActions = ReturnType<typeof useEditorActions>;
