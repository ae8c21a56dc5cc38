// The chat box: Enter sends, Shift+Enter adds a line.

import { useState, type FormEvent, type KeyboardEvent } from "react";

export function Composer({
  disabled,
  followUp,
  queryOptional = false,
  onSend,
}: {
  disabled: boolean;
  followUp: boolean;
  /** The run has an input form: a run may start without a question. */
  queryOptional?: boolean;
  onSend: (query: string) => Promise<boolean>;
}) {
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);

  const send = async () => {
    const query = text.trim();
    if ((!query && !queryOptional) || sending || disabled) return;
    setSending(true);
    try {
      if (await onSend(query)) setText("");
    } finally {
      setSending(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor="run-query" className="visually-hidden">
        Query
      </label>
      <textarea
        id="run-query"
        rows={2}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder={followUp ? "Ask a follow-up…" : queryOptional ? "A question or note for the run (optional)" : "Ask the canvas a question…"}
        maxLength={20_000}
        disabled={disabled}
      />
      <button type="submit" disabled={disabled || sending || (!queryOptional && !text.trim())}>
        {sending ? "Starting…" : "Run"}
      </button>
    </form>
  );
}
