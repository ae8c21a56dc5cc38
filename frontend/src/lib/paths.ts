// Immutable get/set by path for nested config objects.

import { isObject, type JsonObject } from "./graphTypes";

export function getIn(value: unknown, path: readonly string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A copy of `target` with `value` at `path`; `undefined` deletes the key. Parents are created. */
export function setIn(target: JsonObject, path: readonly string[], value: unknown): JsonObject {
  const [key, ...rest] = path;
  if (key === undefined) return target;
  const copy: JsonObject = { ...target };
  if (rest.length === 0) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
    return copy;
  }
  const child = isObject(target[key]) ? (target[key] as JsonObject) : {};
  copy[key] = setIn(child, rest, value);
  return copy;
}
