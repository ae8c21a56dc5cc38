// While a connection is dragged over a handle that refuses it, say why.

import { useConnection } from "@xyflow/react";

import { useGraph, connectionProblemIn } from "../store/graph";

export function ConnectionHint() {
  const connection = useConnection();
  if (!connection.inProgress || !connection.toHandle || connection.isValid !== false) return null;
  const { fromHandle, toHandle } = connection;
  const forward = fromHandle.type === "source";
  const source = forward ? fromHandle : toHandle;
  const target = forward ? toHandle : fromHandle;
  const { nodes, edges } = useGraph.getState();
  const reason = connectionProblemIn(nodes, edges, {
    source: source.nodeId,
    sourceHandle: source.id ?? null,
    target: target.nodeId,
    targetHandle: target.id ?? null,
  });
  if (!reason) return null;
  return (
    <div className="connection-hint" role="status" data-testid="connection-hint">
      {reason}
    </div>
  );
}
