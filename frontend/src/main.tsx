import "@xyflow/react/dist/style.css";
import "./styles.css";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { readBootData } from "./lib/page";
import { useSession } from "./store/session";

const root = document.getElementById("root");
if (root) {
  const boot = readBootData(root);
  useSession.getState().setSession({ username: boot.username, csrfToken: boot.csrfToken, isStaff: boot.isStaff });
  createRoot(root).render(
    <StrictMode>
      <App boot={boot} />
    </StrictMode>,
  );
}
