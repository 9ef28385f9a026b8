from django.contrib import admin

from passemploi.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Support reads and filters the log; nobody adds, edits or deletes through the admin."""

    list_display = ("at", "kind", "actor_label", "target_type", "target_id", "ip")
    list_filter = ("kind", ("at", admin.DateFieldListFilter), "target_type")
    search_fields = ("actor_label", "target_id", "ip")
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
