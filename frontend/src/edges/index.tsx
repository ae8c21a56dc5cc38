// Edge-type registry (module level, like nodeTypes: React Flow never sees a new object). Every
// edge is drawn as React Flow's bezier with its hover/click area near, and as a bare straight
// line, with no hit area, when zoomed out past the level where nodes become labelled boxes:
// a 5,000-node graph zoomed to fit draws one thin path per edge instead of two curved ones.

import { BaseEdge, BezierEdge, useStore, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import { memo } from "react";

import { zoomedOut } from "../lib/performance";

const LevelOfDetailEdge = memo(function LevelOfDetailEdge(props: EdgeProps) {
  // A boolean selector: panning changes the transform, not this value, so no edge re-renders.
  const farOut = useStore(zoomedOut);
  if (!farOut) return <BezierEdge {...props} />;
  const { id, sourceX, sourceY, targetX, targetY, style, markerEnd } = props;
  return (
    <BaseEdge
      id={id}
      path={`M${sourceX},${sourceY}L${targetX},${targetY}`}
      style={style}
      markerEnd={markerEnd}
      interactionWidth={0}
    />
  );
});

export const edgeTypes: EdgeTypes = { default: LevelOfDetailEdge };
