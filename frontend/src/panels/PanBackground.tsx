// The canvas's dotted background, moved by the compositor. React Flow's <Background> shifts
// its SVG pattern by the view's offset, so every pan frame repaints and re-rasterises the
// whole pane (about half the raster work of a pan). Here the pattern changes only with the
// zoom; panning translates one layer a tile larger than the pane on each side, by the offset
// modulo the tile, written straight to the DOM from a store subscription: nothing re-renders
// or repaints while the view moves. Same look and classes as React Flow's dots.

import { useStore, useStoreApi, type ReactFlowState } from "@xyflow/react";
import { useId, useLayoutEffect, useRef } from "react";

import { tileOffset } from "../lib/tileOffset";

const zoomOf = (s: ReactFlowState) => s.transform[2];

export function PanBackground({ gap = 24, size = 1 }: { gap?: number; size?: number }) {
  const store = useStoreApi();
  const zoom = useStore(zoomOf);
  const layer = useRef<SVGSVGElement>(null);
  const patternId = `pan-background-${useId().replace(/:/g, "")}`;
  const tile = gap * zoom || 1;
  const radius = (size * zoom) / 2;

  useLayoutEffect(() => {
    const place = (transform: ReactFlowState["transform"]) => {
      const [dx, dy] = tileOffset(transform[0], transform[1], tile);
      if (layer.current) layer.current.style.transform = `translate(${dx}px, ${dy}px)`;
    };
    place(store.getState().transform);
    return store.subscribe((state, previous) => {
      if (state.transform !== previous.transform) place(state.transform);
    });
  }, [store, tile]);

  return (
    <svg
      ref={layer}
      className="react-flow__background pan-background"
      data-testid="pan-background"
      style={{ width: `calc(100% + ${2 * tile}px)`, height: `calc(100% + ${2 * tile}px)` }}
    >
      {/* Dots where React Flow's <Background> puts them: the tile's centre, shifted by half a tile. */}
      <pattern
        id={patternId}
        x={0}
        y={0}
        width={tile}
        height={tile}
        patternUnits="userSpaceOnUse"
        patternTransform={`translate(-${tile / 2},-${tile / 2})`}
      >
        <circle cx={radius} cy={radius} r={radius} className="react-flow__background-pattern dots" />
      </pattern>
      <rect x="0" y="0" width="100%" height="100%" fill={`url(#${patternId})`} />
    </svg>
  );
}
