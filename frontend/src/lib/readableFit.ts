// "Fit" that keeps labels readable: fit the whole graph when it fits at READABLE_ZOOM or more;
// otherwise stay at READABLE_ZOOM and show where the flow starts (the left edge, centred
// vertically when it fits), instead of shrinking a big graph to unreadable specks.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface View {
  x: number;
  y: number;
  zoom: number;
}

/** Node labels (13 px) stay legible down to about this zoom. */
export const READABLE_ZOOM = 0.6;
const MAX_FIT_ZOOM = 1;
const PADDING = 40;

export function readableViewport(bounds: Rect, pane: { width: number; height: number }): View {
  const room = { width: Math.max(1, pane.width - 2 * PADDING), height: Math.max(1, pane.height - 2 * PADDING) };
  const fitZoom = Math.min(room.width / Math.max(1, bounds.width), room.height / Math.max(1, bounds.height));
  const zoom = Math.min(MAX_FIT_ZOOM, Math.max(READABLE_ZOOM, fitZoom));
  const place = (start: number, size: number, paneSize: number, roomSize: number) =>
    size * zoom <= roomSize
      ? paneSize / 2 - (start + size / 2) * zoom // centred
      : PADDING - start * zoom; // too big: its start (left / top edge) in view
  return {
    x: place(bounds.x, bounds.width, pane.width, room.width),
    y: place(bounds.y, bounds.height, pane.height, room.height),
    zoom,
  };
}

/** The box around the nodes (flow coordinates), sized as measured or estimated. */
export function boundsOf(nodes: readonly { position: { x: number; y: number }; measured?: { width?: number; height?: number } }[]): Rect {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const { position, measured } of nodes) {
    minX = Math.min(minX, position.x);
    minY = Math.min(minY, position.y);
    maxX = Math.max(maxX, position.x + (measured?.width ?? 0));
    maxY = Math.max(maxY, position.y + (measured?.height ?? 0));
  }
  if (!Number.isFinite(minX)) return { x: 0, y: 0, width: 0, height: 0 };
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}
