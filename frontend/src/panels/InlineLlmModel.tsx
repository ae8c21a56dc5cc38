// The kind_config of an agent defined inline on a sub-agent node. For the llm kind: model and
// connection pickers above the JSON of the whole config (which keeps every other setting
// editable); other kinds get the JSON alone.

import { isObject } from "../lib/graphTypes";
import type { FieldSpec } from "../lib/jsonSchema";
import { getIn } from "../lib/paths";
import { JsonWidget } from "./form/widgets";
import { ConnectionPicker, ModelPicker } from "./ModelPicker";

export function InlineLlmModel({
  field,
  config,
  problems,
  setConfig,
}: {
  field: FieldSpec;
  config: Record<string, unknown>;
  problems: Record<string, string[]>;
  setConfig: (path: readonly string[], value: unknown) => void;
}) {
  const inline = isObject(config.inline) ? config.inline : {};
  const kindConfig = isObject(inline.kind_config) ? inline.kind_config : {};
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const set = (key: string, value: string) => setConfig(["inline", "kind_config", key], value || undefined);
  const json = (
    <JsonWidget
      field={field}
      prefix="data.config"
      value={getIn(config, field.path)}
      errors={problems["data.config.inline.kind_config"]}
      onChange={(next) => setConfig(field.path, next)}
    />
  );
  if ((inline.kind ?? "llm") !== "llm") return json;
  return (
    <>
      <ModelPicker
        id="field-data.config.inline.kind_config.model"
        label="Model"
        value={text(kindConfig.model)}
        connection={text(kindConfig.connection)}
        errors={problems["data.config.inline.kind_config.model"]}
        onChange={(next) => set("model", next)}
      />
      <ConnectionPicker
        id="field-data.config.inline.kind_config.connection"
        label="Connection"
        value={text(kindConfig.connection)}
        errors={problems["data.config.inline.kind_config.connection"]}
        onChange={(next) => set("connection", next)}
      />
      {json}
    </>
  );
}

