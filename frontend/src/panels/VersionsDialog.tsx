// Version history: every saved version (newest first); view one read-only, or restore it.

import { useEffect, useState } from "react";

import { listVersions, type VersionSummary } from "../api/canvases";
import { describeError } from "../api/client";
import { Dialog } from "../components/Dialog";
import { useCanvasDoc } from "../store/canvasDoc";
import { useEditorUi } from "../store/editorUi";
import { useGraph } from "../store/graph";

export function confirmDiscard(action: string): boolean {
  return !useGraph.getState().dirty || window.confirm(`You have unsaved changes. ${action} anyway and lose them?`);
}

export function formatWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export async function restoreWithFeedback(number: number): Promise<void> {
  if (!confirmDiscard(`Restore version ${number}`)) return;
  const { toast } = useEditorUi.getState();
  try {
    const saved = await useCanvasDoc.getState().restore(number);
    toast(`Restored version ${number} as version ${saved.number}.`, "success");
  } catch (error) {
    toast(describeError(error, "restore"), "error");
  }
}

export function VersionsDialog() {
  const canvasId = useCanvasDoc((s) => s.canvasId);
  const current = useCanvasDoc((s) => s.version);
  const showVersion = useCanvasDoc((s) => s.showVersion);
  const openDialog = useEditorUi((s) => s.openDialog);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    const controller = new AbortController();
    listVersions(canvasId, controller.signal)
      .then(setVersions)
      .catch((err) => !controller.signal.aborted && setError(describeError(err, "load the versions")));
    return () => controller.abort();
  }, [canvasId, current]);

  const view = async (number: number) => {
    try {
      await showVersion(number);
      openDialog(null);
    } catch (err) {
      setError(describeError(err, `load version ${number}`));
    }
  };

  return (
    <Dialog title="Version history" onClose={() => openDialog(null)} testId="versions-dialog" wide>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {versions === null && !error ? <p className="muted">Loading…</p> : null}
      {versions?.length === 0 ? <p className="muted">No saved versions yet.</p> : null}
      <ol className="versions">
        {versions?.map((version) => (
          <li key={version.number} data-testid="version-item" data-number={version.number}>
            <div>
              <strong>v{version.number}</strong>
              {version.number === current ? <span className="chip">latest</span> : null}
              <span className="versions__message">{version.message || <em className="muted">no message</em>}</span>
            </div>
            <div className="muted">
              {version.author ?? "someone"} · {formatWhen(version.created)}
            </div>
            <div className="versions__actions">
              <button type="button" className="button button--small" data-testid="version-view" onClick={() => void view(version.number)}>
                View
              </button>
              <button
                type="button"
                className="button button--small"
                data-testid="version-restore"
                disabled={version.number === current}
                onClick={() => {
                  openDialog(null);
                  void restoreWithFeedback(version.number);
                }}
              >
                Restore
              </button>
            </div>
          </li>
        ))}
      </ol>
    </Dialog>
  );
}
