from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from canvas import views as pages
from coordinator import views as run_pages

handler404 = "coordinator.views.not_found"

urlpatterns = [
    path("", pages.canvas_list, name="home"),
    path("canvases/<uuid:canvas_id>/", pages.canvas_editor, name="canvas-editor"),
    path("runs/", run_pages.runs_page, name="runs"),
    path("runs/<uuid:run_id>/", run_pages.run_page, name="run-page"),
    path("inbox/", run_pages.inbox_page, name="inbox"),
    path("favicon.ico", run_pages.favicon, name="favicon"),
    path("models/", run_pages.models_page, name="models-page"),
    path("login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/auth/token/", obtain_auth_token, name="api-token"),
    path("api/", include("canvas.api.urls")),
    path("api/", include("coordinator.api.urls")),
    path("api/", include("triggers.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
