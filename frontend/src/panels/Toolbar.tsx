import { useCanvasDoc } from "../store/canvasDoc";
import { useEditorUi } from "../store/editorUi";
import { useGraph } from "../store/graph";
import { useValidation } from "../store/validation";
import type { EditorActions } from "../hooks/useEditorActions";

function ProblemsButton() {
  const errors = useValidation((s) => s.errors);
  const warnings = useValidation((s) => s.warnings);
  const status = useValidation((s) => s.status);
  const open = useEditorUi((s) => s.problemsOpen);
  const setOpen = useEditorUi((s) => s.setProblemsOpen);
  const label = status === "checking" && errors + warnings === 0 ? "Checking…" : errors + warnings === 0 ? "Valid" : `${errors} error${errors === 1 ? "" : "s"}${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`;
  return (
    <button
      type="button"
      className={`button button--small problems-button${errors ? " has-errors" : warnings ? " has-warnings" : ""}`}
      data-testid="toolbar-problems"
      data-errors={errors}
      aria-pressed={open}
      onClick={() => setOpen(!open)}
      title="Validation problems"
    >
      {label}
    </button>
  );
}

export function Toolbar({ actions }: { actions: EditorActions }) {
  const canUndo = useGraph((s) => s.history.past.length > 0);
  const canRedo = useGraph((s) => s.history.future.length > 0);
  const previewing = useCanvasDoc((s) => s.preview !== null);
  const openDialog = useEditorUi((s) => s.openDialog);
  const sideOpen = useEditorUi((s) => s.sideOpen);
  const toggleSide = useEditorUi((s) => s.toggleSide);
  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <button type="button" className="button button--primary button--small" data-testid="toolbar-save" disabled={previewing} onClick={actions.save} title="Save a version (Ctrl+S)">
        Save
      </button>
      <button type="button" className="button button--small" data-testid="toolbar-versions" onClick={() => openDialog("versions")}>
        History
      </button>
      <span className="toolbar__sep" />
      <button type="button" className="button button--small" data-testid="toolbar-undo" disabled={!canUndo || previewing} onClick={actions.undo} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" className="button button--small" data-testid="toolbar-redo" disabled={!canRedo || previewing} onClick={actions.redo} title="Redo (Ctrl+Shift+Z)">
        Redo
      </button>
      <button type="button" className="button button--small" data-testid="toolbar-layout" disabled={previewing} onClick={() => void actions.layout()} title="Auto-layout (Shift+L)">
        Auto-layout
      </button>
      <button type="button" className="button button--small" data-testid="toolbar-fit" onClick={actions.fit} title="Zoom to fit (Shift+F)">
        Fit
      </button>
      <span className="toolbar__sep" />
      <button type="button" className="button button--small" data-testid="toolbar-export" onClick={() => void actions.exportYaml()}>
        Export YAML
      </button>
      <button type="button" className="button button--small" data-testid="toolbar-import" disabled={previewing} onClick={() => openDialog("import")}>
        Import YAML
      </button>
      <span className="toolbar__spacer" />
      <ProblemsButton />
      <button type="button" className="button button--small" data-testid="toolbar-shortcuts" onClick={() => openDialog("shortcuts")} title="Keyboard shortcuts (?)">
        ?
      </button>
      <button type="button" className="button button--small" data-testid="toolbar-side-toggle" aria-expanded={sideOpen} onClick={toggleSide} title="Show or hide the side panel">
        {sideOpen ? "Hide panel" : "Show panel"}
      </button>
    </div>
  );
}
