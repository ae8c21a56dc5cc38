"""Object permissions for the canvas API.

Visibility is decided by the views' querysets (what a user cannot see is a 404); these
classes decide what a user may *do* with an object they can see (a 403).
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class AgentPermission(BasePermission):
    """The registry is readable by everyone signed in; only the owner or staff change an agent."""

    message = "Only the agent's owner or staff can change it."

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return user.is_staff or (obj.owner_id is not None and obj.owner_id == user.pk)


class CanvasPermission(BasePermission):
    """Team members may read and edit a shared canvas; only its owner may delete it."""

    message = "Only the canvas's owner can delete it."

    def has_object_permission(self, request, view, obj):
        if getattr(view, "action", None) == "destroy":
            return obj.owner_id == request.user.pk
        return True
