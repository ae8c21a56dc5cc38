// Undo/redo as a pair of snapshot stacks. Snapshots are immutable graph objects, so a push
// costs one reference, not a copy.

export interface History<T> {
  past: readonly T[];
  future: readonly T[];
}

export const HISTORY_LIMIT = 100;

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [] };
}

/** Record `snapshot` (the state *before* a change); a new change forgets the redo stack. */
export function record<T>(history: History<T>, snapshot: T, limit = HISTORY_LIMIT): History<T> {
  const past = [...history.past, snapshot];
  return { past: past.length > limit ? past.slice(past.length - limit) : past, future: [] };
}

/** Step back: the snapshot to restore, and the history with `current` on the redo stack. */
export function undo<T>(history: History<T>, current: T): { history: History<T>; snapshot: T } | null {
  const snapshot = history.past[history.past.length - 1];
  if (snapshot === undefined) return null;
  return {
    snapshot,
    history: { past: history.past.slice(0, -1), future: [current, ...history.future] },
  };
}

export function redo<T>(history: History<T>, current: T): { history: History<T>; snapshot: T } | null {
  const snapshot = history.future[0];
  if (snapshot === undefined) return null;
  return {
    snapshot,
    history: { past: [...history.past, current], future: history.future.slice(1) },
  };
}
