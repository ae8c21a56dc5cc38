import { Handle, Position } from "@xyflow/react";
import { memo, useMemo } from "react";

import type { HandleSpec } from "../api/components";
import { placeHandles, type Side } from "../lib/handleLayout";

const POSITION: Record<Side, Position> = {
  left: Position.Left,
  right: Position.Right,
  top: Position.Top,
  bottom: Position.Bottom,
};

/** The component's handles, styled by role (flow, delegation, true/false, branches). */
export const NodeHandles = memo(function NodeHandles({ handles }: { handles: readonly HandleSpec[] }) {
  const placed = useMemo(() => placeHandles(handles), [handles]);
  return (
    <>
      {placed.map((handle) => {
        const vertical = handle.side === "left" || handle.side === "right";
        const style = vertical ? { top: `${handle.offset}%` } : { left: `${handle.offset}%` };
        const showLabel = handle.role !== "flow";
        return (
          <Handle
            key={handle.id}
            id={handle.id}
            type={handle.kind}
            position={POSITION[handle.side]}
            style={style}
            className={`handle handle--${handle.role} handle--${handle.kind}`}
            data-testid={`handle-${handle.id}`}
            title={handle.label || handle.id}
          >
            {showLabel ? <span className={`handle__label handle__label--${handle.side}`}>{handle.label || handle.id}</span> : null}
          </Handle>
        );
      })}
    </>
  );
});
