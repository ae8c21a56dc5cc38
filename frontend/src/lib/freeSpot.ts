// Where to put a node added from the palette with Enter: the middle of the view if it is free,
// otherwise the nearest free place around it (rings of candidates, nearest first), so new
// nodes never land on top of existing ones.

import type { Rect } from "./readableFit";

export interface Size {
  width: number;
  height: number;
}

const GAP = 24; // clear space kept around the new node
const STEP = 40;
const RINGS = 40;

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;
}

/** Top-left corner for a node of `size` centred as near `centre` as the `taken` boxes allow. */
export function freeSpot(centre: { x: number; y: number }, size: Size, taken: readonly Rect[]): { x: number; y: number } {
  const origin = { x: Math.round(centre.x - size.width / 2), y: Math.round(centre.y - size.height / 2) };
  const near = taken.filter((r) => Math.abs(r.x - origin.x) < (RINGS + 2) * STEP + r.width && Math.abs(r.y - origin.y) < (RINGS + 2) * STEP + r.height);
  const free = (x: number, y: number) => !near.some((r) => overlaps({ x, y, ...size }, r));
  if (free(origin.x, origin.y)) return origin;
  for (let ring = 1; ring <= RINGS; ring++) {
    const candidates: { x: number; y: number; d: number }[] = [];
    for (let i = -ring; i <= ring; i++) {
      const sides: [number, number][] = [
        [i, -ring],
        [i, ring],
        [-ring, i],
        [ring, i],
      ];
      for (const [dx, dy] of sides) {
        candidates.push({ x: origin.x + dx * STEP, y: origin.y + dy * STEP, d: dx * dx + dy * dy });
      }
    }
    candidates.sort((a, b) => a.d - b.d);
    const spot = candidates.find((c) => free(c.x, c.y));
    if (spot) return { x: spot.x, y: spot.y };
  }
  return origin; // a view packed solid: fall back to the middle
}
