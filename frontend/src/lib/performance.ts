// Size and zoom thresholds above which the editor trades exactness for speed.

import type { ReactFlowState } from "@xyflow/react";

/** Above this many nodes React Flow gets only a window around the view (lib/renderWindow.ts),
 * and nodes start with estimated sizes (lib/nodeSize.ts) so that nothing is rendered just to be
 * measured. */
export const BIG_GRAPH_NODES = 300;

/** Above this many nodes the minimap is painted on one canvas (panels/CanvasMiniMap.tsx)
 * instead of React Flow's MiniMap, which mounts an SVG component (and a store subscription)
 * per node and repaints them all on every pan frame: the same threshold as rendering only
 * the window around the view, which React Flow's minimap would otherwise undo (and it would
 * show only the window). */
export const BIG_GRAPH_MINIMAP_NODES = BIG_GRAPH_NODES;

/** Below this zoom node text is unreadable: nodes render as labelled boxes and edges as
 * straight lines (level of detail). */
export const DETAIL_ZOOM = 0.35;

/** Store selector: are we zoomed out past DETAIL_ZOOM? A boolean, so panning re-renders nothing. */
export const zoomedOut = (s: ReactFlowState) => s.transform[2] < DETAIL_ZOOM;
