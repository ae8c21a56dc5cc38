// Exactly-once, in-order delivery of a run's events by seq (docs/architecture.md): duplicates
// (seq ≤ last) are dropped, early arrivals wait until the gap before them is filled.

export interface Sequenced {
  seq: number;
}

export class SeqGate<T extends Sequenced> {
  private last: number;
  private readonly early = new Map<number, T>();

  constructor(last = 0) {
    this.last = last;
  }

  /** The highest seq delivered so far (what a reconnect asks to resume after). */
  get lastSeq(): number {
    return this.last;
  }

  /** True while events after a gap are held back. */
  get hasGap(): boolean {
    return this.early.size > 0;
  }

  /** Accepts events in any order; returns those now deliverable, in seq order. */
  push(events: readonly T[]): T[] {
    for (const event of events) {
      if (typeof event.seq !== "number" || event.seq <= this.last) continue;
      this.early.set(event.seq, event);
    }
    const ready: T[] = [];
    for (let next = this.early.get(this.last + 1); next; next = this.early.get(this.last + 1)) {
      this.early.delete(next.seq);
      this.last = next.seq;
      ready.push(next);
    }
    return ready;
  }
}
