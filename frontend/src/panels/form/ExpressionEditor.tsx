// A CodeMirror 6 editor for one {{ }} field, with completion of the names an expression can
// reach (lib/expressionCompletions). Loaded on demand (React.lazy) so the canvas bundle does
// not carry the editor until a property panel shows an expression field.

import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { useEffect, useRef } from "react";

import { nameAt, type ExpressionName } from "../../lib/expressionCompletions";

export interface ExpressionEditorProps {
  id: string;
  value: string;
  mode: "template" | "condition";
  invalid: boolean;
  readOnly?: boolean;
  /** Read when completion opens, so it always reflects the current graph and last run. */
  names: () => ExpressionName[];
  onChange: (text: string) => void;
}

function completionSource(getNames: () => ExpressionName[], mode: "template" | "condition") {
  return (context: CompletionContext): CompletionResult | null => {
    const text = context.state.doc.toString();
    const at = nameAt(text, context.pos, mode);
    if (!at || (!at.typed && !context.explicit && !/\{\{\s*$/.test(text.slice(0, context.pos)))) return null;
    return {
      from: at.from,
      options: getNames().map((name) => ({ label: name.label, detail: name.detail, type: name.kind, boost: name.boost })),
      validFor: /^[A-Za-z0-9_.]*$/,
    };
  };
}

export default function ExpressionEditor({ id, value, mode, invalid, readOnly = false, names, onChange }: ExpressionEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ names, onChange });
  latest.current = { names, onChange };

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          history(),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
          autocompletion({
            override: [completionSource(() => latest.current.names(), mode)],
            activateOnTyping: true,
            icons: false,
          }),
          EditorView.lineWrapping,
          EditorState.readOnly.of(readOnly),
          EditorView.contentAttributes.of({ id, "data-testid": id, "aria-label": id, spellcheck: "false" }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is made once per field; outside changes arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, mode, readOnly]);

  // Follow outside changes (undo in the canvas, restore) without moving a typing cursor.
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  return <div ref={host} className={`expression-editor${invalid ? " is-invalid" : ""}`} data-mode={mode} />;
}
