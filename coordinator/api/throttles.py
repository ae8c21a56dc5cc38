"""Rate limits on the expensive endpoints: run creation, YAML import, route preview.

A view names its throttled actions (or HTTP methods) and their scope in `expensive`, e.g.
`expensive = {"post": "runs"}`; the rates are `settings.BATON_THROTTLE_RATES[scope]`
("30/min"), read on every request so they can be changed without a restart of the class.
Requests are counted per user (per address when anonymous) in the default cache — Redis in
distributed mode, so every daphne process shares the count. Over the rate: 429 with
`Retry-After` (DRF's Throttled).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ExpensiveEndpointThrottle(SimpleRateThrottle):
    def get_rate(self):
        return None  # chosen per request, from the view's scope

    def allow_request(self, request, view):
        action = getattr(view, "action", None) or request.method.lower()
        self.scope = (getattr(view, "expensive", None) or {}).get(action)
        self.rate = settings.BATON_THROTTLE_RATES.get(self.scope) if self.scope else None
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        user = request.user
        ident = user.pk if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
