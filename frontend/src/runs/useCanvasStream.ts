// Follows every run of a canvas live (/ws/canvases/<id>/) into the useRunStatus store, and
// loads what maps stages onto nodes: the run's steps' agents and its saved version's graph.
// The socket delivers each event at most once, not in seq order: the store holds events that
// arrive ahead of a gap, and what never arrives is fetched from GET /api/runs/<id>/events/ —
// when a gap stays open, or when the server's heartbeat shows the shown run is further on.

import { useEffect } from "react";

import { getEvents, getRun, getVersionGraph, isTerminal, type RunEvent } from "../api/runs";
import { useRunStatus } from "../store/runStatus";
import { FrameBatch } from "./lib/frameBatch";
import { hasGap, topologyOf, type SnapshotRun, type Topology } from "./lib/nodeStatus";
import { ReconnectingSocket, wsUrl } from "./lib/socket";

/** How long a gap may stay open before the missing events are fetched (a late one usually
 * arrives within milliseconds). */
const GAP_FILL_MS = 1000;

interface Heartbeat {
  type: "heartbeat";
  runs: { run: string; last_seq: number }[];
}

function isHeartbeat(message: unknown): message is Heartbeat {
  return (message as { type?: unknown }).type === "heartbeat" && Array.isArray((message as Heartbeat).runs);
}

/** The shown run is behind what the heartbeat says (or has ended unseen: no longer listed). */
export function behindHeartbeat(
  run: { runId: string | null; runStatus: string | null; lastSeq: number },
  beat: Heartbeat,
): boolean {
  if (!run.runId || isTerminal(run.runStatus)) return false;
  const listed = beat.runs.find((r) => r.run === run.runId);
  return !listed || listed.last_seq > run.lastSeq;
}

const topologies = new Map<string, Promise<Topology>>();

function topologyFor(canvasId: string, version: number): Promise<Topology> {
  const key = `${canvasId}@${version}`;
  let pending = topologies.get(key);
  if (!pending) {
    pending = getVersionGraph(canvasId, version).then(topologyOf);
    pending.catch(() => topologies.delete(key));
    topologies.set(key, pending);
  }
  return pending;
}

/** Loads the mapping data for the run the canvas shows (once per run). */
async function loadRunMapping(canvasId: string, runId: string, signal: AbortSignal): Promise<void> {
  const detail = await getRun(runId, signal);
  const agents: Record<string, string> = {};
  for (const step of detail.steps) if (step.agent && !step.superseded) agents[step.step_id] = step.agent;
  useRunStatus.getState().setStepAgents(runId, agents);
  if (detail.version) {
    const topology = await topologyFor(canvasId, detail.version);
    if (!signal.aborted) useRunStatus.getState().setTopology(`${canvasId}@${detail.version}`, topology);
  }
}

export function useCanvasStream(canvasId: string | null): void {
  useEffect(() => {
    if (!canvasId) return;
    const store = useRunStatus.getState();
    store.attach(canvasId);
    const abort = new AbortController();
    let mappedRun: string | null = null;

    let gapTimer: ReturnType<typeof setTimeout> | null = null;
    let catchingUp = false;

    /** Fetches the shown run's events after its last seq until nothing is missing. */
    const catchUp = async () => {
      if (catchingUp || abort.signal.aborted) return;
      catchingUp = true;
      try {
        for (;;) {
          batch.flush();
          const run = useRunStatus.getState().run;
          if (!run.runId) return;
          const page = await getEvents(run.runId, run.lastSeq, abort.signal);
          useRunStatus.getState().applyEvents(page.events);
          if (!page.more || !page.events.length || useRunStatus.getState().run.runId !== run.runId) return;
        }
      } catch {
        // the next gap or heartbeat tries again
      } finally {
        catchingUp = false;
      }
    };

    const batch = new FrameBatch<RunEvent>((events) => {
      useRunStatus.getState().applyEvents(events);
      if (gapTimer === null && hasGap(useRunStatus.getState().run)) {
        gapTimer = setTimeout(() => {
          gapTimer = null;
          if (hasGap(useRunStatus.getState().run)) void catchUp();
        }, GAP_FILL_MS);
      }
    });
    const socket = new ReconnectingSocket({
      url: () => wsUrl(`/ws/canvases/${encodeURIComponent(canvasId)}/`),
      onState: (state) => useRunStatus.getState().setConnection(state),
      onMessage: (message) => {
        if (!message || typeof message !== "object") return;
        const typed = message as { type?: string; runs?: SnapshotRun[] };
        if (typed.type === "snapshot") {
          batch.flush();
          const runs = Array.isArray(typed.runs) ? typed.runs : [];
          const shown = useRunStatus.getState().run;
          useRunStatus.getState().applySnapshot(runs);
          // The run we showed ended while we were away: its end is in its record.
          if (shown.runId && !isTerminal(shown.runStatus) && !runs.some((r) => r.run === shown.runId)) {
            getRun(shown.runId, abort.signal)
              .then((record) => useRunStatus.getState().applyRecord(record))
              .catch(() => undefined);
          }
        } else if (isHeartbeat(message)) {
          batch.flush();
          if (behindHeartbeat(useRunStatus.getState().run, message)) void catchUp();
        } else if (typeof (message as RunEvent).seq === "number") {
          batch.push(message as RunEvent); // every seq, so a gap shows
        }
      },
    });
    socket.start();

    const mapRun = (runId: string | null) => {
      if (!runId || runId === mappedRun) return;
      mappedRun = runId;
      loadRunMapping(canvasId, runId, abort.signal).catch(() => {
        // without the mapping, stages keep their "<coord>.<stage>" keys and agentStatus
      });
    };
    const unsubscribe = useRunStatus.subscribe((state) => mapRun(state.run.runId));
    mapRun(useRunStatus.getState().run.runId);

    return () => {
      unsubscribe();
      abort.abort();
      if (gapTimer !== null) clearTimeout(gapTimer);
      batch.dispose();
      socket.stop();
    };
  }, [canvasId]);
}
