import { ReactFlowProvider } from "@xyflow/react";
import { useEffect } from "react";

import { AppHeader } from "../components/AppHeader";
import { Toasts } from "../components/Toasts";
import { useDebouncedValidation } from "../hooks/useDebouncedValidation";
import { useDraftAutosave } from "../hooks/useDraftAutosave";
import { useEditorActions } from "../hooks/useEditorActions";
import { useEditorShortcuts } from "../hooks/useEditorShortcuts";
import { useUnsavedChangesGuard } from "../hooks/useUnsavedChangesGuard";
import { ConnectionHint } from "../panels/ConnectionHint";
import { DraftPrompt } from "../panels/DraftPrompt";
import { FlowCanvas } from "../panels/FlowCanvas";
import { ImportDialog } from "../panels/ImportDialog";
import { Palette } from "../panels/Palette";
import { PreviewBanner } from "../panels/PreviewBanner";
import { ProblemsPanel } from "../panels/ProblemsPanel";
import { SaveDialog } from "../panels/SaveDialog";
import { ShortcutsDialog } from "../panels/ShortcutsDialog";
import { SidePanel } from "../panels/SidePanel";
import { Toolbar } from "../panels/Toolbar";
import { VersionsDialog } from "../panels/VersionsDialog";
import { useAgents } from "../store/agents";
import { useCanvasDoc } from "../store/canvasDoc";
import { useComponents } from "../store/components";
import { useEditorUi } from "../store/editorUi";
import { useGraph } from "../store/graph";

export interface CanvasEditorProps {
  canvasId: string;
  name: string;
}

function SaveState() {
  const dirty = useGraph((s) => s.dirty);
  const version = useCanvasDoc((s) => s.version);
  return (
    <span className="save-state">
      <span className="chip" data-testid="canvas-version">
        {version === null ? "never saved" : `v${version}`}
      </span>
      {dirty ? (
        <span className="dirty" data-testid="dirty-indicator" title="Unsaved changes">
          ● unsaved changes
        </span>
      ) : null}
    </span>
  );
}

function Dialogs() {
  const dialog = useEditorUi((s) => s.dialog);
  switch (dialog) {
    case "save":
      return <SaveDialog />;
    case "versions":
      return <VersionsDialog />;
    case "shortcuts":
      return <ShortcutsDialog />;
    case "import":
      return <ImportDialog />;
    default:
      return null;
  }
}

function Editor({ canvasId }: { canvasId: string }) {
  const actions = useEditorActions();
  const problemsOpen = useEditorUi((s) => s.problemsOpen);
  useDebouncedValidation(canvasId, true);
  useUnsavedChangesGuard();
  useDraftAutosave(canvasId);
  useEditorShortcuts({
    ...actions,
    help: () => useEditorUi.getState().openDialog("shortcuts"),
    escape: () => {
      const ui = useEditorUi.getState();
      if (ui.dialog) ui.openDialog(null);
      else useGraph.getState().select([]);
    },
  });
  return (
    <>
      <Toolbar actions={actions} />
      <div className="editor-body">
        <Palette onAdd={actions.addNodeInView} />
        <main className="editor" aria-label="Canvas editor">
          <DraftPrompt />
          <PreviewBanner />
          <FlowCanvas actions={actions} />
          <ConnectionHint />
          {problemsOpen ? <ProblemsPanel /> : null}
        </main>
        <SidePanel canvasId={canvasId} />
      </div>
      <Dialogs />
    </>
  );
}

export function CanvasEditorPage({ canvasId, name }: CanvasEditorProps) {
  const status = useCanvasDoc((s) => s.status);
  const error = useCanvasDoc((s) => s.error);
  const docName = useCanvasDoc((s) => s.name);

  useEffect(() => {
    void useComponents.getState().load();
    void useAgents.getState().load();
    const controller = new AbortController();
    void useCanvasDoc.getState().load(canvasId, controller.signal);
    return () => controller.abort();
  }, [canvasId]);

  return (
    <div className="page page--editor">
      <AppHeader>
        <div className="editor-title">
          <h1 className="canvas-name" data-canvas-id={canvasId}>
            {docName || name || "Untitled canvas"}
          </h1>
          {status === "ready" ? <SaveState /> : null}
        </div>
      </AppHeader>
      {status === "ready" ? (
        <ReactFlowProvider>
          <Editor canvasId={canvasId} />
        </ReactFlowProvider>
      ) : status === "error" ? (
        <p className="error content" role="alert">
          {error}
        </p>
      ) : (
        <p className="muted content">Loading canvas…</p>
      )}
      <Toasts />
    </div>
  );
}
