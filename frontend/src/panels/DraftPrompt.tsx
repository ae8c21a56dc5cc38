import { useDraftPrompt } from "../hooks/useDraftAutosave";
import { useCanvasDoc } from "../store/canvasDoc";

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "earlier" : date.toLocaleString();
}

/** Offers back the unsaved edits this browser kept for the canvas (restore or discard). */
export function DraftPrompt() {
  const pending = useDraftPrompt((s) => s.pending);
  const version = useCanvasDoc((s) => s.version);
  const { restore, discard } = useDraftPrompt.getState();
  if (!pending) return null;
  return (
    <div className="preview-banner draft-prompt" role="alertdialog" aria-label="Unsaved draft" data-testid="draft-prompt">
      <span>
        Unsaved changes from {when(pending.savedAt)}
        {pending.baseVersion ? ` (made on v${pending.baseVersion})` : ""} were kept in this browser.
        {version !== pending.baseVersion ? (
          <strong data-testid="draft-outdated">
            {" "}
            The canvas was saved since (now v{version}): restoring puts the draft in place of those changes.
          </strong>
        ) : null}
      </span>
      <button type="button" className="button button--small button--primary" data-testid="draft-restore" onClick={restore}>
        Restore them
      </button>
      <button type="button" className="button button--small" data-testid="draft-discard" onClick={discard}>
        Discard
      </button>
    </div>
  );
}
