import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider } from "@xyflow/react";

import { nodeTypes } from "../nodes";
import { AppHeader } from "../components/AppHeader";
import { useGraph } from "../store/graph";

export interface CanvasEditorProps {
  canvasId: string;
  name: string;
}

function Editor() {
  const { nodes, edges, onNodesChange, onEdgesChange, onConnect } = useGraph();
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      colorMode="dark"
      fitView
    >
      <Background />
      <MiniMap pannable zoomable />
      <Controls />
    </ReactFlow>
  );
}

export function CanvasEditorPage({ canvasId, name }: CanvasEditorProps) {
  return (
    <div className="page page--editor">
      <AppHeader>
        <h1 className="canvas-name" data-canvas-id={canvasId}>
          {name || "Untitled canvas"}
        </h1>
      </AppHeader>
      <main className="editor" aria-label="Canvas editor">
        <ReactFlowProvider>
          <Editor />
        </ReactFlowProvider>
      </main>
    </div>
  );
}
