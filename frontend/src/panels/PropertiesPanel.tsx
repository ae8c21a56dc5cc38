// The selected node's properties: id, label, its config rendered from the component's JSON
// Schema, and (for steps) the optional step options. Problems from validation appear on the
// field they name ("data.config.temperature"); the rest at the top.

import { useCallback, useMemo } from "react";

import { describeFields, type FieldSpec } from "../lib/jsonSchema";
import { problemsByField } from "../lib/problems";
import { setIn } from "../lib/paths";
import { stepOptionsSchema } from "../lib/stepOptions";
import type { BatonNodeData } from "../lib/graphTypes";
import { isDelegationEdge } from "../lib/connections";
import { NOTE_TYPE } from "../lib/notes";
import { Icon } from "../nodes/icons";
import { useComponents } from "../store/components";
import { useGraph, useSingleSelectedNodeId } from "../store/graph";
import { useValidation } from "../store/validation";
import { AgentPicker } from "./AgentPicker";
import { InlineLlmModel } from "./InlineLlmModel";
import { ConnectionPicker, ModelPicker } from "./ModelPicker";
import { NoteProperties } from "./NoteProperties";
import { NodeIdField } from "./NodeIdField";
import { StepOptions } from "./StepOptions";
import { SubAgentsField } from "./SubAgentsField";
import { TESTABLE_TYPES, TestStepPanel } from "./TestStepPanel";
import { FieldErrors } from "./form/FieldShell";
import { fieldPaths, SchemaForm } from "./form/SchemaForm";

const EMPTY: Record<string, unknown> = {};

function useNodeField<T>(id: string, pick: (data: BatonNodeData) => T): T | undefined {
  return useGraph((s) => {
    const node = s.nodes.find((n) => n.id === id);
    return node ? pick(node.data) : undefined;
  });
}

function NodeProperties({ id }: { id: string }) {
  const type = useGraph((s) => s.nodes.find((n) => n.id === id)?.type ?? "");
  const label = useNodeField(id, (d) => d.label) ?? "";
  const config = useNodeField(id, (d) => d.config) ?? EMPTY;
  const spec = useComponents((s) => s.byType[type]);
  const nodeProblems = useValidation((s) => s.byNode[id]);
  const updateNodeData = useGraph((s) => s.updateNodeData);
  const removeElements = useGraph((s) => s.removeElements);

  const fields = useMemo(() => (spec ? describeFields(spec.schema) : []), [spec]);
  const problems = useMemo(() => problemsByField(nodeProblems), [nodeProblems]);
  const unplaced = useMemo(() => {
    const shown = fieldPaths(fields, "data.config");
    shown.add("data.label");
    shown.add("data.config.agent");
    // A sub-agent's "exactly one of agent / inline" has no field of its own: the picker shows it.
    if (type === "sub_agent") shown.add("data.config");
    const stepFields = stepOptionsSchema(type) ? describeFields(stepOptionsSchema(type)!) : [];
    fieldPaths(stepFields, "data.step", shown);
    shown.add("data.step");
    return Object.entries(problems)
      .filter(([path]) => !shown.has(path))
      .flatMap(([path, messages]) => messages.map((m) => (path && path !== "data.config" ? `${m} (${path})` : m)));
  }, [fields, problems, type]);

  const setConfig = useCallback(
    (path: readonly string[], value: unknown) =>
      updateNodeData(id, (data) => ({ ...data, config: setIn(data.config, path, value) }), `config.${path.join(".")}`),
    [id, updateNodeData],
  );

  const renderField = useCallback(
    (field: FieldSpec) => {
      if (type === "coordinator" && field.key === "sub_agents" && field.path.length === 1) {
        return <SubAgentsField id={id} errors={problems["data.config.sub_agents"]} />;
      }
      if ((field.key === "model" || field.key === "connection") && field.path.length === 1 && field.widget === "text") {
        const Picker = field.key === "model" ? ModelPicker : ConnectionPicker;
        const text = (v: unknown) => (typeof v === "string" ? v : "");
        return (
          <Picker
            id={`field-data.config.${field.key}`}
            label={field.title}
            value={text(config[field.key])}
            connection={text(config.connection)}
            errors={problems[`data.config.${field.key}`]}
            onChange={(next) => setConfig([field.key], next)}
          />
        );
      }
      if (type === "sub_agent" && field.path.join(".") === "inline.kind_config") {
        return <InlineLlmModel field={field} config={config} problems={problems} setConfig={setConfig} />;
      }
      if (type === "sub_agent" && field.key === "agent" && field.path.length === 1) {
        return (
          <AgentPicker
            value={typeof config.agent === "string" ? config.agent : null}
            errors={[...(problems["data.config"] ?? []), ...(problems["data.config.agent"] ?? [])]}
            onPick={(slug, name) =>
              updateNodeData(id, (data) => {
                const keepLabel = data.label && data.label !== spec?.label && data.label !== data.config.agent;
                return {
                  ...data,
                  label: keepLabel || !name ? data.label : name,
                  config: { ...data.config, agent: slug, ...(slug ? { inline: null } : {}) },
                };
              })
            }
          />
        );
      }
      return undefined;
    },
    [type, id, problems, config, setConfig, updateNodeData, spec?.label],
  );

  return (
    <div className="properties" data-testid="properties-node" data-node-id={id}>
      <header className="properties__header">
        <span className="baton-node__icon">
          <Icon name={spec?.icon ?? ""} />
        </span>
        <div>
          <h3>{spec?.label ?? type}</h3>
          <p className="muted">{spec?.description}</p>
        </div>
      </header>
      {unplaced.length ? (
        <div className="properties__problems" data-testid="node-problems">
          <FieldErrors messages={unplaced} />
        </div>
      ) : null}
      <NodeIdField id={id} />
      <div className={`field${problems["data.label"] ? " has-error" : ""}`}>
        <label className="field__label" htmlFor="field-data.label">
          Label
        </label>
        <input
          id="field-data.label"
          data-testid="field-data.label"
          value={label}
          maxLength={200}
          onChange={(event) => updateNodeData(id, (data) => ({ ...data, label: event.target.value }), "label")}
        />
        <FieldErrors messages={problems["data.label"]} />
      </div>
      {spec ? (
        <SchemaForm fields={fields} root={spec.schema} value={config} prefix="data.config" problems={problems} onChange={setConfig} renderField={renderField} />
      ) : (
        <p className="error">Unknown component type “{type}”.</p>
      )}
      <StepOptions id={id} type={type} problems={problems} />
      {TESTABLE_TYPES.has(type) ? <TestStepPanel id={id} /> : null}
      <div className="properties__actions">
        <button type="button" className="button button--danger" data-testid="delete-node" onClick={() => removeElements([id])}>
          Delete node
        </button>
      </div>
    </div>
  );
}

function EdgeProperties({ id }: { id: string }) {
  const edge = useGraph((s) => s.edges.find((e) => e.id === id));
  const problems = useValidation((s) => s.byEdge[id]);
  const removeElements = useGraph((s) => s.removeElements);
  if (!edge) return null;
  return (
    <div className="properties" data-testid="properties-edge">
      <h3>{isDelegationEdge(edge) ? "Delegation" : "Flow"} edge</h3>
      <p>
        <code>{edge.source}</code>.{edge.sourceHandle ?? "out"} → <code>{edge.target}</code>.{edge.targetHandle ?? "in"}
      </p>
      <FieldErrors messages={problems?.map((p) => p.message)} />
      <button type="button" className="button button--danger" onClick={() => removeElements([], [id])}>
        Delete edge
      </button>
    </div>
  );
}

export function PropertiesPanel() {
  const nodeId = useSingleSelectedNodeId();
  const nodeCount = useGraph((s) => s.selectedNodeIds.length);
  const edgeId = useGraph((s) => (s.selectedNodeIds.length === 0 && s.selectedEdgeIds.length === 1 ? (s.selectedEdgeIds[0] ?? null) : null));
  const removeElements = useGraph((s) => s.removeElements);
  const nodeType = useGraph((s) => (nodeId ? s.nodes.find((n) => n.id === nodeId)?.type : undefined));
  if (nodeId && nodeType === NOTE_TYPE) return <NoteProperties key={nodeId} id={nodeId} />;
  if (nodeId) return <NodeProperties key={nodeId} id={nodeId} />;
  if (edgeId) return <EdgeProperties key={edgeId} id={edgeId} />;
  if (nodeCount > 1) {
    return (
      <div className="properties" data-testid="properties-multi">
        <p>{nodeCount} nodes selected.</p>
        <button
          type="button"
          className="button button--danger"
          onClick={() => {
            const { selectedNodeIds, selectedEdgeIds } = useGraph.getState();
            removeElements(selectedNodeIds, selectedEdgeIds);
          }}
        >
          Delete selection
        </button>
      </div>
    );
  }
  return (
    <div className="properties properties--empty" data-testid="properties-empty">
      <p className="muted">Select a node to edit its properties.</p>
      <p className="muted">Drag components from the palette onto the canvas, then connect their handles.</p>
    </div>
  );
}
