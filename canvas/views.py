"""Page views: thin Django templates that mount the React app from static/dist/."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from canvas.models import Canvas


@login_required
def canvas_list(request):
    return render(request, "app.html", {"page": "canvas-list", "page_props": {}})


@login_required
def canvas_editor(request, canvas_id):
    canvas = get_object_or_404(Canvas.objects.visible_to(request.user), pk=canvas_id)
    return render(
        request,
        "app.html",
        {"page": "canvas-editor", "page_props": {"canvasId": str(canvas.pk), "name": canvas.name}},
    )
