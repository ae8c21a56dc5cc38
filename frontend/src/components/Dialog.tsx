import { useEffect, useRef, type ReactNode } from "react";

/** A modal dialog: overlay, title, Esc and the close button dismiss it. */
export function Dialog({
  title,
  onClose,
  children,
  testId,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // Callers pass a fresh onClose each render; reading it through a ref keeps the effect
  // below from re-running (and stealing focus) on every keystroke in the dialog.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close.current();
    };
    window.addEventListener("keydown", onKey);
    // Focus the first field of the body once, on opening; the × button only when there is none.
    const body = ref.current?.querySelector<HTMLElement>(".dialog__body");
    const first =
      body?.querySelector<HTMLElement>("[autofocus], input, textarea, select") ??
      body?.querySelector<HTMLElement>("button") ??
      ref.current?.querySelector<HTMLElement>("button");
    if (first && !ref.current?.contains(document.activeElement)) first.focus();
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <div className="dialog-overlay" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div className={`dialog${wide ? " dialog--wide" : ""}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={ref}>
        <header className="dialog__header">
          <h2>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="dialog__body">{children}</div>
      </div>
    </div>
  );
}
