"""Page views for runs: thin Django templates that mount the React app from static/dist/."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from coordinator.models import Run


@login_required
def run_page(request, run_id):
    """The full record of one run (/runs/<id>/); 404 for a run the user cannot see."""
    run = get_object_or_404(
        Run.objects.visible_to(request.user).select_related("canvas"), pk=run_id
    )
    return render(
        request,
        "app.html",
        {
            "page": "run",
            "page_props": {
                "runId": str(run.pk),
                "canvasId": str(run.canvas_id),
                "canvasName": run.canvas.name,
            },
        },
    )


@login_required
def runs_page(request):
    """Every run the user may see, across canvases (/runs/); the list comes from /api/runs/."""
    return render(request, "app.html", {"page": "runs", "page_props": {}})


@login_required
def inbox_page(request):
    """The reviewer's inbox (/inbox/, /inbox/?item=<id> opens one item)."""
    item = request.GET.get("item", "")
    return render(request, "app.html", {"page": "inbox", "page_props": {"item": item[:64]}})


@login_required
def models_page(request):
    """Models and credentials (/models/): staff only, like the Connections they configure."""
    from django.core.exceptions import PermissionDenied

    if not request.user.is_staff:
        raise PermissionDenied("The Models page is for staff.")
    return render(request, "app.html", {"page": "models", "page_props": {}})


def not_found(request, exception=None):
    """404 for an unknown URL: JSON in the API's error shape under /api/, the HTML page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the page links to."""
    icon = settings.BASE_DIR / "static" / "favicon.ico"
    return FileResponse(
        icon.open("rb"),
        content_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )
