import { useCanvasDoc } from "../store/canvasDoc";
import { restoreWithFeedback } from "./VersionsDialog";

/** Shown while an old version is on the canvas, read-only. */
export function PreviewBanner() {
  const preview = useCanvasDoc((s) => s.preview);
  const close = useCanvasDoc((s) => s.closePreview);
  if (!preview) return null;
  return (
    <div className="preview-banner" role="status" data-testid="preview-banner">
      <span>
        Viewing version {preview.number} (read-only){preview.message ? `: ${preview.message}` : ""}
      </span>
      <button
        type="button"
        className="button button--small button--primary"
        data-testid="preview-restore"
        onClick={() => {
          close();
          void restoreWithFeedback(preview.number);
        }}
      >
        Restore this version
      </button>
      <button type="button" className="button button--small" data-testid="preview-close" onClick={close}>
        Back to editing
      </button>
    </div>
  );
}
