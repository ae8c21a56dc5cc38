// Node-type registry, defined at module level so React Flow never sees a new object
// (xyflow's templates). One memoised component per component type arrives with the editor.

import type { NodeTypes } from "@xyflow/react";

export const nodeTypes: NodeTypes = {};
