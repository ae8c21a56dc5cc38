import { describe, expect, it } from "vitest";

import { backoffDelay } from "./backoff";
import { SeqGate } from "./seqGate";

const e = (seq: number) => ({ seq });

describe("SeqGate", () => {
  it("delivers in order and drops duplicates", () => {
    const gate = new SeqGate();
    expect(gate.push([e(1), e(2)]).map((x) => x.seq)).toEqual([1, 2]);
    expect(gate.push([e(2), e(1)])).toEqual([]);
    expect(gate.lastSeq).toBe(2);
  });

  it("holds early events until the gap is filled", () => {
    const gate = new SeqGate(3);
    expect(gate.push([e(5), e(6)])).toEqual([]);
    expect(gate.hasGap).toBe(true);
    expect(gate.push([e(4)]).map((x) => x.seq)).toEqual([4, 5, 6]);
    expect(gate.hasGap).toBe(false);
  });
});

describe("backoffDelay", () => {
  it("grows exponentially to a cap, with jitter in the upper half", () => {
    expect(backoffDelay(0, {}, () => 0)).toBe(250);
    expect(backoffDelay(0, {}, () => 1)).toBe(500);
    expect(backoffDelay(3, {}, () => 1)).toBe(4000);
    expect(backoffDelay(20, {}, () => 1)).toBe(15000);
  });
});
