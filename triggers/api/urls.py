from django.urls import path
from rest_framework.routers import SimpleRouter

from triggers.api import views

router = SimpleRouter()
router.register("triggers", views.TriggerViewSet, basename="trigger")

urlpatterns = [
    path("triggers/preview/", views.SchedulePreviewView.as_view(), name="trigger-preview"),
    path("events/", views.EventView.as_view(), name="event-post"),
    path("hooks/<uuid:trigger_id>/", views.webhook, name="webhook"),
    *router.urls,
]
