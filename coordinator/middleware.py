"""Request guards that answer before a view runs, in one middleware (each middleware adds
stack frames to every request, and JSON parsing needs that stack for deep documents):

* a `Content-Length` over BATON_MAX_BODY_BYTES → 413 (the ASGI guard in
  coordinator/body_limit.py refuses earlier still, under daphne);
* a query string carrying a NUL (`?status=%00`) → 400 naming the parameter. Django decodes
  invalid UTF-8 in query strings to U+FFFD, so NUL is what gets through, and a filter with
  it would reach PostgreSQL, which refuses it with a 500;
* a query parameter an API endpoint does not take → 400 naming it (coordinator/api/query.py);
* and, on the way out, a sign-in that django-axes flagged as locked out becomes its lockout
  response (429, coordinator/lockout.py) — what axes.middleware.AxesMiddleware does.

JSON, form and YAML bodies are checked by the API's parsers, websocket messages by the
consumers.
"""

from axes.helpers import get_lockout_response
from django.conf import settings
from django.http import JsonResponse

from coordinator.api.query import unknown_query_parameters
from coordinator.unstorable import first_unstorable


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.refusal(request) or self.get_response(request)
        if settings.AXES_ENABLED and getattr(request, "axes_locked_out", False):
            credentials = getattr(request, "axes_credentials", None)
            response = get_lockout_response(request, response, credentials)
        return response

    def refusal(self, request) -> JsonResponse | None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.BATON_MAX_BODY_BYTES
        if not length.isdigit():
            return JsonResponse({"detail": "Content-Length must be an integer."}, status=400)
        if int(length) > limit:
            return payload_too_large(limit)
        if not request.GET:
            return None
        found = first_unstorable(dict(request.GET.lists()))
        if found:
            field = found[0].rsplit(".", 1)[0]  # "status.0" → "status": each value is a list
            return invalid([{"field": field, "message": found[1]}])
        unknown = unknown_query_parameters(request)
        if unknown:
            message = "not a query parameter of this endpoint"
            return invalid([{"field": name, "message": message} for name in unknown])
        return None


def invalid(errors: list[dict]) -> JsonResponse:
    return JsonResponse({"detail": "Invalid input.", "errors": errors}, status=400)


def payload_too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {"detail": f"Request body is larger than the limit of {limit} bytes.", "limit": limit},
        status=413,
    )
