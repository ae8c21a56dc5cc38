// The window of a big graph to render (lib/renderWindow.ts), following the view. Watched with a
// store subscription, not a selector: a pan frame whose view the window still serves costs one
// comparison and re-renders nothing; React renders only when the window moves.

import { useStoreApi, type ReactFlowState } from "@xyflow/react";
import { useLayoutEffect, useState } from "react";

import { viewBox, windowFor, windowServes, type Box } from "../lib/renderWindow";

/** The current window, or null when disabled or before the pane has a size. */
export function useRenderWindow(enabled: boolean): Box | null {
  const store = useStoreApi();
  const [renderWindow, setRenderWindow] = useState<Box | null>(null);

  useLayoutEffect(() => {
    if (!enabled) return;
    let current: Box | null = null;
    const follow = ({ transform, width, height }: ReactFlowState) => {
      if (!width || !height) return;
      const view = viewBox(transform, width, height);
      if (current && windowServes(current, view)) return;
      current = windowFor(view);
      setRenderWindow(current);
    };
    follow(store.getState());
    return store.subscribe((state, previous) => {
      if (state.transform !== previous.transform || state.width !== previous.width || state.height !== previous.height) {
        follow(state);
      }
    });
  }, [store, enabled]);

  return enabled ? renderWindow : null;
}
