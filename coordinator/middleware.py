"""Refuse oversized request bodies with 413 before anything reads them."""

from django.conf import settings
from django.http import JsonResponse


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
