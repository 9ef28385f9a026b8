from django.contrib import admin

from passemploi.youth.models import SupportRequest


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    """Read-only: the help requests young people sent (also emailed to SUPPORT_EMAIL)."""

    list_display = ["created_at", "email", "subject"]
    search_fields = ["email", "subject"]
    readonly_fields = ["user", "email", "subject", "body", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
