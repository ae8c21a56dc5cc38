// "Inbox" in the top bar with the live count of items waiting for me.

import { useEffect } from "react";

import { joinInboxFeed, useInboxFeed } from "./feed";

export function InboxBadge() {
  const pending = useInboxFeed((s) => s.pending);
  useEffect(() => joinInboxFeed(), []);
  const current = window.location.pathname.startsWith("/inbox/");
  return (
    <a
      className={`inbox-link${current ? " inbox-link--current" : ""}`}
      href="/inbox/"
      data-testid="inbox-link"
      aria-label={pending ? `Inbox, ${pending} waiting` : "Inbox"}
    >
      Inbox
      {pending ? (
        <span className="inbox-badge" data-testid="inbox-badge">
          {pending > 99 ? "99+" : pending}
        </span>
      ) : null}
    </a>
  );
}
