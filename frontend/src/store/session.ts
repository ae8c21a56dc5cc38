import { create } from "zustand";

interface SessionState {
  username: string;
  csrfToken: string;
  isStaff: boolean;
  setSession: (session: { username: string; csrfToken: string; isStaff?: boolean }) => void;
}

export const useSession = create<SessionState>()((set) => ({
  username: "",
  csrfToken: "",
  isStaff: false,
  setSession: ({ username, csrfToken, isStaff = false }) => set({ username, csrfToken, isStaff }),
}));
