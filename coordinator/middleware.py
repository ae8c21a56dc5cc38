"""Request guards that answer before a view runs: oversized bodies, unstorable query text."""

from django.conf import settings
from django.http import JsonResponse

from coordinator.unstorable import first_unstorable


class BodySizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.BATON_MAX_BODY_BYTES
        try:
            too_big = int(length) > limit
        except ValueError:
            return JsonResponse({"detail": "Content-Length must be an integer."}, status=400)
        if too_big:
            return payload_too_large(limit)
        return self.get_response(request)


def payload_too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {"detail": f"Request body is larger than the limit of {limit} bytes.", "limit": limit},
        status=413,
    )


class UnstorableQueryMiddleware:
    """A query string carrying a NUL (`?status=%00`) is a 400 naming the parameter.

    Django decodes invalid UTF-8 in query strings to U+FFFD, so NUL is what can get through;
    a filter with it would reach PostgreSQL, which refuses it with a 500. JSON, form and YAML
    bodies are checked by the API's parsers, websocket messages by the consumers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = first_unstorable(dict(request.GET.lists()))
        if found:
            field = found[0].rsplit(".", 1)[0]  # "status.0" → "status": each value is a list
            return JsonResponse(
                {"detail": "Invalid input.", "errors": [{"field": field, "message": found[1]}]},
                status=400,
            )
        return self.get_response(request)
