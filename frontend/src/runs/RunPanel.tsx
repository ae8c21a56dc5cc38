// The editor's run panel (issue 5): chat with the canvas, watch the run live, control it,
// browse its history. Mounting it also drives live node status on the canvas
// (useRunStatus, fed by /ws/canvases/<id>/).

import "./runs.css";

import { useCallback, useEffect, useState, type JSX } from "react";

import { ApiError } from "../api/client";
import { isTerminal, runPageUrl, startRun, type RunStatus } from "../api/runs";
import { useRunSocket } from "../hooks/useRunSocket";
import { checkInput, problemsByField, rememberInput } from "../lib/runInput";
import { EMPTY_SESSION, useRunSessions } from "../store/runs";
import { useRunStatus } from "../store/runStatus";
import { ChatThread, type LiveTurn } from "./ChatThread";
import { Composer } from "./Composer";
import { describe } from "./lib/errors";
import { RunControls } from "./RunControls";
import { RunHistory } from "./RunHistory";
import { RunInputForm } from "./RunInputForm";
import { RunLiveSections, UsageLine, outcomeOf } from "./RunSections";
import { StatusBadge } from "./StatusBadge";
import { StreamState } from "./StreamState";
import { useCanvasStream } from "./useCanvasStream";
import { useRunInput } from "./useRunInput";
import { useRunRecord } from "./useRunRecord";
import { useSavedConversation } from "./useSavedConversation";

export interface RunPanelProps {
  canvasId: string;
  /** The saved version runs use (null: never saved, nothing to run). */
  canvasVersion: number | null;
  /** The editor has unsaved changes: runs still use the saved version. */
  dirty: boolean;
}

type Tab = "chat" | "history";

function ActiveRun({
  runId,
  knownStatus,
  onLive,
}: {
  runId: string;
  /** What the panel already knows (the 202's "queued"), until the stream says more. */
  knownStatus: string | null;
  onLive: (live: LiveTurn) => void;
}) {
  const { view, connection, error } = useRunSocket(runId);
  const { record } = useRunRecord(runId, view.status);
  const outcome = outcomeOf(view, record);
  const status = view.status ?? record?.status ?? knownStatus;

  useEffect(() => {
    onLive({ runId, status, answer: outcome.answer, error: outcome.error });
  }, [onLive, runId, status, outcome.answer, outcome.error]);

  return (
    <section className="active-run" aria-label="Current run" data-run={runId}>
      <header className="active-run__head">
        <StatusBadge status={status} />
        <a href={runPageUrl(runId)} className="active-run__link">
          Open run page
        </a>
        <StreamState connection={connection} ended={isTerminal(status)} />
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <RunControls runId={runId} status={status} />
      <RunLiveSections view={view} />
      {(isTerminal(status) || outcome.usage) && <UsageLine usage={outcome.usage} />}
    </section>
  );
}

export function RunPanel({ canvasId, canvasVersion, dirty }: RunPanelProps): JSX.Element {
  useCanvasStream(canvasId);
  const [tab, setTab] = useState<Tab>("chat");
  const [sendError, setSendError] = useState<string | null>(null);
  const [live, setLive] = useState<LiveTurn | null>(null);
  const session = useRunSessions((s) => s.sessions[canvasId]) ?? EMPTY_SESSION;
  const { addTurn, recordOutcome, showRun, newConversation } = useRunSessions.getState();
  const activeRunId = session.activeRunId;
  const runInput = useRunInput(canvasId);
  const [inputProblems, setInputProblems] = useState<Record<string, string[]>>({});
  useSavedConversation(canvasId);

  const onLive = useCallback(
    (turn: LiveTurn) => {
      setLive(turn);
      if (isTerminal(turn.status)) {
        recordOutcome(canvasId, turn.runId, {
          status: turn.status as RunStatus,
          answer: turn.answer,
          error: turn.error,
        });
      }
    },
    [canvasId, recordOutcome],
  );

  const send = async (query: string): Promise<boolean> => {
    setSendError(null);
    let input: Record<string, unknown> = {};
    if (runInput.schema) {
      const checked = checkInput(runInput.schema, runInput.value);
      setInputProblems(checked.problems);
      if (Object.keys(checked.problems).length) {
        setSendError("Fill in the run's input first.");
        return false;
      }
      input = checked.input;
    }
    try {
      const run = await startRun(canvasId, {
        query,
        input,
        conversation: session.conversation,
        version: canvasVersion ?? undefined,
      });
      if (runInput.schema) rememberInput(canvasId, runInput.value);
      useRunStatus.getState().focusRun(run.id);
      addTurn(canvasId, { runId: run.id, query, input: run.input, conversation: run.conversation, status: run.status });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.errors.some((e) => e.field.startsWith("input"))) {
        setInputProblems(problemsByField(error.errors));
      }
      setSendError(describe(error, "start the run"));
      return false;
    }
  };
  const activeTurn = session.turns.find((turn) => turn.runId === activeRunId);

  const openFromHistory = (runId: string) => {
    showRun(canvasId, runId);
    setTab("chat");
  };

  return (
    <section className="run-panel" aria-label="Run panel">
      <div className="run-panel__tabs" role="tablist">
        {(["chat", "history"] as Tab[]).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={tab === name ? "active" : ""}
            onClick={() => setTab(name)}
          >
            {name === "chat" ? "Run" : "History"}
          </button>
        ))}
      </div>

      {tab === "history" ? (
        <div className="run-panel__body">
          <RunHistory
            canvasId={canvasId}
            onOpen={openFromHistory}
            activeRunId={activeRunId}
            refreshKey={`${activeRunId}:${live?.status ?? ""}`}
          />
        </div>
      ) : (
        <>
          <div className="run-panel__body">
            {dirty && (
              <p className="run-warning" role="status" data-testid="unsaved-warning">
                Unsaved changes: runs use the saved version{canvasVersion ? ` (v${canvasVersion})` : ""}, not what
                you see. Save to run your edits.
              </p>
            )}
            {canvasVersion === null && <p className="run-warning">Save the canvas to run it.</p>}
            {!session.turns.length && !activeRunId && (
              <p className="muted">Ask a question: the run streams here, phase by phase.</p>
            )}
            <ChatThread
              turns={session.turns}
              activeRunId={activeRunId}
              live={live}
              onShow={(runId) => showRun(canvasId, runId)}
            />
            {activeRunId && (
              <ActiveRun key={activeRunId} runId={activeRunId} knownStatus={activeTurn?.status ?? null} onLive={onLive} />
            )}
          </div>
          <div className="run-panel__footer">
            {runInput.schema && (
              <RunInputForm
                schema={runInput.schema}
                value={runInput.value}
                problems={inputProblems}
                onChange={(value) => {
                  runInput.setValue(value);
                  setInputProblems({});
                }}
              />
            )}
            {sendError && (
              <p className="error" role="alert">
                {sendError}
              </p>
            )}
            <Composer
              disabled={canvasVersion === null}
              followUp={!!session.conversation}
              queryOptional={!!runInput.schema}
              onSend={send}
            />
            {session.turns.length > 0 && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  newConversation(canvasId);
                  setLive(null);
                }}
              >
                New conversation
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
