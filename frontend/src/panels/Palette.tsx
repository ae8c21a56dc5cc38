// The component palette, grouped by category, with a search box and a sticky note. Drag an
// item onto the canvas, or press Enter / double-click to drop it in the middle of the view
// (Enter in the search box adds the first match).

import { memo, useMemo, useState, type DragEvent } from "react";

import type { ComponentSpec } from "../api/components";
import { PALETTE_MIME } from "../lib/nodeFactory";
import { NOTE_TYPE } from "../lib/notes";
import { matchesSearch } from "../lib/paletteSearch";
import { Icon } from "../nodes/icons";
import { useComponents } from "../store/components";

const CATEGORY_ORDER = ["Flow", "Agents", "Humans", "Logic", "Annotations"];

/** Not a component (never a step): a note for whoever reads the canvas. */
const NOTE_ITEM: ComponentSpec = {
  type: NOTE_TYPE,
  label: "Note",
  category: "Annotations",
  description: "A sticky note for readers; never run.",
  icon: "note",
  schema: {},
  defaults: {},
  handles: [],
};

export function groupByCategory(list: readonly ComponentSpec[]): [string, ComponentSpec[]][] {
  const groups = new Map<string, ComponentSpec[]>();
  for (const spec of list) groups.set(spec.category, [...(groups.get(spec.category) ?? []), spec]);
  const rank = (category: string) => {
    const i = CATEGORY_ORDER.indexOf(category);
    return i === -1 ? CATEGORY_ORDER.length : i;
  };
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

const PaletteItem = memo(function PaletteItem({ spec, onAdd }: { spec: ComponentSpec; onAdd: (type: string) => void }) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(PALETTE_MIME, spec.type);
    event.dataTransfer.setData("text/plain", spec.type);
    event.dataTransfer.effectAllowed = "move";
  };
  return (
    <li
      className="palette__item"
      draggable
      tabIndex={0}
      role="button"
      data-testid={`palette-${spec.type}`}
      title={`${spec.description}\nDrag onto the canvas, or press Enter.`}
      onDragStart={onDragStart}
      onDoubleClick={() => onAdd(spec.type)}
      onKeyDown={(event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          onAdd(spec.type);
        }
      }}
    >
      <span className="palette__icon">
        <Icon name={spec.icon} />
      </span>
      <span className="palette__text">
        <span className="palette__label">{spec.label}</span>
        <span className="palette__description">{spec.description}</span>
      </span>
    </li>
  );
});

export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const { list, status, error } = useComponents();
  const [search, setSearch] = useState("");
  const shown = useMemo(
    () => (status === "ready" ? [...list, NOTE_ITEM] : list).filter((spec) => matchesSearch(spec, search)),
    [list, status, search],
  );
  const groups = useMemo(() => groupByCategory(shown), [shown]);
  return (
    <aside className="palette" aria-label="Components" data-testid="palette">
      <h2 className="panel-title">Components</h2>
      <input
        type="search"
        className="palette__search"
        aria-label="Search components"
        placeholder="Search components"
        data-testid="palette-search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && shown[0]) {
            event.preventDefault();
            onAdd(shown[0].type);
          } else if (event.key === "Escape") {
            setSearch("");
          }
        }}
      />
      {status === "ready" && search && shown.length === 0 ? <p className="muted">No component matches “{search}”.</p> : null}
      {status === "loading" || status === "idle" ? <p className="muted">Loading…</p> : null}
      {status === "error" ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {groups.map(([category, specs]) => (
        <section key={category} className="palette__group">
          <h3>{category}</h3>
          <ul>
            {specs.map((spec) => (
              <PaletteItem key={spec.type} spec={spec} onAdd={onAdd} />
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
