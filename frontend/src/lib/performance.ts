// Size thresholds above which the editor trades exactness for speed.

/** Above this many nodes React Flow renders only what is in view, and nodes start with
 * estimated sizes (lib/nodeSize.ts) so that nothing off-screen is rendered just to be measured. */
export const BIG_GRAPH_NODES = 300;
