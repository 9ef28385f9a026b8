"""Support view of push targets: who can receive push, and whether it works. Read-only: browsers
and apps register themselves; support may only delete a target (the user re-subscribes)."""

from django.contrib import admin

from passemploi.push.models import DeviceToken, PushSubscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PushSubscription)
class PushSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["user", "push_service", "created_at", "last_success_at", "failure_count"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    # The endpoint and keys let anyone push to the browser: not shown.
    fields = [
        "user",
        "push_service",
        "user_agent",
        "created_at",
        "last_success_at",
        "failure_count",
    ]
    readonly_fields = fields

    @admin.display(description="service push")
    def push_service(self, obj):
        return obj.endpoint.split("/")[2] if "://" in obj.endpoint else ""


@admin.register(DeviceToken)
class DeviceTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "platform", "created_at", "last_seen_at"]
    list_filter = ["platform"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "platform", "created_at", "last_seen_at"]
    readonly_fields = fields
