from django.contrib import admin

from coordinator import clock
from triggers.models import Trigger, WebhookDelivery, WebhookSecret


class WebhookSecretInline(admin.TabularInline):
    """Secrets are never displayed after creation: only when they were made and expire."""

    model = WebhookSecret
    fields = ["created", "expires_at"]
    readonly_fields = ["created", "expires_at"]
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False  # rotate through the API, which shows the new secret once


@admin.register(Trigger)
class TriggerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "canvas", "paused", "cron", "event", "next_fire_at", "owner"]
    list_filter = ["kind", "paused"]
    search_fields = ["name", "canvas__name", "canvas__slug", "event"]
    raw_id_fields = ["canvas", "source_canvas", "owner"]
    readonly_fields = ["next_fire_at", "last_fired_at", "last_error", "created", "updated"]
    inlines = [WebhookSecretInline]
    actions = ["pause", "resume"]

    def save_model(self, request, obj, form, change):

        if not change:
            obj.owner = obj.owner if obj.owner_id else request.user
        obj.schedule_from(clock.now())  # an edited schedule restarts from now
        super().save_model(request, obj, form, change)
        if obj.kind == "webhook" and not obj.secrets.exists():
            secret = WebhookSecret.objects.create(trigger=obj).secret
            self.message_user(request, f"Webhook secret (shown once; store it now): {secret}")

    @admin.action(description="Pause the selected triggers")
    def pause(self, request, queryset):
        queryset.update(paused=True)

    @admin.action(description="Resume the selected triggers (schedules restart from now)")
    def resume(self, request, queryset):

        for trigger in queryset:
            trigger.paused = False
            trigger.schedule_from(clock.now())
            trigger.save(update_fields=["paused", "next_fire_at"])


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["delivery_id", "trigger", "received", "run"]
    search_fields = ["delivery_id"]
    raw_id_fields = ["trigger", "run"]
