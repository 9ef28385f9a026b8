from django.contrib import admin

from passemploi.geo.models import Commune


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    """Read-only: communes come from the shipped file (manage.py load_communes)."""

    list_display = ["insee", "name", "departement", "postal_codes", "population"]
    search_fields = ["insee", "search_name", "postal_codes"]
    list_filter = ["region"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
