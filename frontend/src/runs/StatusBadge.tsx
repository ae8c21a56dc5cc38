import { memo } from "react";

const LABELS: Record<string, string> = { timed_out: "timed out", pending: "queued" };

/** A run, step or phase status as a coloured pill; data-status carries the raw value. */
export const StatusBadge = memo(function StatusBadge({ status, label }: { status: string | null; label?: string }) {
  const value = status ?? "unknown";
  return (
    <span className={`run-status run-status--${value}`} data-status={value}>
      {label ?? LABELS[value] ?? value}
    </span>
  );
});
