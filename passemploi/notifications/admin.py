"""Support sees the periodic task runs and the outbox, read-only."""

from django.contrib import admin

from passemploi.notifications.models import Delivery, TaskRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TaskRun)
class TaskRunAdmin(ReadOnlyAdmin):
    list_display = ("task", "started_at", "duration", "outcome", "detail")
    list_filter = ("outcome", "task")
    search_fields = ("task",)
    date_hierarchy = "started_at"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("key", "channel", "kind", "state", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("state", "channel", "kind")
    search_fields = ("key",)
    list_select_related = False
    exclude = ("context", "recipient")  # rows name people: support reads state, not content
    readonly_fields = ("key", "channel", "kind", "state", "attempts", "last_error", "sent_at")
