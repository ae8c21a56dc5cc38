// Steps on a shared time axis (SVG): one row per step, one bar per attempt, coloured by
// status, so parallel steps overlap and retries show side by side.

import { memo, useMemo } from "react";

import { formatDuration } from "./lib/format";
import { ganttLayout, type GanttAttempt } from "./lib/gantt";

const ROW = 26;
const BAR = 16;
const LABEL = 220;
const WIDTH = 900;
const AXIS = 24;

export const Gantt = memo(function Gantt({ attempts, now }: { attempts: GanttAttempt[]; now?: number }) {
  const layout = useMemo(() => ganttLayout(attempts, now), [attempts, now]);
  if (!layout.rows.length) return <p className="muted">No steps have started yet.</p>;
  const plot = WIDTH - LABEL - 12;
  const x = (ms: number) => LABEL + (ms / layout.spanMs) * plot;
  const height = AXIS + layout.rows.length * ROW + 8;
  return (
    <div className="gantt" data-testid="gantt">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-label={`Timeline of ${layout.rows.length} steps over ${formatDuration(layout.spanMs)}`}
        preserveAspectRatio="xMinYMin meet"
      >
        {layout.ticks.map((t) => (
          <g key={t} className="gantt__tick">
            <line x1={x(t)} x2={x(t)} y1={AXIS - 6} y2={height} />
            <text x={x(t)} y={AXIS - 10} textAnchor="middle">
              {formatDuration(t)}
            </text>
          </g>
        ))}
        {layout.rows.map((row, i) => {
          const y = AXIS + i * ROW;
          return (
            <g key={row.stepId} className="gantt__row" data-step={row.stepId}>
              <text x={8 + row.depth * 14} y={y + ROW / 2 + 4} className="gantt__label">
                {row.label.length > 30 ? `${row.label.slice(0, 29)}…` : row.label}
                <title>{row.stepId}</title>
              </text>
              {row.bars.map((bar) => {
                const left = x(bar.startMs);
                const width = Math.max(x(bar.endMs) - left, 3);
                return (
                  <rect
                    key={bar.attempt}
                    className={`gantt__bar gantt__bar--${bar.status}${bar.running ? " gantt__bar--running" : ""}`}
                    data-status={bar.status}
                    data-attempt={bar.attempt}
                    x={left}
                    y={y + (ROW - BAR) / 2}
                    width={width}
                    height={BAR}
                    rx={3}
                  >
                    <title>
                      {`${row.stepId} · attempt ${bar.attempt}${bar.agent ? ` · ${bar.agent}` : ""} · ${bar.status} · ${formatDuration(bar.endMs - bar.startMs)}${bar.error ? `\n${bar.error}` : ""}`}
                    </title>
                  </rect>
                );
              })}
              {row.bars.length > 1 && (
                <text x={x(row.bars[row.bars.length - 1]!.endMs) + 6} y={y + ROW / 2 + 4} className="gantt__attempts">
                  ×{row.bars.length} attempts
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="gantt__legend" aria-label="Legend">
        {["running", "waiting", "succeeded", "failed", "skipped", "cancelled"].map((status) => (
          <li key={status}>
            <span className={`gantt__swatch gantt__bar--${status}`} /> {status}
          </li>
        ))}
      </ul>
    </div>
  );
});
