// /inbox/: the reviewer's inbox. A filtered list on the left, the selected item on the
// right; both follow /ws/inbox/ live. Keyboard: j/k move, a/r/e decide, c claims, / searches.

import { useCallback, useEffect, useRef, useState } from "react";

import { describeError } from "../api/client";
import { AppHeader } from "../components/AppHeader";
import { useSession } from "../store/session";
import {
  DEFAULT_FILTERS,
  KIND_LABELS,
  getItem,
  listItems,
  type Filters,
  type InboxItem,
  type ItemDetail,
} from "./api";
import { joinInboxFeed, nudgeInboxFeed, useInboxFeed } from "./feed";
import { ItemPane, type PaneCommands } from "./ItemPane";
import { SHORTCUTS, commandFor, isTypingTarget, moveSelection } from "./lib/keys";
import { ageText, dueText } from "./lib/time";
import "./inbox.css";

function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function FilterBar({ filters, onChange, searchRef }: { filters: Filters; onChange: (f: Filters) => void; searchRef: React.RefObject<HTMLInputElement> }) {
  return (
    <div className="inbox-filters" role="search">
      <input
        ref={searchRef}
        type="search"
        className="search"
        placeholder="Search (/)"
        aria-label="Search the inbox"
        value={filters.q}
        data-testid="inbox-search"
        onChange={(event) => onChange({ ...filters, q: event.target.value })}
      />
      <select aria-label="Status" value={filters.status} data-testid="filter-status" onChange={(e) => onChange({ ...filters, status: e.target.value as Filters["status"] })}>
        <option value="pending">Pending</option>
        <option value="decided">Decided</option>
        <option value="all">All</option>
      </select>
      <select aria-label="Kind" value={filters.kind} data-testid="filter-kind" onChange={(e) => onChange({ ...filters, kind: e.target.value as Filters["kind"] })}>
        <option value="">Every kind</option>
        {Object.entries(KIND_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <select aria-label="Assigned" value={filters.assigned} data-testid="filter-assigned" onChange={(e) => onChange({ ...filters, assigned: e.target.value as Filters["assigned"] })}>
        <option value="all">Everything for me</option>
        <option value="me">Assigned to me</option>
        <option value="groups">My groups</option>
      </select>
    </div>
  );
}

function ItemRow({ item, selected, now, onSelect }: { item: InboxItem; selected: boolean; now: number; onSelect: () => void }) {
  const due = dueText(item.due_at, now);
  return (
    <li>
      <button
        type="button"
        className={`inbox-row${selected ? " inbox-row--selected" : ""}`}
        aria-current={selected ? "true" : undefined}
        data-testid="inbox-row"
        data-item={item.id}
        onClick={onSelect}
      >
        <span className="inbox-row__top">
          <span className={`chip inbox-kind inbox-kind--${item.kind}`}>{KIND_LABELS[item.kind]}</span>
          <strong className="inbox-row__step">{item.step_name}</strong>
          <span className="muted inbox-row__age">{ageText(item.created, now)}</span>
        </span>
        <span className="inbox-row__canvas">{item.canvas_name}</span>
        <span className="inbox-row__meta muted">
          {item.asked_by ? `by ${item.asked_by}` : "by a trigger"}
          {item.required_approvals > 1 ? ` · ${item.approvals.length}/${item.required_approvals}` : ""}
          {item.claimed_by ? ` · claimed by ${item.claimed_by}` : ""}
          {item.status !== "pending" ? ` · ${item.status}${item.decided_by ? ` by ${item.decided_by}` : ""}` : ""}
          {due ? <span className={due.overdue ? " inbox-overdue" : ""}> · {due.text}</span> : null}
        </span>
      </button>
    </li>
  );
}

export function InboxPage({ initialItem = "" }: { initialItem?: string }) {
  const username = useSession((s) => s.username);
  const version = useInboxFeed((s) => s.version);
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [selected, setSelected] = useState<string>(initialItem);
  const [detail, setDetail] = useState<ItemDetail | null>(null);
  const [error, setError] = useState("");
  const [help, setHelp] = useState(false);
  const commands = useRef<PaneCommands | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const now = useNow();

  useEffect(() => joinInboxFeed(), []);

  useEffect(() => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      listItems(filters, abort.signal)
        .then((found) => {
          setItems(found);
          setError("");
        })
        .catch((err) => {
          if (!abort.signal.aborted) setError(describeError(err, "load the inbox"));
        });
    }, filters.q ? 200 : 0);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [filters, version]);

  useEffect(() => {
    if (!selected) {
      setDetail(null);
      return;
    }
    const abort = new AbortController();
    getItem(selected, abort.signal)
      .then(setDetail)
      .catch((err) => {
        if (!abort.signal.aborted) {
          setDetail(null);
          setError(describeError(err, "open the item"));
        }
      });
    return () => abort.abort();
  }, [selected, version]);

  // Keep the URL on the selected item, so it can be shared and reloaded.
  useEffect(() => {
    const url = selected ? `/inbox/?item=${encodeURIComponent(selected)}` : "/inbox/";
    if (window.location.pathname + window.location.search !== url) window.history.replaceState(null, "", url);
  }, [selected]);

  const move = useCallback(
    (step: number) => {
      if (!items) return;
      const index = items.findIndex((item) => item.id === selected);
      const next = moveSelection(index, step, items.length);
      if (next >= 0) setSelected(items[next]!.id);
    },
    [items, selected],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const command = commandFor({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        typing: isTypingTarget(event.target),
      });
      if (!command) {
        if (event.key === "Escape") setHelp(false);
        return;
      }
      event.preventDefault();
      if (command === "next") move(1);
      else if (command === "prev") move(-1);
      else if (command === "search") searchRef.current?.focus();
      else if (command === "help") setHelp((shown) => !shown);
      else commands.current?.[command]();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [move]);

  const onChanged = (item: ItemDetail | null) => {
    if (item) setDetail(item);
    nudgeInboxFeed();
  };

  return (
    <div className="page page--inbox">
      <AppHeader>
        <h1>Inbox</h1>
      </AppHeader>
      <main className="inbox">
        <aside className="inbox__list" aria-label="Items">
          <FilterBar filters={filters} onChange={setFilters} searchRef={searchRef} />
          {error ? (
            <p className="error" role="alert">
              {error}
            </p>
          ) : null}
          {items === null ? (
            <p className="muted">Loading…</p>
          ) : items.length === 0 ? (
            <p className="muted" data-testid="inbox-empty">
              Nothing {filters.status === "pending" ? "waiting for you" : "here"}.
            </p>
          ) : (
            <ul className="inbox-rows" data-testid="inbox-rows">
              {items.map((item) => (
                <ItemRow key={item.id} item={item} now={now} selected={item.id === selected} onSelect={() => setSelected(item.id)} />
              ))}
            </ul>
          )}
          <p className="muted inbox-shortcuts-hint">
            <button type="button" className="link-button" onClick={() => setHelp(true)} data-testid="shortcuts-button">
              Keyboard shortcuts (?)
            </button>
          </p>
        </aside>
        <section className="inbox__detail" aria-label="Selected item">
          {detail ? (
            <ItemPane key={detail.id} item={detail} username={username} now={now} commands={commands} onChanged={onChanged} />
          ) : (
            <p className="muted">Select an item (j / k).</p>
          )}
        </section>
      </main>
      {help ? (
        <div className="dialog-overlay" role="presentation" onClick={() => setHelp(false)}>
          <div className="dialog" role="dialog" aria-label="Keyboard shortcuts" data-testid="inbox-shortcuts">
            <div className="dialog__header">
              <h2>Keyboard shortcuts</h2>
            </div>
            <dl className="dialog__body shortcuts">
              {SHORTCUTS.map((s) => (
                <div key={s.key}>
                  <dt>
                    <kbd>{s.key}</kbd>
                  </dt>
                  <dd>{s.label}</dd>
                </div>
              ))}
            </dl>
          </div>
        </div>
      ) : null}
    </div>
  );
}
