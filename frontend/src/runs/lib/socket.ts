// A websocket that reconnects with backoff until stopped or refused (close codes 44xx).
// The URL is computed per connection, so a run stream resumes ?after=<last seq>.

import { backoffDelay } from "./backoff";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed" | "refused";

/** Close codes the server uses to refuse for good: unauthenticated, not visible, bad request. */
export const REFUSAL_CODES: Record<number, string> = {
  4401: "Your session has ended: sign in again to follow this run.",
  4404: "This run or canvas is not visible to you.",
  4400: "The server refused the stream request.",
};

export interface SocketOptions {
  url: () => string;
  onMessage: (message: unknown) => void;
  onState?: (state: ConnectionState, detail?: string) => void;
  /** Called after every (re)open, before messages: a chance to reset per-connection state. */
  onOpen?: () => void;
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
}

export function wsUrl(path: string, location: Pick<Location, "protocol" | "host"> = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

export class ReconnectingSocket {
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private stopped = false;
  private readonly options: SocketOptions;

  constructor(options: SocketOptions) {
    this.options = options;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Closes for good: no reconnect. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= 1) socket.close(1000, "done");
    this.options.onState?.("closed");
  }

  private connect(): void {
    if (this.stopped) return;
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    this.options.onState?.(this.attempts === 0 ? "connecting" : "reconnecting");
    let socket: WebSocket;
    try {
      socket = new Impl(this.options.url());
    } catch {
      this.schedule();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.options.onOpen?.();
      this.options.onState?.("open");
    };
    socket.onmessage = (message: MessageEvent) => {
      if (this.socket !== socket) return;
      this.attempts = 0; // a delivered message proves the connection healthy
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(message.data));
      } catch {
        return;
      }
      this.options.onMessage(parsed);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      const refusal = REFUSAL_CODES[event.code];
      if (refusal) {
        this.stopped = true;
        this.options.onState?.("refused", refusal);
        return;
      }
      this.schedule();
    };
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempts, {}, this.options.random);
    this.attempts += 1;
    this.options.onState?.("reconnecting");
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
