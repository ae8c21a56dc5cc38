// The component palette, grouped by category. Drag an item onto the canvas, or press Enter /
// double-click to drop it in the middle of the view.

import { memo, useMemo, type DragEvent } from "react";

import type { ComponentSpec } from "../api/components";
import { PALETTE_MIME } from "../lib/nodeFactory";
import { Icon } from "../nodes/icons";
import { useComponents } from "../store/components";

const CATEGORY_ORDER = ["Flow", "Agents", "Humans", "Logic"];

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
  const groups = useMemo(() => groupByCategory(list), [list]);
  return (
    <aside className="palette" aria-label="Components" data-testid="palette">
      <h2 className="panel-title">Components</h2>
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
