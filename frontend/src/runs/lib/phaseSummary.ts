// One line per phase for the timeline's collapsed row (pure).

import type { PhaseView } from "./runView";

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict => (v && typeof v === "object" && !Array.isArray(v) ? (v as Dict) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function phaseSummary(phase: PhaseView): string {
  if (phase.error) return phase.error;
  if (phase.state === "running") {
    if (phase.name === "execution") return `running ${plural(list(phase.startData.stages).length, "stage")}…`;
    return "…";
  }
  const d = dict(phase.decision);
  switch (phase.name) {
    case "complexity": {
      const top = dict(list(d.candidates)[0]);
      const level = typeof d.level === "string" ? d.level : "?";
      return typeof top.slug === "string" && typeof top.score === "number"
        ? `${level} · top ${top.slug} ${top.score.toFixed(2)}`
        : level;
    }
    case "selection": {
      const agents = list(d.agents).filter((a): a is string => typeof a === "string");
      return agents.length ? agents.join(", ") : "no agent chosen";
    }
    case "planning":
      return `${typeof d.pattern === "string" ? d.pattern : "?"} · ${plural(list(d.stages).length, "stage")}`;
    case "execution":
      return ["succeeded", "failed", "skipped"]
        .filter((k) => typeof d[k] === "number" && (d[k] as number) > 0)
        .map((k) => `${d[k] as number} ${k}`)
        .join(", ") || "nothing ran";
    case "reflection":
      return d.satisfied ? "criteria met" : `criteria not met${list(d.retry_agents).length ? " · re-routing" : ""}`;
    case "synthesis": {
      const failed = list(d.failed_agents).length;
      return `${plural(list(d.insights).length, "insight")}${failed ? ` · ${failed} failed` : ""}`;
    }
    default:
      return "";
  }
}
