// Reachability over flow edges, for refusing a connection that would close a cycle.

export type Adjacency = ReadonlyMap<string, readonly string[]>;

/** A path from `from` to `to` following `adjacency` (breadth-first, O(V + E)), or null. */
export function findPath(adjacency: Adjacency, from: string, to: string): string[] | null {
  if (from === to) return [from];
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head]!;
    for (const next of adjacency.get(node) ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, node);
      if (next === to) {
        const path = [to];
        let step = node;
        while (step !== from) {
          path.push(step);
          step = previous.get(step)!;
        }
        path.push(from);
        return path.reverse();
      }
      queue.push(next);
    }
  }
  return null;
}
