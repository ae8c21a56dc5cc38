import { Dialog } from "../components/Dialog";
import { CANVAS_GESTURES, SHORTCUTS } from "../lib/shortcuts";
import { useEditorUi } from "../store/editorUi";

export function ShortcutsDialog() {
  const openDialog = useEditorUi((s) => s.openDialog);
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => openDialog(null)} testId="shortcuts-dialog">
      <table className="shortcuts">
        <tbody>
          {[...SHORTCUTS, ...CANVAS_GESTURES].map((item) => (
            <tr key={item.keys}>
              <th>
                <kbd>{item.keys}</kbd>
              </th>
              <td>{item.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
