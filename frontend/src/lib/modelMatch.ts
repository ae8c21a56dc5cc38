// Which of the user's connections would serve a model name: the same rule as the server's
// Connection.serves (shell patterns, fnmatchcase) and connection_for (first by name).

export interface ConnectionPatterns {
  name: string;
  model_patterns: string[];
}

/** fnmatch-style match: `*` any run, `?` one character, `[…]` a class; case-sensitive. */
export function globMatch(name: string, pattern: string): boolean {
  let regex = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "*") regex += ".*";
    else if (char === "?") regex += ".";
    else if (char === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end === -1) regex += "\\[";
      else {
        let body = pattern.slice(i + 1, end).replace(/\\/g, "\\\\");
        if (body.startsWith("!")) body = "^" + body.slice(1);
        regex += `[${body}]`;
        i = end;
      }
    } else regex += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${regex}$`, "s").test(name);
}

export type ModelReach =
  | { kind: "local" }
  | { kind: "connection"; connection: string; pattern: string }
  | { kind: "unserved"; connection: string };

export const LOCAL_MODEL = "baton/local";

/** How a run would reach `model` (through `named` when one is chosen). */
export function reachOf(model: string, connections: readonly ConnectionPatterns[], named = ""): ModelReach {
  const name = model.trim();
  if (!name || name === LOCAL_MODEL) return { kind: "local" };
  const candidates = named
    ? connections.filter((c) => c.name === named)
    : [...connections].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const connection of candidates) {
    const pattern = connection.model_patterns.find((p) => globMatch(name, p));
    if (pattern !== undefined) return { kind: "connection", connection: connection.name, pattern };
  }
  return { kind: "unserved", connection: named };
}
