// The chat box: Enter sends, Shift+Enter adds a line.

import { useState, type FormEvent, type KeyboardEvent } from "react";

export function Composer({
  disabled,
  followUp,
  onSend,
}: {
  disabled: boolean;
  followUp: boolean;
  onSend: (query: string) => Promise<boolean>;
}) {
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);

  const send = async () => {
    const query = text.trim();
    if (!query || sending || disabled) return;
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
        placeholder={followUp ? "Ask a follow-up…" : "Ask the canvas a question…"}
        maxLength={20_000}
        disabled={disabled}
      />
      <button type="submit" disabled={disabled || sending || !text.trim()}>
        {sending ? "Starting…" : "Run"}
      </button>
    </form>
  );
}
