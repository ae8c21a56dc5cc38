// The run panel's conversation survives a reload: the server keeps every conversation and
// its runs; this browser remembers which conversation the panel was in, per canvas, and
// reads its turns back (GET /api/runs/?conversation=<id>) when the panel opens empty.

import { useEffect } from "react";

import { listRuns } from "../api/runs";
import { useRunSessions, type ChatTurn } from "../store/runs";

const key = (canvasId: string) => `baton.conversation.${canvasId}`;

function remembered(canvasId: string): string | null {
  try {
    return window.localStorage.getItem(key(canvasId));
  } catch {
    return null;
  }
}

function remember(canvasId: string, conversation: string | null): void {
  try {
    if (conversation) window.localStorage.setItem(key(canvasId), conversation);
    else window.localStorage.removeItem(key(canvasId));
  } catch {
    // storage disabled: the thread just starts empty after a reload
  }
}

export function useSavedConversation(canvasId: string): void {
  const conversation = useRunSessions((s) => s.sessions[canvasId]?.conversation ?? null);
  const loaded = useRunSessions((s) => Boolean(s.sessions[canvasId]));

  // Follow the panel: a new conversation replaces the remembered one, "New conversation" forgets it.
  useEffect(() => {
    if (loaded) remember(canvasId, conversation);
  }, [canvasId, conversation, loaded]);

  useEffect(() => {
    if (loaded) return;
    const id = remembered(canvasId);
    if (!id) return;
    const abort = new AbortController();
    listRuns({ canvas: canvasId, conversation: id, limit: 50 }, abort.signal)
      .then(({ results }) => {
        const runs = results.filter((run) => run.conversation === id).reverse(); // oldest first
        if (!runs.length) return remember(canvasId, null);
        const turns: ChatTurn[] = runs.map((run) => ({
          runId: run.id,
          query: run.query,
          input: run.input,
          status: run.status,
          answer: typeof run.result?.answer === "string" ? run.result.answer : null,
          error: run.error || null,
        }));
        useRunSessions.getState().restore(canvasId, {
          conversation: id,
          turns,
          activeRunId: turns[turns.length - 1]!.runId,
        });
      })
      .catch(() => undefined); // an unreadable thread starts empty; nothing is lost server-side
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per canvas, on opening
  }, [canvasId]);
}
