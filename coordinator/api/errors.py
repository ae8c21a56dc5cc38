"""One JSON error shape for the whole API: {"detail": str, "errors": [{"field", "message"}]}."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from pydantic import ValidationError as PydanticValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def flatten_drf_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error dict/list → [{"field": "a.b.0", "message": "..."}]."""
    errors: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = key if not prefix else f"{prefix}.{key}"
            if key == "non_field_errors":
                path = prefix
            errors.extend(flatten_drf_errors(value, path))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            errors.extend({"field": prefix, "message": str(item)} for item in detail)
        else:
            for index, item in enumerate(detail):
                errors.extend(
                    flatten_drf_errors(item, f"{prefix}.{index}" if prefix else str(index))
                )
    else:
        errors.append({"field": prefix, "message": str(detail)})
    return errors


def pydantic_errors(exc: PydanticValidationError, prefix: str = "") -> list[dict]:
    out = []
    for err in exc.errors():
        path = ".".join(str(part) for part in err["loc"])
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        out.append({"field": path, "message": err["msg"]})
    return out


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        limit = settings.BATON_MAX_BODY_BYTES
        return Response(
            {"detail": f"Request body is larger than the limit of {limit} bytes.", "limit": limit},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, PydanticValidationError):
        return Response(
            {"detail": "Invalid input.", "errors": pydantic_errors(exc)},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = flatten_drf_errors(exc.detail)
        response.data = {"detail": "Invalid input.", "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response
