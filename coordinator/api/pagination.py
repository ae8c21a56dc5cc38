"""`limit`/`offset` pages with a maximum size; a value that is not an integer in range is a 400.

DRF's LimitOffsetPagination silently ignores `limit=false` and passes a 20-digit limit to
the database (a 500 on SQLite); here both are refused with the parameter named.
"""

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    @property
    def max_limit(self) -> int:
        return settings.BATON_MAX_PAGE_SIZE

    def get_limit(self, request):
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.default_limit
        return _bounded(self.limit_query_param, raw, 1, self.max_limit)

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw is None:
            return 0
        return _bounded(self.offset_query_param, raw, 0, MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


def _bounded(name: str, raw: str, low: int, high: int) -> int:
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationError({name: "must be a whole number"})
    value = int(raw)
    if not low <= value <= high:
        raise ValidationError({name: f"must be between {low} and {high}"})
    return value
