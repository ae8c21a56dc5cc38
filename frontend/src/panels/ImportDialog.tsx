import { useReactFlow } from "@xyflow/react";

import { Dialog } from "../components/Dialog";
import { YamlImportForm } from "../components/YamlImportForm";
import { useCanvasDoc } from "../store/canvasDoc";
import { useEditorUi } from "../store/editorUi";
import { confirmDiscard } from "./VersionsDialog";

/** Import a plan YAML onto this canvas: it becomes the next version. */
export function ImportDialog() {
  const importYaml = useCanvasDoc((s) => s.importYaml);
  const { openDialog, toast } = useEditorUi.getState();
  const flow = useReactFlow();
  return (
    <Dialog title="Import YAML onto this canvas" onClose={() => openDialog(null)} testId="import-dialog">
      <p className="muted">The imported plan is saved as the next version and replaces what is on the canvas.</p>
      <YamlImportForm
        submitLabel="Import as new version"
        onImport={async (file) => {
          if (!confirmDiscard("Import")) return;
          const saved = await importYaml(file);
          openDialog(null);
          // the viewport the YAML's ui: section gives, or the new graph fitted in view
          const viewport = useCanvasDoc.getState().viewport;
          if (viewport) void flow.setViewport(viewport);
          else useEditorUi.getState().requestFit();
          toast(`Imported as version ${saved.number}.`, "success");
        }}
      />
    </Dialog>
  );
}
