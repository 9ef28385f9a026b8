"""The htmx options of the commune field (a datalist filled as the user types)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from passemploi.geo.search import autocomplete


@require_GET
def commune_options(request):
    # htmx sends the field under its own name; the API-like ?q= works too.
    text = request.GET.get("q") or next((v for v in request.GET.values() if v), "")
    communes = autocomplete(text)
    return render(request, "geo/partials/commune_options.html", {"communes": communes})
