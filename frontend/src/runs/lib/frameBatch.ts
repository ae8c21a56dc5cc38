// Coalesces bursts (agent.delta at stream speed) into one flush per animation frame, with a
// timer fallback so a hidden tab (no frames) still catches up.

export class FrameBatch<T> {
  private items: T[] = [];
  private frame: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly flushTo: (items: T[]) => void;
  private readonly fallbackMs: number;

  constructor(flushTo: (items: T[]) => void, fallbackMs = 250) {
    this.flushTo = flushTo;
    this.fallbackMs = fallbackMs;
  }

  push(...items: T[]): void {
    if (!items.length) return;
    this.items.push(...items);
    if (this.frame === null && typeof requestAnimationFrame === "function") {
      this.frame = requestAnimationFrame(() => this.flush());
    }
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.fallbackMs);
  }

  flush(): void {
    this.cancel();
    if (!this.items.length) return;
    const items = this.items;
    this.items = [];
    this.flushTo(items);
  }

  /** Drops scheduled work (not the items): call flush() or dispose(). */
  cancel(): void {
    if (this.frame !== null && typeof cancelAnimationFrame === "function") cancelAnimationFrame(this.frame);
    if (this.timer !== null) clearTimeout(this.timer);
    this.frame = null;
    this.timer = null;
  }

  dispose(): void {
    this.cancel();
    this.items = [];
  }
}
