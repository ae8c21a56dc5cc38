// The minimap of a big graph, drawn on one <canvas>: React Flow's MiniMap mounts one SVG
// component (and one store subscription) per node, which for thousands of nodes costs seconds
// at load and work on every pan. Here the nodes are painted when the graph changes, and only
// the viewport frame follows panning. Click or drag on it to move the view there.

import { Panel, useReactFlow, useStore, type ReactFlowState } from "@xyflow/react";
import { useEffect, useMemo, useRef, type PointerEvent } from "react";
import { shallow } from "zustand/shallow";

import type { BatonNode } from "../lib/graphTypes";
import { NODE_WIDTH } from "../lib/nodeSize";

const WIDTH = 200;
const HEIGHT = 150;
const PAD = 0.05;
const DEFAULT_HEIGHT = 60;

// The same colours as the SVG minimap (styles.css, .minimap-node--<type>).
const COLOURS: Record<string, string> = {
  begin: "#3ecf8e",
  interact: "#3ecf8e",
  coordinator: "#b58cff",
  human_approval: "#f5a623",
  human_input: "#f5a623",
  condition: "#4fc3d9",
  parallel: "#4fc3d9",
  wait: "#4fc3d9",
  sub_plan: "#4fc3d9",
  transform: "#4fc3d9",
};
const DEFAULT_COLOUR = "#5b8cff";

const viewport = (s: ReactFlowState) => ({
  x: s.transform[0],
  y: s.transform[1],
  zoom: s.transform[2],
  width: s.width,
  height: s.height,
});

interface Frame {
  x: number;
  y: number;
  scale: number;
}

function frameOf(nodes: readonly BatonNode[]): Frame {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const node of nodes) {
    const { x, y } = node.position;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + (node.measured?.width ?? NODE_WIDTH));
    maxY = Math.max(maxY, y + (node.measured?.height ?? DEFAULT_HEIGHT));
  }
  if (!Number.isFinite(minX)) return { x: 0, y: 0, scale: 1 };
  const width = (maxX - minX) * (1 + 2 * PAD) || 1;
  const height = (maxY - minY) * (1 + 2 * PAD) || 1;
  const scale = Math.min(WIDTH / width, HEIGHT / height);
  // Centre the graph in the minimap.
  return {
    x: minX - (WIDTH / scale - (maxX - minX)) / 2,
    y: minY - (HEIGHT / scale - (maxY - minY)) / 2,
    scale,
  };
}

export function CanvasMiniMap({ nodes }: { nodes: readonly BatonNode[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useMemo(() => frameOf(nodes), [nodes]);
  const view = useStore(viewport, shallow);
  const flow = useReactFlow();

  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context) return;
    context.clearRect(0, 0, WIDTH, HEIGHT);
    for (const node of nodes) {
      context.fillStyle = COLOURS[node.type ?? ""] ?? DEFAULT_COLOUR;
      const width = (node.measured?.width ?? NODE_WIDTH) * frame.scale;
      const height = (node.measured?.height ?? DEFAULT_HEIGHT) * frame.scale;
      context.fillRect(
        (node.position.x - frame.x) * frame.scale,
        (node.position.y - frame.y) * frame.scale,
        Math.max(1, width),
        Math.max(1, height),
      );
    }
  }, [nodes, frame]);

  const moveTo = (event: PointerEvent<HTMLDivElement>) => {
    if (event.type === "pointermove" && event.buttons !== 1) return;
    const box = event.currentTarget.getBoundingClientRect();
    const x = frame.x + (event.clientX - box.left) / frame.scale;
    const y = frame.y + (event.clientY - box.top) / frame.scale;
    flow.setCenter(x, y, { zoom: view.zoom });
  };

  const left = (-view.x / view.zoom - frame.x) * frame.scale;
  const top = (-view.y / view.zoom - frame.y) * frame.scale;
  return (
    <Panel position="bottom-right" className="canvas-minimap" data-testid="canvas-minimap">
      <div className="canvas-minimap__body" onPointerDown={moveTo} onPointerMove={moveTo}>
        <canvas ref={canvas} width={WIDTH} height={HEIGHT} />
        <div
          className="canvas-minimap__view"
          data-testid="canvas-minimap-view"
          // Moved by a transform (its own layer): following a pan repaints nothing.
          style={{
            transform: `translate(${left}px, ${top}px)`,
            width: (view.width / view.zoom) * frame.scale,
            height: (view.height / view.zoom) * frame.scale,
          }}
        />
      </div>
    </Panel>
  );
}
