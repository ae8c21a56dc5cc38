// Reconnect delays: exponential with jitter, capped. Pure, for testing with a fixed random.

export function backoffDelay(
  attempt: number,
  { baseMs = 500, maxMs = 15_000 }: { baseMs?: number; maxMs?: number } = {},
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
