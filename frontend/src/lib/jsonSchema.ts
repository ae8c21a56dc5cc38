// JSON Schema (as pydantic v2 emits it) → a description of the property form.
// Pure: no React. `describeFields` decides the widget for every property; the panel renders it.

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  readOnly?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
}

export type Widget =
  | "select"
  | "switch"
  | "integer"
  | "number"
  | "text"
  | "textarea"
  | "json"
  | "fieldset"
  | "list";

export interface FieldSpec {
  key: string;
  /** Path from the form's root object, e.g. ["context_policy", "mode"]. */
  path: string[];
  title: string;
  description: string;
  widget: Widget;
  readOnly: boolean;
  required: boolean;
  /** anyOf [X, null]: the field may be cleared to null. */
  nullable: boolean;
  options?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  /** For fieldsets: the nested object's fields. */
  children?: FieldSpec[];
  /** For fieldsets: the nested object's schema (to build defaults when it is switched on). */
  schema?: JsonSchema;
}

/** Keys whose strings are prose or templates: rendered as a textarea. */
const LONG_TEXT_KEYS = new Set([
  "prompt",
  "system_prompt",
  "message",
  "query",
  "description",
  "greeting",
  "expression",
  "when",
  "until",
]);

/** Follows `$ref` ("#/$defs/Name" or "#/definitions/Name") and merges a single-element allOf. */
export function resolveRef(schema: JsonSchema, root: JsonSchema, depth = 0): JsonSchema {
  if (depth > 32) return schema;
  if (schema.$ref) {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(schema.$ref);
    const table = match ? (match[1] === "$defs" ? root.$defs : root.definitions) : undefined;
    const target = match && table ? table[decodeURIComponent(match[2] ?? "")] : undefined;
    if (!target) return schema;
    const { $ref: _ref, ...rest } = schema;
    return resolveRef({ ...target, ...rest }, root, depth + 1);
  }
  if (schema.allOf && schema.allOf.length === 1 && schema.allOf[0]) {
    const { allOf, ...rest } = schema;
    return resolveRef({ ...resolveRef(allOf[0] as JsonSchema, root, depth + 1), ...rest }, root, depth + 1);
  }
  return schema;
}

function isNullSchema(schema: JsonSchema): boolean {
  return schema.type === "null" || (schema.enum?.length === 1 && schema.enum[0] === null);
}

/** anyOf/oneOf [X, {type: null}] → X and nullable; type ["string", "null"] too. */
export function unwrapNullable(schema: JsonSchema, root: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const resolved = resolveRef(schema, root);
  const variants = resolved.anyOf ?? resolved.oneOf;
  if (variants) {
    const others = variants.filter((v) => !isNullSchema(v));
    const nullable = others.length < variants.length;
    if (others.length === 1 && others[0]) {
      const { anyOf: _a, oneOf: _o, ...outer } = resolved;
      return { schema: { ...resolveRef(others[0], root), ...outer }, nullable };
    }
    return { schema: resolved, nullable };
  }
  if (Array.isArray(resolved.type)) {
    const types = resolved.type.filter((t) => t !== "null");
    const nullable = types.length < resolved.type.length;
    return { schema: { ...resolved, type: types.length === 1 ? types[0] : types }, nullable };
  }
  return { schema: resolved, nullable: false };
}

/** "max_execution_time" → "Max execution time" (used when the schema has no title). */
export function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

/** pydantic titles are "Max Execution Time"; the form reads better in sentence case. */
function sentenceCase(title: string): string {
  return title
    .split(" ")
    .map((word, i) => (i === 0 || /^[A-Z0-9]{2,}$/.test(word) ? word : word.toLowerCase()))
    .join(" ");
}

function widgetFor(key: string, schema: JsonSchema): Widget {
  if (schema.enum && schema.enum.length > 0) return "select";
  const type = Array.isArray(schema.type) ? undefined : schema.type;
  if (schema.anyOf || schema.oneOf) return "json"; // a real union: edit it as JSON
  switch (type) {
    case "boolean":
      return "switch";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "string":
      return LONG_TEXT_KEYS.has(key) || (schema.maxLength ?? 0) > 2000 ? "textarea" : "text";
    case "object":
      return schema.properties && Object.keys(schema.properties).length > 0 ? "fieldset" : "json";
    case "array":
      return schema.items && unwrapType(schema.items) === "string" ? "list" : "json";
    default:
      return "json"; // no type (Any), or several
  }
}

function unwrapType(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? undefined : schema.type;
}

/** One form field per property of `schema` (an object schema), in declaration order. */
export function describeFields(schema: JsonSchema, root: JsonSchema = schema, path: string[] = []): FieldSpec[] {
  const object = resolveRef(schema, root);
  const required = new Set(object.required ?? []);
  return Object.entries(object.properties ?? {}).map(([key, property]) =>
    describeField(key, property, root, [...path, key], required.has(key)),
  );
}

export function describeField(
  key: string,
  property: JsonSchema,
  root: JsonSchema,
  path: string[],
  required: boolean,
): FieldSpec {
  const { schema, nullable } = unwrapNullable(property, root);
  const widget = widgetFor(key, schema);
  const title = property.title ?? schema.title;
  const field: FieldSpec = {
    key,
    path,
    title: title && widget !== "fieldset" ? sentenceCase(title) : humanize(key),
    description: property.description ?? schema.description ?? "",
    widget,
    readOnly: Boolean(property.readOnly ?? schema.readOnly),
    required,
    nullable,
    default: "default" in property ? property.default : schema.default,
  };
  if (widget === "select") field.options = schema.enum;
  for (const bound of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength"] as const) {
    if (typeof schema[bound] === "number") field[bound] = schema[bound];
  }
  if (widget === "fieldset") {
    field.children = describeFields(schema, root, path);
    field.schema = schema;
  }
  return field;
}

/** The value a switched-on optional object starts with: every property's default. */
export function defaultsOf(schema: JsonSchema, root: JsonSchema = schema): Record<string, unknown> {
  const object = resolveRef(schema, root);
  const value: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(object.properties ?? {})) {
    const { schema: inner } = unwrapNullable(property, root);
    if ("default" in property) value[key] = property.default;
    else if ("default" in inner) value[key] = inner.default;
    else if (inner.type === "object" && inner.properties) value[key] = defaultsOf(inner, root);
    else if (inner.type === "string") value[key] = "";
  }
  return value;
}

/** "0 ≤ x ≤ 2", "> 0", … for a numeric field; "" when unbounded. */
export function rangeHint(field: FieldSpec): string {
  const low =
    field.exclusiveMinimum !== undefined
      ? `> ${field.exclusiveMinimum}`
      : field.minimum !== undefined
        ? `≥ ${field.minimum}`
        : "";
  const high =
    field.exclusiveMaximum !== undefined
      ? `< ${field.exclusiveMaximum}`
      : field.maximum !== undefined
        ? `≤ ${field.maximum}`
        : "";
  return [low, high].filter(Boolean).join(", ");
}

/** Parses a number input against the field's bounds: {value} or {error}. */
export function parseNumberField(text: string, field: FieldSpec): { value?: number | null; error?: string } {
  const trimmed = text.trim();
  if (trimmed === "") {
    return field.nullable ? { value: null } : { error: "Enter a number." };
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: "Enter a number." };
  if (field.widget === "integer" && !Number.isInteger(value)) return { error: "Enter a whole number." };
  // The server's wording (pydantic's), so a problem seen here and by the server shows once.
  const checks: [boolean, string][] = [
    [field.minimum !== undefined && value < field.minimum, `Input should be greater than or equal to ${field.minimum}`],
    [field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum, `Input should be greater than ${field.exclusiveMinimum}`],
    [field.maximum !== undefined && value > field.maximum, `Input should be less than or equal to ${field.maximum}`],
    [field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum, `Input should be less than ${field.exclusiveMaximum}`],
  ];
  const failed = checks.find(([bad]) => bad);
  // Out of range values are still written (the server reports them where they are), so the
  // form never silently drops what the user typed.
  return failed ? { value, error: failed[1] } : { value };
}

/** Parses a JSON textarea: {value} or {error} with the parser's message. */
export function parseJsonField(text: string, field: Pick<FieldSpec, "nullable" | "widget">): { value?: unknown; error?: string } {
  if (text.trim() === "") return field.nullable ? { value: null } : { value: undefined, error: "Enter JSON (e.g. {})." };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `Invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** "a, b\nc" → ["a", "b", "c"] for string-list fields. */
export function parseList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}
