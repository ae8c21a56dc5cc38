"""Rate limits on the expensive endpoints: run creation, YAML import, route preview.

A view names its throttled actions (or HTTP methods) and their scope in `expensive`, e.g.
`expensive = {"post": "runs"}`; the rates are `settings.BATON_THROTTLE_RATES[scope]`
("30/min"), read on every request so they can be changed without a restart of the class.
Requests are counted per user (per address when anonymous) in fixed windows that open with
a user's first request (coordinator/api/rate_window.py): in Redis in distributed mode, so
every daphne process shares the count, with one atomic trip per request. Over the rate: 429
with `Retry-After`, the seconds until the window ends (DRF's Throttled).
"""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from coordinator.api import rate_window

SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/min" → (30, 60): requests allowed per window, and the window in seconds."""
    count, period = rate.split("/")
    return int(count), SECONDS[period[0]]


class ExpensiveEndpointThrottle(BaseThrottle):
    retry_after: int | None = None

    def allow_request(self, request, view):
        action = getattr(view, "action", None) or request.method.lower()
        scope = (getattr(view, "expensive", None) or {}).get(action)
        rate = settings.BATON_THROTTLE_RATES.get(scope) if scope else None
        if not rate:
            return True
        limit, seconds = parse_rate(rate)
        user = request.user
        ident = user.pk if user and user.is_authenticated else self.get_ident(request)
        count, self.retry_after = rate_window.hit(f"{scope}:{ident}", seconds)
        return count <= limit

    def wait(self):
        return self.retry_after
