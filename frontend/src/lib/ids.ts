// Node ids become plan step ids, so they must match the server's STEP_ID_PATTERN.

export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export function randomSuffix(length = 6, random: () => number = Math.random): string {
  let out = "";
  for (let i = 0; i < length; i += 1) out += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return out;
}

export function isValidNodeId(id: string): boolean {
  return NODE_ID_PATTERN.test(id);
}

/** A fresh id such as "sub_agent_k3f9xa" that is valid and not in `taken`. */
export function newNodeId(type: string, taken: (id: string) => boolean, random: () => number = Math.random): string {
  let prefix = type.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 50) || "node";
  if (!/^[A-Za-z_]/.test(prefix)) prefix = `n_${prefix}`;
  for (;;) {
    const id = `${prefix}_${randomSuffix(6, random)}`;
    if (!taken(id)) return id;
  }
}

export function newEdgeId(taken: (id: string) => boolean = () => false): string {
  for (;;) {
    const id = `e_${randomSuffix(8)}`;
    if (!taken(id)) return id;
  }
}
