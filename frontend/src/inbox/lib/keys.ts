// Inbox keyboard shortcuts. Pure: a key event's essentials in, a command out.

export type Command = "next" | "prev" | "approve" | "reject" | "edit" | "claim" | "search" | "help";

export const SHORTCUTS: { key: string; command: Command; label: string }[] = [
  { key: "j", command: "next", label: "next item" },
  { key: "k", command: "prev", label: "previous item" },
  { key: "a", command: "approve", label: "approve (retry an escalation)" },
  { key: "r", command: "reject", label: "reject (needs a reason)" },
  { key: "e", command: "edit", label: "approve with edits" },
  { key: "c", command: "claim", label: "claim / release" },
  { key: "/", command: "search", label: "search" },
  { key: "?", command: "help", label: "show shortcuts" },
];

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The event's target is a field the user types in. */
  typing?: boolean;
}

export function commandFor(input: KeyInput): Command | null {
  if (input.ctrlKey || input.metaKey || input.altKey || input.typing) return null;
  const found = SHORTCUTS.find((s) => s.key === input.key);
  return found ? found.command : null;
}

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== "string") return false;
  const element = target as HTMLElement;
  const tag = element.tagName.toLowerCase();
  return tag === "input" || tag === "textarea" || tag === "select" || element.isContentEditable;
}

/** The index after moving by `step` in a list of `length`, clamped; -1 stays -1 when empty. */
export function moveSelection(index: number, step: number, length: number): number {
  if (length === 0) return -1;
  if (index < 0) return step > 0 ? 0 : length - 1;
  return Math.max(0, Math.min(length - 1, index + step));
}
