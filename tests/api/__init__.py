"""Canvas API tests. Helpers shared by the test modules live here; fixtures in conftest.py."""

import itertools
import uuid

from django.urls import Resolver404, get_resolver, resolve

from canvas.models import Canvas, CanvasVersion


def counts() -> tuple[int, int]:
    """(canvases, versions): asserted unchanged after every refused request."""
    return Canvas.objects.count(), CanvasVersion.objects.count()


def url(canvas, suffix: str = "") -> str:
    return f"/api/canvases/{canvas.pk}/{suffix}"


def fields(response) -> set[str]:
    """The `field` of every error in an error response."""
    return {e["field"] for e in response.json().get("errors", [])}


# A fixed UUID that names nothing: the URLs become test ids, which every pytest-xdist worker
# process must collect alike.
SAMPLES = [str(uuid.uuid5(uuid.NAMESPACE_URL, "baton-sample")), "1", "sample-slug"]


def api_urls() -> list[str]:
    """One concrete URL for every pattern under /api/ (params filled so the URL resolves)."""
    found = set()
    resolver = get_resolver()
    for key in list(resolver.reverse_dict):
        for possibilities, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(key):
            for template, params in possibilities:
                if not template.startswith("api/"):
                    continue
                for combo in itertools.product(SAMPLES, repeat=len(params)):
                    candidate = "/" + template % dict(zip(params, combo, strict=True))
                    try:
                        resolve(candidate)
                    except Resolver404:
                        continue
                    found.add(candidate)
                    break
                else:
                    raise AssertionError(f"could not build a URL for api pattern {template!r}")
    return sorted(found)
