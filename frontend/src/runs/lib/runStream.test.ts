import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { EventsPage, RunEvent } from "../../api/runs";
import { RunStreamClient } from "./runStream";
import { RUN, docsAssistantRun } from "./testEvents";

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  readonly url: string;

  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  send(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  close() {
    this.readyState = 3;
  }
}

function client(extra: Partial<ConstructorParameters<typeof RunStreamClient>[0]> = {}) {
  const received: RunEvent[] = [];
  const states: string[] = [];
  const stream = new RunStreamClient({
    runId: RUN,
    onEvents: (events) => received.push(...events),
    onState: (state) => states.push(state),
    fetchEvents: () => Promise.reject(new Error("not expected")),
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    random: () => 0,
    url: (path) => `ws://test${path}`,
    ...extra,
  });
  return { stream, received, states };
}

describe("RunStreamClient", () => {
  const events = docsAssistantRun();
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  it("starts from 0, and reconnects after the last seq it delivered", () => {
    const { stream, received } = client();
    stream.start();
    const first = FakeSocket.all[0]!;
    expect(first.url).toBe(`ws://test/ws/runs/${RUN}/?after=0`);
    first.open();
    events.slice(0, 5).forEach((e) => first.send(e));
    first.drop();

    vi.advanceTimersByTime(1000);
    const second = FakeSocket.all[1]!;
    expect(second.url).toBe(`ws://test/ws/runs/${RUN}/?after=5`);
    second.open();
    // the server replays from 6; an overlapping duplicate is dropped
    events.slice(4, 8).forEach((e) => second.send(e));
    expect(received.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    stream.stop();
  });

  it("takes a resync notice and the replay that follows without doubling anything", () => {
    const { stream, received } = client();
    stream.start();
    const socket = FakeSocket.all[0]!;
    socket.open();
    events.slice(0, 3).forEach((e) => socket.send(e));
    socket.send(events[5]); // live event past a gap: held back
    socket.send({ type: "resync", run: RUN, after: 3 });
    events.slice(3, 7).forEach((e) => socket.send(e));

    expect(received.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    stream.stop();
  });

  it("fills a gap the server leaves open from the events endpoint", async () => {
    const fetchEvents = vi.fn(
      (_run: string, after: number): Promise<EventsPage> =>
        Promise.resolve({ run: RUN, status: "running", last_seq: 4, more: false, events: events.slice(after, 4) }),
    );
    const { stream, received } = client({ fetchEvents, gapFillMs: 100 });
    stream.start();
    const socket = FakeSocket.all[0]!;
    socket.open();
    socket.send(events[0]);
    socket.send(events[4]); // 2..4 missing

    await vi.advanceTimersByTimeAsync(150);
    expect(fetchEvents).toHaveBeenCalledWith(RUN, 1, expect.anything());
    expect(received.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    stream.stop();
  });

  it("catches up from the events endpoint when a heartbeat says it is behind", async () => {
    const fetchEvents = vi.fn(
      (_run: string, after: number): Promise<EventsPage> =>
        Promise.resolve({ run: RUN, status: "failed", last_seq: 6, more: false, events: events.slice(after, 6) }),
    );
    const { stream, received } = client({ fetchEvents });
    stream.start();
    const socket = FakeSocket.all[0]!;
    socket.open();
    events.slice(0, 3).forEach((e) => socket.send(e));
    socket.send({ type: "heartbeat", run: RUN, last_seq: 3 }); // level: nothing to do
    expect(fetchEvents).not.toHaveBeenCalled();

    socket.send({ type: "heartbeat", run: RUN, last_seq: 6 }); // 4..6 never arrived live
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchEvents).toHaveBeenCalledWith(RUN, 3, expect.anything());
    expect(received.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    stream.stop();
  });

  it("stops for good when the server refuses (4404), and after the run ends", () => {
    const refused = client();
    refused.stream.start();
    FakeSocket.all[0]!.drop(4404);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(refused.states).toContain("refused");

    const ended = client({ lingerMs: 500 });
    ended.stream.start();
    const socket = FakeSocket.all[1]!;
    socket.open();
    events.forEach((e) => socket.send(e));
    vi.advanceTimersByTime(600);
    expect(ended.states.at(-1)).toBe("closed");
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(2);
  });
});
