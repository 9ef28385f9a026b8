"""Offer pages: the young person's /app/offres/ and the counselor's /conseiller/offres/."""

import uuid

from django.shortcuts import render

from passemploi.accounts.access import (
    counselor_of,
    counselor_required,
    portfolio_of,
    young_person_required,
)
from passemploi.broadcasts.access import lists_visible_to
from passemploi.offers.access import get_offer
from passemploi.offers.favourites import applied_action_title, favourite_for_offer
from passemploi.offers.forms import criteria_from_query, filter_context, page_links
from passemploi.offers.search import search_offers

SPACES = {
    "young": {"base": "youth/base.html", "namespace": "offers_young"},
    "counselor": {"base": "core/counselor_base.html", "namespace": "offers_counselor"},
}


def _search_context(request, space: str) -> dict:
    criteria, errors = criteria_from_query(request.GET)
    context = {
        **SPACES[space],
        **filter_context(request.GET),
        "errors": errors,
        "error_messages": [message for message in errors.values() if message],
        "searched": bool(request.GET),
        "result": None,
        "active_tab": "offers",
        "active_section": "offers",
    }
    if criteria is not None:
        result = search_offers(criteria)
        context["result"] = result
        context.update(page_links(request.GET, result))
        # "Créer une alerte" / "Suggérer cette recherche" carry the query string over.
        context["search_query"] = request.GET.urlencode()
        if space == "counselor":
            context["portfolio"] = _portfolio(request.user)
    return context


def _portfolio(user) -> list:
    counselor = counselor_of(user)
    return list(
        portfolio_of(counselor)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _render_search(request, space: str):
    context = _search_context(request, space)
    template = "offers/search.html"
    if request.htmx and not request.htmx.boosted:
        template = "offers/partials/results.html"
    return render(request, template, context)


def _render_detail(request, space: str, offer_id: int):
    offer = get_offer(offer_id, request.user)
    favourite = favourite_for_offer(request.user, offer) if space == "young" else None
    share_context = {"portfolio": [], "broadcast_lists": []}
    if space == "counselor" and not offer.is_expired:
        share_context = {
            "portfolio": _portfolio(request.user),
            "broadcast_lists": list(lists_visible_to(request.user).order_by("name")),
            "share_client_id": uuid.uuid4(),
        }
    return render(
        request,
        "offers/detail.html",
        {
            **SPACES[space],
            "offer": offer,
            "young": space == "young",
            "favourite": favourite,
            "action_title": applied_action_title(offer),
            "active_tab": "offers",
            "active_section": "offers",
            **share_context,
        },
    )


@young_person_required
def young_search(request):
    return _render_search(request, "young")


@young_person_required
def young_detail(request, offer_id: int):
    return _render_detail(request, "young", offer_id)


@counselor_required
def counselor_search(request):
    return _render_search(request, "counselor")


@counselor_required
def counselor_detail(request, offer_id: int):
    return _render_detail(request, "counselor", offer_id)
