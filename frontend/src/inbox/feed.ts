// The live inbox feed: one /ws/inbox/ socket per page, shared by the top bar's badge and the
// inbox page. Every inbox event bumps `version` (the page refetches what it shows) and
// refreshes the pending count; a reconnect does both too, so nothing missed stays missed.

import { create } from "zustand";

import { ReconnectingSocket, wsUrl, type ConnectionState } from "../runs/lib/socket";
import { pendingCount } from "./api";

interface FeedState {
  pending: number | null;
  version: number;
  connection: ConnectionState;
  lastEvent: { type: string; approval: string | null } | null;
}

export const useInboxFeed = create<FeedState>()(() => ({
  pending: null,
  version: 0,
  connection: "connecting",
  lastEvent: null,
}));

let socket: ReconnectingSocket | null = null;
let users = 0;
let countTimer: ReturnType<typeof setTimeout> | null = null;

function refreshCount() {
  if (countTimer !== null) clearTimeout(countTimer);
  countTimer = setTimeout(() => {
    countTimer = null;
    pendingCount()
      .then((pending) => useInboxFeed.setState({ pending }))
      .catch(() => undefined);
  }, 100);
}

function onMessage(message: unknown) {
  if (message === null || typeof message !== "object") return;
  const record = message as { type?: unknown; pending?: unknown; data?: { approval?: unknown } };
  if (record.type === "snapshot" && typeof record.pending === "number") {
    useInboxFeed.setState((s) => ({ pending: record.pending as number, version: s.version + 1 }));
    return;
  }
  if (typeof record.type !== "string" || record.type === "pong") return;
  const approval = typeof record.data?.approval === "string" ? record.data.approval : null;
  useInboxFeed.setState((s) => ({ version: s.version + 1, lastEvent: { type: record.type as string, approval } }));
  refreshCount();
}

/** Start (or join) the feed; returns the function that leaves it. */
export function joinInboxFeed(): () => void {
  users += 1;
  if (socket === null) {
    socket = new ReconnectingSocket({
      url: () => wsUrl("/ws/inbox/"),
      onMessage,
      onState: (connection) => useInboxFeed.setState({ connection }),
    });
    socket.start();
  }
  return () => {
    users -= 1;
    if (users === 0 && socket) {
      socket.stop();
      socket = null;
    }
  };
}

/** After this page changed an item itself: refresh at once instead of waiting for the echo. */
export function nudgeInboxFeed() {
  useInboxFeed.setState((s) => ({ version: s.version + 1 }));
  refreshCount();
}
