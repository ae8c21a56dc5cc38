"""Login lockout (django-axes): the backend that checks it and the answer a locked-out client gets.

Failures are counted per user name and per address for the login page, the API token
endpoint and the admin login (settings.AXES_*). A locked-out client gets 429 with
`Retry-After`: JSON under /api/, the sign-in page with the reason elsewhere.
"""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check for authentications made for a request. Those without one (manage.py,
    the test client's login) have no address to count and go straight to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            # DRF's token view passes its own Request: flag the Django request underneath,
            # which is the one coordinator.middleware looks at to answer with the lockout.
            django_request = getattr(request, "_request", None)
            if django_request is not None:
                django_request.axes_locked_out = True
            raise


def locked_out(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    seconds = max(1, int(cool_off.total_seconds())) if cool_off else 60
    detail = (
        "Too many failed sign-in attempts. Try again in "
        f"{max(1, round(seconds / 60))} minute{'s' if seconds > 90 else ''}."
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail}, status=429)
    else:
        context = {"form": AuthenticationForm(request), "locked_out": detail}
        response = render(request, "login.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
