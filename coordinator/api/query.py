"""Unknown query parameters are refused (400 naming them), not silently ignored.

A typo such as `?stauts=failed` would otherwise return every run as if it were a filter.
What a DRF view accepts: its pagination's `limit`/`offset` and its SearchFilter's `search`
on GET, DRF's `format`, and what the view declares per action (or HTTP method) in
`query_parameters`, e.g. `{"list": {"canvas", "status"}}`.
"""

from django.urls import Resolver404, resolve
from rest_framework.filters import SearchFilter
from rest_framework.settings import api_settings


def allowed_query_parameters(view_class, action: str, method: str) -> set[str]:
    allowed = {api_settings.URL_FORMAT_OVERRIDE}
    if method == "GET":
        if getattr(view_class, "pagination_class", None):
            allowed |= {"limit", "offset"}
        if SearchFilter in (getattr(view_class, "filter_backends", None) or []):
            allowed.add(api_settings.SEARCH_PARAM)
    declared = getattr(view_class, "query_parameters", None) or {}
    return allowed | set(declared.get(action, ()))


def unknown_query_parameters(request) -> list[str]:
    """Names in the query string that the API view at this URL does not take ([] off the API)."""
    if not request.path_info.startswith("/api/"):
        return []
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return []
    view_class = getattr(match.func, "cls", None)
    if view_class is None:
        return []
    method = request.method.upper()
    actions = getattr(match.func, "actions", None)
    action = actions.get(method.lower(), "") if actions else method.lower()
    allowed = allowed_query_parameters(view_class, action, method)
    return sorted(name for name in request.GET if name not in allowed)
