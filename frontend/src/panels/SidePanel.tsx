// The right-hand area: Properties, Run and Triggers tabs (Run is the run side's RunPanel).

import { RunPanel } from "../runs/RunPanel";
import { useCanvasDoc } from "../store/canvasDoc";
import { useEditorUi, type SideTab } from "../store/editorUi";
import { useGraph } from "../store/graph";
import { useValidation } from "../store/validation";
import { PropertiesPanel } from "./PropertiesPanel";
import { TriggersPanel } from "./TriggersPanel";

const TABS: { id: SideTab; label: string }[] = [
  { id: "properties", label: "Properties" },
  { id: "run", label: "Run" },
  { id: "triggers", label: "Triggers" },
];

export function SidePanel({ canvasId }: { canvasId: string }) {
  const open = useEditorUi((s) => s.sideOpen);
  const tab = useEditorUi((s) => s.sideTab);
  const setSide = useEditorUi((s) => s.setSide);
  const version = useCanvasDoc((s) => s.version);
  const dirty = useGraph((s) => s.dirty);
  const checking = useValidation((s) => s.status === "checking");
  // Hidden, never unmounted: the run panel's canvas socket drives the nodes' live status.
  return (
    <aside className="side-panel" aria-label="Side panel" data-testid="side-panel" hidden={!open}>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === t.id}
            data-testid={`tab-${t.id}`}
            onClick={() => setSide(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className={`side-panel__body${checking ? " is-checking" : ""}`} data-testid={`panel-${tab}`}>
        {/* The run panel stays mounted while hidden: its socket and chat survive a tab switch. */}
        <div hidden={tab !== "run"} className="side-panel__run">
          <RunPanel canvasId={canvasId} canvasVersion={version} dirty={dirty} />
        </div>
        {tab === "properties" && open ? <PropertiesPanel /> : null}
        {tab === "triggers" && open ? <TriggersPanel canvasId={canvasId} /> : null}
      </div>
    </aside>
  );
}
