import { create } from "zustand";

interface SessionState {
  username: string;
  csrfToken: string;
  setSession: (session: { username: string; csrfToken: string }) => void;
}

export const useSession = create<SessionState>()((set) => ({
  username: "",
  csrfToken: "",
  setSession: ({ username, csrfToken }) => set({ username, csrfToken }),
}));
