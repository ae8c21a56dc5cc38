// Ages and due times as a reviewer reads them.

export function ageText(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.round(hours / 24)}d`;
}

export function dueText(iso: string | null, now: number): { text: string; overdue: boolean } | null {
  if (!iso) return null;
  const due = Date.parse(iso);
  if (Number.isNaN(due)) return null;
  if (due <= now) return { text: `overdue ${ageText(iso, now)}`, overdue: true };
  return { text: `due in ${ageText(new Date(now - (due - now)).toISOString(), now)}`, overdue: false };
}
