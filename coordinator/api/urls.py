from django.urls import path
from rest_framework.routers import SimpleRouter

from coordinator.api.expressions import ExpressionPreviewView
from coordinator.api.models import ModelCatalogueView, ModelOptionsView, ModelTestView
from coordinator.api.plan_generation import GeneratePlanView
from coordinator.api.route_preview import RoutePreviewView
from coordinator.api.routing_sets import TestSetExportView, TestSetImportView, TestSetRunsView
from coordinator.api.starters import StarterListView, StarterUseView
from coordinator.api.step_tests import StepTestView
from coordinator.api.views import ApprovalViewSet, CanvasRunsView, RunViewSet

router = SimpleRouter()
router.register("runs", RunViewSet, basename="run")
router.register("approvals", ApprovalViewSet, basename="approval")

urlpatterns = [
    path("canvases/<uuid:canvas_id>/runs/", CanvasRunsView.as_view(), name="canvas-runs"),
    path("canvases/<uuid:canvas_id>/test-step/", StepTestView.as_view(), name="canvas-test-step"),
    path("route/preview/", RoutePreviewView.as_view(), name="route-preview"),
    path("routing/test-sets/import/", TestSetImportView.as_view(), name="routing-set-import"),
    path(
        "routing/test-sets/<str:name>/export/",
        TestSetExportView.as_view(),
        name="routing-set-export",
    ),
    path("routing/test-sets/<str:name>/runs/", TestSetRunsView.as_view(), name="routing-set-runs"),
    path("expressions/preview/", ExpressionPreviewView.as_view(), name="expression-preview"),
    path("plans/generate/", GeneratePlanView.as_view(), name="plan-generate"),
    path("models/", ModelCatalogueView.as_view(), name="model-catalogue"),
    path("models/test/", ModelTestView.as_view(), name="model-test"),
    path("models/available/", ModelOptionsView.as_view(), name="model-options"),
    path("templates/", StarterListView.as_view(), name="template-list"),
    path("templates/<slug:slug>/use/", StarterUseView.as_view(), name="template-use"),
    *router.urls,
]
