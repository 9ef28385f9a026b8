from django.contrib import admin

from passemploi.offers.models import Offer


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    """Read-only: offers come from imports and the generator, never from hand edits."""

    list_display = ["title", "kind", "company", "place_label", "published_at", "source"]
    list_filter = ["kind", "source", "contract_type"]
    search_fields = ["title", "company", "source_id"]
    list_select_related = ["commune"]
    raw_id_fields = ["commune"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
