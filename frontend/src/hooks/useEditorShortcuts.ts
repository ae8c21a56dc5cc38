import { useEffect, useRef } from "react";

import { isTypingTarget, shortcutFor, type ShortcutAction } from "../lib/shortcuts";

/** Runs `handlers[action]` for the editor's shortcuts, except while typing in a field. */
export function useEditorShortcuts(handlers: Partial<Record<ShortcutAction, () => unknown>>): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const action = shortcutFor(event);
      if (!action) return;
      const typing = isTypingTarget(event.target);
      // In a field, only Ctrl+S and Esc act on the editor; copy/paste/undo belong to the field.
      if (typing && action !== "save" && action !== "escape") return;
      const handler = ref.current[action];
      if (!handler) return;
      // A handler that returns false did nothing: leave the key to the browser.
      if (handler() !== false) event.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
