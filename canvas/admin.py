"""Admin: inspect canvases and versions. The agent registry's admin (the description
workbench) is coordinator/admin.py: it needs the router."""

import json

from django.contrib import admin
from django.utils.html import format_html

from canvas.models import Canvas, CanvasVersion


class CanvasVersionInline(admin.TabularInline):
    """Versions are immutable: listed read-only, graphs never loaded here."""

    model = CanvasVersion
    fields = ("number", "author", "message", "created")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("-number",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").defer("graph")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Canvas)
class CanvasAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "owner", "team", "latest_version", "updated")
    list_filter = ("owner", "team")
    list_select_related = ("owner", "team")
    search_fields = ("name", "slug", "description")
    raw_id_fields = ("owner",)
    readonly_fields = ("id", "latest_version", "created", "updated")
    inlines = [CanvasVersionInline]

    def save_model(self, request, obj, form, change):
        if change:
            # Never write back latest_version: a version saved meanwhile would be orphaned.
            obj.save(update_fields=[*form.changed_data, "updated"])
        else:
            obj.save()


@admin.register(CanvasVersion)
class CanvasVersionAdmin(admin.ModelAdmin):
    """View-only: a version's graph as pretty JSON. New versions come from the editor or API."""

    list_display = ("canvas", "number", "author", "message", "created")
    list_select_related = ("canvas", "author")
    search_fields = ("canvas__name", "canvas__slug", "message")
    fields = ("canvas", "number", "author", "message", "created", "pretty_graph")
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            qs = qs.defer("graph")
        return qs

    @admin.display(description="graph")
    def pretty_graph(self, obj):
        return format_html(
            '<pre style="max-height: 40em; overflow: auto;">{}</pre>',
            json.dumps(obj.graph, indent=2, sort_keys=True),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A version goes only with its canvas: allowed while deleting a canvas, never alone.
        match = request.resolver_match
        deleting_canvas = bool(match and (match.url_name or "").startswith("canvas_canvas_"))
        return deleting_canvas and super().has_delete_permission(request, obj)
