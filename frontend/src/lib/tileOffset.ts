// Where a repeating background layer sits for a view offset (panels/PanBackground.tsx).

/** `value` modulo `step`, in [0, step) for negative values too. */
export function wrap(value: number, step: number): number {
  return ((value % step) + step) % step;
}

/** The translation of a layer one tile larger than the pane on each side, for the view's
 * offset (x, y): in [-tile, 0) on both axes, so the layer always covers the pane, and the
 * same modulo the tile as the offset, so the pattern moves with the view. */
export function tileOffset(x: number, y: number, tile: number): [number, number] {
  return [wrap(x, tile) - tile, wrap(y, tile) - tile];
}
