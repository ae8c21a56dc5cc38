// The conversation: the user's queries and the assistant's answers, one pair per run.

import { memo } from "react";

import { isTerminal } from "../api/runs";
import type { ChatTurn } from "../store/runs";
import { Markdown } from "./Markdown";
import { StatusBadge } from "./StatusBadge";

/** "document_id: a.md · reviewer: bob": a run's input, in one line. */
function inputLine(input: Record<string, unknown> | undefined): string {
  return Object.entries(input ?? {})
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
}

export interface LiveTurn {
  runId: string;
  status: string | null;
  answer: string | null;
  error: string | null;
}

function AssistantTurn({ turn, live, active, onShow }: { turn: ChatTurn; live: LiveTurn | null; active: boolean; onShow: () => void }) {
  const status = live?.status ?? turn.status;
  const answer = live?.answer ?? turn.answer;
  const error = live?.error ?? turn.error;
  const ended = isTerminal(status);
  return (
    <li className={`chat-turn chat-turn--assistant${active ? " chat-turn--active" : ""}`} data-run={turn.runId}>
      <div className="chat-turn__meta">
        <StatusBadge status={status} />
        {!active && (
          <button type="button" className="link-button" onClick={onShow}>
            Show details
          </button>
        )}
      </div>
      {answer ? (
        <Markdown text={answer} className="chat-turn__answer" />
      ) : !ended ? (
        <p className="muted">Working…</p>
      ) : (
        <p className="muted">No answer.</p>
      )}
      {error && <p className="error">{error}</p>}
    </li>
  );
}

export const ChatThread = memo(function ChatThread({
  turns,
  activeRunId,
  live,
  onShow,
}: {
  turns: ChatTurn[];
  activeRunId: string | null;
  live: LiveTurn | null;
  onShow: (runId: string) => void;
}) {
  if (!turns.length) return null;
  return (
    <ol className="chat-thread" aria-label="Conversation">
      {turns.flatMap((turn) => [
        <li key={`${turn.runId}-q`} className="chat-turn chat-turn--user">
          {turn.query}
          {inputLine(turn.input) ? (
            <div className="chat-turn__input" data-testid="turn-input">
              {inputLine(turn.input)}
            </div>
          ) : null}
        </li>,
        <AssistantTurn
          key={`${turn.runId}-a`}
          turn={turn}
          live={live && live.runId === turn.runId ? live : null}
          active={turn.runId === activeRunId}
          onShow={() => onShow(turn.runId)}
        />,
      ])}
    </ol>
  );
});
