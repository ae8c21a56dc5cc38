// Keyboard shortcuts of the editor: one table drives both the handler and the help dialog.

export type ShortcutAction =
  | "undo"
  | "redo"
  | "copy"
  | "paste"
  | "save"
  | "selectAll"
  | "layout"
  | "fit"
  | "help"
  | "escape";

export interface Shortcut {
  action: ShortcutAction;
  keys: string;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: "undo", keys: "Ctrl+Z", description: "Undo" },
  { action: "redo", keys: "Ctrl+Shift+Z / Ctrl+Y", description: "Redo" },
  { action: "copy", keys: "Ctrl+C", description: "Copy the selected nodes" },
  { action: "paste", keys: "Ctrl+V", description: "Paste (new ids, offset)" },
  { action: "selectAll", keys: "Ctrl+A", description: "Select every node" },
  { action: "save", keys: "Ctrl+S", description: "Save a version" },
  { action: "layout", keys: "Shift+L", description: "Auto-layout left → right" },
  { action: "fit", keys: "Shift+F", description: "Zoom to fit" },
  { action: "help", keys: "?", description: "Show these shortcuts" },
  { action: "escape", keys: "Esc", description: "Close a dialog / clear the selection" },
];

/** Keys handled by React Flow itself, listed in the help dialog. */
export const CANVAS_GESTURES: readonly { keys: string; description: string }[] = [
  { keys: "Delete / Backspace", description: "Delete the selection" },
  { keys: "Shift + drag", description: "Box-select" },
  { keys: "Ctrl + click", description: "Add to / remove from the selection" },
  { keys: "Drag on the canvas", description: "Pan; wheel to zoom" },
  { keys: "Drag from a handle", description: "Connect (refused connections say why)" },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The action a key press means, or null. Ctrl and ⌘ are the same. */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (event.altKey) return null;
  if (mod) {
    if (key === "z") return event.shiftKey ? "redo" : "undo";
    if (key === "y") return "redo";
    if (key === "c" && !event.shiftKey) return "copy";
    if (key === "v" && !event.shiftKey) return "paste";
    if (key === "s") return "save";
    if (key === "a") return "selectAll";
    return null;
  }
  if (event.key === "?") return "help";
  if (event.key === "Escape") return "escape";
  if (event.shiftKey && key === "l") return "layout";
  if (event.shiftKey && key === "f") return "fit";
  return null;
}

/** Whether the event comes from a text field (where keys belong to the field). */
export function isTypingTarget(target: EventTarget | null): boolean {
  // Duck-typed (not instanceof HTMLElement): works for elements of any frame, and in tests.
  const element = target as Partial<HTMLInputElement> | null;
  if (!element || typeof element.tagName !== "string") return false;
  if (element.isContentEditable) return true;
  const tag = element.tagName.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return !["checkbox", "radio", "button", "submit", "range"].includes(element.type ?? "text");
  return false;
}
