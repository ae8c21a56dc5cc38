"""Canvas API routes, included at /api/ (docs/architecture.md)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from canvas.api import views

router = SimpleRouter()
router.register("agents", views.AgentViewSet, basename="agent")
router.register("canvases", views.CanvasViewSet, basename="canvas")

urlpatterns = [
    path("components/", views.ComponentListView.as_view(), name="component-list"),
    *router.urls,
]
