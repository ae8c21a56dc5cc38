// The run stream's client, without React: /ws/runs/<id>/?after=<last seq> through a
// ReconnectingSocket, events gated to exactly-once in-order (SeqGate), gaps the server does not
// fill by itself filled from GET /api/runs/<id>/events/, and the socket closed shortly after
// the run ends. A reconnect resumes after the last seq it delivered — never from 0 unless it
// delivered nothing. The server's heartbeat ({"type": "heartbeat", "last_seq": N}, every few
// seconds) names the run's last seq: a client behind it catches up from the events endpoint,
// so events lost with no later event to reveal the gap (a run's last ones) still arrive.

import { isTerminal, type EventsPage, type RunEvent } from "../../api/runs";
import { SeqGate } from "./seqGate";
import { ReconnectingSocket, wsUrl, type ConnectionState } from "./socket";

export interface RunStreamOptions {
  runId: string;
  /** Receives events in seq order, each exactly once. */
  onEvents: (events: RunEvent[]) => void;
  onState?: (state: ConnectionState, detail?: string) => void;
  fetchEvents: (runId: string, after: number, signal: AbortSignal) => Promise<EventsPage>;
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
  url?: (path: string) => string;
  gapFillMs?: number;
  lingerMs?: number;
}

function isEvent(message: unknown): message is RunEvent {
  return (
    message !== null &&
    typeof message === "object" &&
    typeof (message as RunEvent).seq === "number" &&
    typeof (message as RunEvent).type === "string"
  );
}

function isHeartbeat(message: unknown): message is { type: "heartbeat"; last_seq: number } {
  return (
    message !== null &&
    typeof message === "object" &&
    (message as { type?: unknown }).type === "heartbeat" &&
    typeof (message as { last_seq?: unknown }).last_seq === "number"
  );
}

export function isRunEnd(event: RunEvent): boolean {
  return event.type.startsWith("run.") && isTerminal(event.type.slice(4));
}

export class RunStreamClient {
  readonly gate = new SeqGate<RunEvent>(0);
  private readonly socket: ReconnectingSocket;
  private readonly abort = new AbortController();
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  private endTimer: ReturnType<typeof setTimeout> | null = null;
  private catchingUp = false;
  private readonly options: RunStreamOptions;

  constructor(options: RunStreamOptions) {
    this.options = options;
    const toUrl = options.url ?? wsUrl;
    this.socket = new ReconnectingSocket({
      url: () => toUrl(`/ws/runs/${encodeURIComponent(options.runId)}/?after=${this.gate.lastSeq}`),
      onState: options.onState,
      onMessage: (message) => this.receive(message),
      WebSocketImpl: options.WebSocketImpl,
      random: options.random,
    });
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.abort.abort();
    if (this.gapTimer !== null) clearTimeout(this.gapTimer);
    if (this.endTimer !== null) clearTimeout(this.endTimer);
    this.gapTimer = this.endTimer = null;
    this.socket.stop();
  }

  /** A message off the socket: an event, a heartbeat, or a {"type": "resync"} notice. */
  receive(message: unknown): void {
    if (isHeartbeat(message)) {
      if (message.last_seq > this.gate.lastSeq) void this.catchUp(message.last_seq);
      return;
    }
    // A resync notice means the server replays what we missed next; the gate drops
    // anything we already have, so it needs no action of its own.
    if (!isEvent(message)) return;
    this.deliver([message]);
    if (this.gate.hasGap && this.gapTimer === null && !this.abort.signal.aborted) {
      this.gapTimer = setTimeout(() => void this.fillGap(), this.options.gapFillMs ?? 1500);
    }
  }

  private deliver(events: RunEvent[]): void {
    const ready = this.gate.push(events);
    if (!ready.length) return;
    this.options.onEvents(ready);
    if (ready.some(isRunEnd) && this.endTimer === null) {
      // Stragglers (a step finishing after a cancel) get a moment; then the stream is done.
      this.endTimer = setTimeout(() => this.socket.stop(), this.options.lingerMs ?? 2000);
    }
  }

  /** Fetch events until the last delivered seq reaches `target` (a heartbeat's seq). */
  private async catchUp(target: number): Promise<void> {
    if (this.catchingUp || this.abort.signal.aborted) return;
    this.catchingUp = true;
    try {
      while (this.gate.lastSeq < target) {
        const page = await this.options.fetchEvents(this.options.runId, this.gate.lastSeq, this.abort.signal);
        if (!page.events.length) break;
        this.deliver(page.events);
      }
    } catch {
      // the next heartbeat, or the socket's replay on reconnect, tries again
    } finally {
      this.catchingUp = false;
    }
  }

  private async fillGap(): Promise<void> {
    this.gapTimer = null;
    try {
      while (this.gate.hasGap) {
        const page = await this.options.fetchEvents(this.options.runId, this.gate.lastSeq, this.abort.signal);
        this.deliver(page.events);
        if (!page.more || !page.events.length) break;
      }
    } catch {
      // the socket's replay on its next (re)connect covers it
    }
  }
}
