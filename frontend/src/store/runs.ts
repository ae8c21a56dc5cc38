// The run panel's chat, per canvas: the conversation id (the first run creates one, follow-ups
// send it so the history carries), its turns, and which run the panel is showing. Lives in a
// store so the panel can unmount and come back (tabs) without losing the conversation.

import { create } from "zustand";

import type { RunStatus } from "../api/runs";

export interface ChatTurn {
  runId: string;
  query: string;
  /** The run's input (from the run panel's form), shown with the query. */
  input?: Record<string, unknown>;
  status: RunStatus;
  answer: string | null;
  error: string | null;
}

export interface ChatSession {
  conversation: string | null;
  turns: ChatTurn[];
  /** The run the panel shows in detail (the latest turn, or one picked from history). */
  activeRunId: string | null;
}

const EMPTY: ChatSession = { conversation: null, turns: [], activeRunId: null };

interface RunSessionsState {
  sessions: Record<string, ChatSession>;
  addTurn: (
    canvasId: string,
    turn: { runId: string; query: string; input?: Record<string, unknown>; conversation: string | null; status: RunStatus },
  ) => void;
  recordOutcome: (canvasId: string, runId: string, outcome: Partial<Pick<ChatTurn, "status" | "answer" | "error">>) => void;
  showRun: (canvasId: string, runId: string | null) => void;
  newConversation: (canvasId: string) => void;
  /** The conversation read back from the server after a reload (only into an empty session). */
  restore: (canvasId: string, session: ChatSession) => void;
}

function update(
  state: RunSessionsState,
  canvasId: string,
  change: (session: ChatSession) => ChatSession,
): Pick<RunSessionsState, "sessions"> | RunSessionsState {
  const session = state.sessions[canvasId] ?? EMPTY;
  const next = change(session);
  return next === session ? state : { sessions: { ...state.sessions, [canvasId]: next } };
}

export const useRunSessions = create<RunSessionsState>()((set) => ({
  sessions: {},
  addTurn: (canvasId, { runId, query, input, conversation, status }) =>
    set((state) =>
      update(state, canvasId, (session) => ({
        conversation: conversation ?? session.conversation,
        turns: [...session.turns, { runId, query, input, status, answer: null, error: null }],
        activeRunId: runId,
      })),
    ),
  recordOutcome: (canvasId, runId, outcome) =>
    set((state) =>
      update(state, canvasId, (session) => {
        const index = session.turns.findIndex((t) => t.runId === runId);
        if (index < 0) return session;
        const turn = session.turns[index]!;
        const next = { ...turn, ...outcome };
        if (next.status === turn.status && next.answer === turn.answer && next.error === turn.error) return session;
        const turns = session.turns.slice();
        turns[index] = next;
        return { ...session, turns };
      }),
    ),
  showRun: (canvasId, runId) =>
    set((state) =>
      update(state, canvasId, (session) => (session.activeRunId === runId ? session : { ...session, activeRunId: runId })),
    ),
  newConversation: (canvasId) => set((state) => update(state, canvasId, () => EMPTY)),
  restore: (canvasId, restored) =>
    set((state) => update(state, canvasId, (session) => (session.turns.length || session.conversation ? session : restored))),
}));

export const EMPTY_SESSION = EMPTY;
