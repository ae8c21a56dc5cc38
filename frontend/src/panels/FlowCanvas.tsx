// The React Flow canvas: the working graph (or a version previewed read-only), drops from the
// palette, connection rules, and undo checkpoints at the start of each drag.

import {
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type FinalConnectionState,
  type IsValidConnection,
  type Node,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";

import { edgeTypes } from "../edges";
import type { EditorActions } from "../hooks/useEditorActions";
import { useReadableFit } from "../hooks/useReadableFit";
import { useRenderWindow } from "../hooks/useRenderWindow";
import type { BatonEdge, BatonNode } from "../lib/graphTypes";
import { PALETTE_MIME } from "../lib/nodeFactory";
import { BIG_GRAPH_MINIMAP_NODES, BIG_GRAPH_NODES } from "../lib/performance";
import { windowedGraph } from "../lib/renderWindow";
import { nodeTypes } from "../nodes";
import { useCanvasDoc } from "../store/canvasDoc";
import { CanvasMiniMap } from "./CanvasMiniMap";
import { PanBackground } from "./PanBackground";
import { useEditorUi } from "../store/editorUi";
import { handlesOf } from "../store/components";
import { connectionProblemIn, useGraph } from "../store/graph";

const DELETE_KEYS = ["Delete", "Backspace"];
const MULTI_SELECT_KEYS = ["Control", "Meta"];
const NODE_ORIGIN_OFFSET = { x: 110, y: 40 };
const DEFAULT_VIEWPORT = { x: 40, y: 40, zoom: 1 };
const NOTHING = { nodes: [] as BatonNode[], edges: [] as BatonEdge[] };

const minimapNodeClass = (node: Node) => `minimap-node minimap-node--${node.type ?? "unknown"}`;

const isValidConnection: IsValidConnection<BatonEdge> = (connection) => {
  const { nodes, edges } = useGraph.getState();
  return connectionProblemIn(nodes, edges, connection) === null;
};

const onConnectEnd = (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
  if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
  const forward = state.fromHandle.type === "source";
  const source = forward ? state.fromHandle : state.toHandle;
  const target = forward ? state.toHandle : state.fromHandle;
  const { nodes, edges } = useGraph.getState();
  const reason = connectionProblemIn(nodes, edges, {
    source: source.nodeId,
    sourceHandle: source.id ?? null,
    target: target.nodeId,
    targetHandle: target.id ?? null,
  });
  if (reason) useEditorUi.getState().toast(`Not connected: ${reason}`, "error");
};

const checkpoint = () => useGraph.getState().checkpoint();

export function FlowCanvas({ actions }: { actions: EditorActions }) {
  const nodes = useGraph((s) => s.nodes);
  const edges = useGraph((s) => s.edges);
  const onNodesChange = useGraph((s) => s.onNodesChange);
  const onEdgesChange = useGraph((s) => s.onEdgesChange);
  const onConnect = useGraph((s) => s.onConnect);
  const preview = useCanvasDoc((s) => s.preview);
  const onPreviewNodesChange = useCanvasDoc((s) => s.onPreviewNodesChange);
  const flow = useReactFlow();
  // While the view pans or zooms, nodes and edges need no hover or hit-testing and the
  // viewport is composited as one layer (styles.css: .flow.is-moving). A class toggled on the
  // DOM, not React state: moving must not re-render anything.
  const wrapper = useRef<HTMLDivElement>(null);
  const onMoveStart = useCallback(() => wrapper.current?.classList.add("is-moving"), []);
  const onMoveEnd = useCallback(() => wrapper.current?.classList.remove("is-moving"), []);

  // Decided once, at mount: the viewport the canvas was saved with; otherwise fit a loaded
  // graph in view; an empty canvas starts at 100 % (fitting its first node would zoom in).
  const [initialView] = useState(() => {
    const saved = useCanvasDoc.getState().viewport;
    const fit = !saved && useGraph.getState().nodes.length > 0;
    return { viewport: saved ?? DEFAULT_VIEWPORT, fit };
  });

  const fitReadable = useReadableFit();
  const fitPending = useEditorUi((s) => s.fitPending);
  useEffect(() => {
    if (initialView.fit) useEditorUi.getState().requestFit();
  }, [initialView.fit]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!type) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      actions.addNodeAt(type, { x: at.x - NODE_ORIGIN_OFFSET.x, y: at.y - NODE_ORIGIN_OFFSET.y });
    },
    [flow, actions],
  );

  const shown: BatonNode[] = preview ? preview.nodes : nodes;
  const shownEdges: BatonEdge[] = preview ? preview.edges : edges;
  const readOnly = preview !== null;
  // A big graph: React Flow gets the window around the view, all of it rendered (lib/renderWindow.ts).
  const big = shown.length > BIG_GRAPH_NODES;
  const renderWindow = useRenderWindow(big);
  const flowGraph = useMemo(() => {
    if (!big) return { nodes: shown, edges: shownEdges };
    return renderWindow ? windowedGraph(shown, shownEdges, renderWindow, handlesOf) : NOTHING;
  }, [big, renderWindow, shown, shownEdges]);
  return (
    <div className="flow" ref={wrapper} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas" data-readonly={readOnly}>
      <ReactFlow<BatonNode, BatonEdge>
        nodes={flowGraph.nodes}
        edges={flowGraph.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={readOnly ? onPreviewNodesChange : onNodesChange}
        onEdgesChange={readOnly ? undefined : onEdgesChange}
        onConnect={readOnly ? undefined : onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onMoveStart={onMoveStart}
        onMoveEnd={onMoveEnd}
        onNodeDragStart={checkpoint}
        onSelectionDragStart={checkpoint}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable={!readOnly}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        defaultViewport={initialView.viewport}
        minZoom={0.05}
        maxZoom={2}
        colorMode="dark"
      >
        <PanBackground gap={24} />
        {shown.length > BIG_GRAPH_MINIMAP_NODES ? (
          <CanvasMiniMap nodes={shown} />
        ) : (
          <MiniMap pannable zoomable nodeClassName={minimapNodeClass} />
        )}
        <Controls onFitView={() => fitReadable()} />
        {fitPending ? <FitWhenMeasured /> : null}
      </ReactFlow>
    </div>
  );
}

/**
 * Fits the graph once its nodes are measured, at a zoom that keeps labels readable (not
 * fitView: it would shrink a big graph to specks and centre it, its start off-screen).
 * Mounted only while a fit is pending, so the measured-nodes check costs nothing otherwise.
 */
function FitWhenMeasured() {
  const fitReadable = useReadableFit();
  const nodesReady = useNodesInitialized();
  useEffect(() => {
    if (!nodesReady) return;
    useEditorUi.getState().requestFit(false);
    fitReadable();
  }, [nodesReady, fitReadable]);
  return null;
}
