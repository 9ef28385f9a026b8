from django.contrib import admin

from passemploi.sso.models import SsoIdentity


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    """Support sees each linked identity and unlinks one by deleting it."""

    list_display = ("user", "provider", "linked_at", "last_login_at")
    list_filter = ("provider",)
    search_fields = ("user__email", "sub")
    readonly_fields = ("user", "provider", "sub", "linked_at", "last_login_at")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
