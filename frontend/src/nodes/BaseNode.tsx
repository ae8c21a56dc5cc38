// What every node looks like: icon, label, type, key config lines, live status badge,
// validation marker and the component's handles. Per-type components (./types.tsx) only decide
// the summary lines; each subscribes narrowly to its own status and problems.

import { useStore } from "@xyflow/react";
import { memo, type ReactNode } from "react";

import { zoomedOut } from "../lib/performance";
import { worstSeverity } from "../lib/problems";
import type { BatonNodeData } from "../lib/graphTypes";
import { useComponents } from "../store/components";
import { useRunStatus } from "../store/runStatus";
import { useValidation } from "../store/validation";
import { Icon } from "./icons";
import { NodeHandles } from "./NodeHandles";

export interface BaseNodeProps {
  id: string;
  type: string;
  data: BatonNodeData;
  selected: boolean;
  summary: readonly string[];
  /** Measured size (from NodeProps): the far-zoom rendering keeps it, so nothing re-measures. */
  width?: number;
  height?: number;
  children?: ReactNode;
}

const StatusBadge = memo(function StatusBadge({ id }: { id: string }) {
  const status = useRunStatus((s) => s.nodeStatus[id]);
  if (!status) return null;
  return (
    <span className={`status-badge status-badge--${status}`} data-testid="node-status" data-status={status} title={`Run status: ${status}`}>
      {status}
    </span>
  );
});

const ProblemMarker = memo(function ProblemMarker({ id }: { id: string }) {
  const problems = useValidation((s) => s.byNode[id]);
  const severity = worstSeverity(problems);
  if (!severity || !problems) return null;
  const text = problems.map((p) => `• ${p.message}${p.field ? ` (${p.field})` : ""}`).join("\n");
  return (
    <span
      className={`node-problem node-problem--${severity}`}
      data-testid="node-error"
      data-severity={severity}
      title={text}
      aria-label={`${problems.length} problem${problems.length === 1 ? "" : "s"}: ${text}`}
    >
      !
    </span>
  );
});

export const BaseNode = memo(function BaseNode({ id, type, data, selected, summary, width, height }: BaseNodeProps) {
  const spec = useComponents((s) => s.byType[type]);
  const severity = useValidation((s) => worstSeverity(s.byNode[id]));
  const farOut = useStore(zoomedOut);
  const label = data.label || spec?.label || type;
  if (farOut && width && height) {
    // Same box, same handles (edges keep their anchors), a fraction of the DOM: a 1,000-node
    // graph zoomed to fit stays responsive.
    return (
      <div
        className={`baton-node baton-node--${type} baton-node--far${selected ? " is-selected" : ""}${severity ? ` has-${severity}` : ""}`}
        style={{ width, height }}
        data-testid={`node-${id}`}
        data-node-type={type}
      >
        <span className="baton-node__far-label">{label}</span>
        {spec ? <NodeHandles handles={spec.handles} /> : null}
      </div>
    );
  }
  return (
    <div
      className={`baton-node baton-node--${type}${selected ? " is-selected" : ""}${severity ? ` has-${severity}` : ""}`}
      data-testid={`node-${id}`}
      data-node-type={type}
    >
      <div className="baton-node__header">
        <span className="baton-node__icon">
          <Icon name={spec?.icon ?? ""} />
        </span>
        <span className="baton-node__label" title={label}>
          {label}
        </span>
        <ProblemMarker id={id} />
      </div>
      <div className="baton-node__meta">
        <span className="baton-node__type">{spec?.label ?? type}</span>
        <span className="baton-node__id" title="Node id (the step id)">
          {id}
        </span>
        <StatusBadge id={id} />
      </div>
      {summary.length > 0 ? (
        <ul className="baton-node__summary">
          {summary.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      ) : null}
      {spec ? <NodeHandles handles={spec.handles} /> : null}
    </div>
  );
});
