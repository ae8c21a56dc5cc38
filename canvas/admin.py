"""Admin: inspect canvases and versions. The agent registry's admin (the description
workbench) is coordinator/admin.py: it needs the router."""

import json

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from canvas.models import Canvas, CanvasVersion, Connection, Secret
from coordinator.credentials import CredentialError, encrypt


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


class SecretAdminForm(forms.ModelForm):
    """A stored value is typed once, encrypted, and never shown again."""

    value = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="source=stored: the value (encrypted with BATON_SECRETS_KEY; leave empty "
        "to keep the current one).",
    )

    class Meta:
        model = Secret
        fields = [
            "name",
            "description",
            "source",
            "env_var",
            "allowed_hosts",
            "teams",
            "all_teams",
        ]

    def clean(self):
        data = super().clean()
        keeps_old = bool(self.instance.pk and self.instance.encrypted_value)
        if data.get("source") == "stored" and not data.get("value") and not keeps_old:
            self.add_error("value", "type the value to store")
        if data.get("source") == "stored" and data.get("value"):
            try:
                self.instance.encrypted_value = encrypt(data["value"])
            except CredentialError as exc:
                self.add_error("value", str(exc))
        return data


@admin.register(Secret)
class SecretAdmin(admin.ModelAdmin):
    """Staff only; the value itself is never displayed."""

    form = SecretAdminForm
    list_display = ("name", "source", "all_teams", "updated")
    search_fields = ("name", "description")
    filter_horizontal = ("teams",)
    fields = (
        "name",
        "description",
        "source",
        "env_var",
        "value",
        "allowed_hosts",
        "teams",
        "all_teams",
    )


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ("name", "api_base", "secret", "all_teams", "updated")
    search_fields = ("name", "description", "api_base")
    filter_horizontal = ("teams",)
    autocomplete_fields = ("secret",)
