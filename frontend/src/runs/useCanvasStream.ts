// Follows every run of a canvas live (/ws/canvases/<id>/) into the useRunStatus store, and
// loads what maps stages onto nodes: the run's steps' agents and its saved version's graph.

import { useEffect } from "react";

import { getRun, getVersionGraph, isTerminal, type RunEvent } from "../api/runs";
import { useRunStatus } from "../store/runStatus";
import { FrameBatch } from "./lib/frameBatch";
import { nodeStatusOfEvent, topologyOf, type SnapshotRun, type Topology } from "./lib/nodeStatus";
import { ReconnectingSocket, wsUrl } from "./lib/socket";

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

function statusRelevant(event: RunEvent): boolean {
  return event.type.startsWith("run.") || nodeStatusOfEvent(event) !== null;
}

export function useCanvasStream(canvasId: string | null): void {
  useEffect(() => {
    if (!canvasId) return;
    const store = useRunStatus.getState();
    store.attach(canvasId);
    const abort = new AbortController();
    let mappedRun: string | null = null;

    const batch = new FrameBatch<RunEvent>((events) => useRunStatus.getState().applyEvents(events));
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
        } else if (typeof (message as RunEvent).seq === "number" && statusRelevant(message as RunEvent)) {
          batch.push(message as RunEvent);
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
      batch.dispose();
      socket.stop();
    };
  }, [canvasId]);
}
