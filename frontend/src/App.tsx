import { InboxPage } from "./inbox/InboxPage";
import { stringProp, type BootData } from "./lib/page";
import { CanvasEditorPage } from "./pages/CanvasEditorPage";
import { ModelsPage } from "./models/ModelsPage";
import { CanvasListPage } from "./pages/CanvasListPage";
import { RunPage } from "./pages/RunPage";
import { RunsPage } from "./pages/RunsPage";

export function App({ boot }: { boot: BootData }) {
  switch (boot.page) {
    case "canvas-list":
      return <CanvasListPage />;
    case "canvas-editor":
      return (
        <CanvasEditorPage
          canvasId={stringProp(boot.props, "canvasId")}
          name={stringProp(boot.props, "name")}
        />
      );
    case "run":
      return (
        <RunPage
          runId={stringProp(boot.props, "runId")}
          canvasId={stringProp(boot.props, "canvasId")}
          canvasName={stringProp(boot.props, "canvasName")}
        />
      );
    case "runs":
      return <RunsPage />;
    case "models":
      return <ModelsPage />;
    case "inbox":
      return <InboxPage initialItem={stringProp(boot.props, "item")} />;
    default:
      return (
        <p className="error" role="alert">
          Unknown page “{boot.page}”.
        </p>
      );
  }
}
