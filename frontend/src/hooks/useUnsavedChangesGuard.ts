import { useEffect } from "react";

import { useGraph } from "../store/graph";

/** Asks before leaving the page while the graph has unsaved changes. */
export function useUnsavedChangesGuard(): void {
  const dirty = useGraph((s) => s.dirty);
  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}
