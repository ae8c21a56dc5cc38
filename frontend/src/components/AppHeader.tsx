import type { ReactNode } from "react";

import { InboxBadge } from "../inbox/InboxBadge";
import { csrfToken } from "../lib/csrf";
import { useSession } from "../store/session";

/** Django 5 logs out on POST only, so "Log out" is a tiny form carrying the CSRF token. */
function LogoutForm() {
  const fallback = useSession((state) => state.csrfToken);
  return (
    <form className="logout" method="post" action="/logout/">
      <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken(fallback)} />
      <button type="submit" className="link-button">
        Log out
      </button>
    </form>
  );
}

export function AppHeader({ children }: { children?: ReactNode }) {
  const username = useSession((state) => state.username);
  const isStaff = useSession((state) => state.isStaff);
  return (
    <header className="app-header">
      <a className="brand" href="/">
        Baton
      </a>
      <div className="app-header__title">{children}</div>
      <nav className="app-header__user" aria-label="Account">
        <a href="/runs/" className="app-header__link">
          Runs
        </a>
        {isStaff ? (
          <a href="/models/" className="app-header__link" data-testid="nav-models">
            Models
          </a>
        ) : null}
        <InboxBadge />
        <span className="username" data-testid="username">
          {username}
        </span>
        <LogoutForm />
      </nav>
    </header>
  );
}
