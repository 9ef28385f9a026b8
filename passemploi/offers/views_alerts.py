"""Pages of alerts, suggested searches and shared offers.

Young person: /app/offres/alertes/ (alerts, suggestions, offers shared by the counselor), and
"Créer une alerte" under the search results. Counselor: "Suggérer cette recherche" under the
search results, and "Partager" on an offer page."""

import uuid

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from passemploi.accounts.access import counselor_required, young_person_required
from passemploi.core.errors import ServiceError
from passemploi.offers import services, shares
from passemploi.offers.access import get_offer
from passemploi.offers.enums import SuggestionStatus
from passemploi.offers.forms import page_query, page_values


def _search_values(post) -> dict:
    """The search criteria a form carried over from the search page (its query string)."""
    values = page_values(QueryDict((post.get("recherche") or "")[:2000]))
    values.pop("page", None)
    values.pop("sort", None)
    values.pop("published_within_days", None)
    return values


def _back_to_search(space: str, post):
    query = (post.get("recherche") or "")[:2000]
    url = reverse(f"{space}:search")
    return redirect(f"{url}?{query}" if query else url)


@young_person_required
def alert_list(request):
    alerts = list(services.alerts_of(request.user))
    for alert in alerts:
        alert.search_query = page_query(alert.criteria)
    suggestions = list(
        services.suggestions_visible_to(request.user).filter(status=SuggestionStatus.PENDING)
    )
    for suggestion in suggestions:
        suggestion.search_query = page_query(suggestion.criteria)
    return render(
        request,
        "offers/alerts.html",
        {
            "alerts": alerts,
            "suggestions": suggestions,
            "shared": list(shares.offers_shared_with(request.user)[:20]),
            "active_tab": "offers",
        },
    )


@require_POST
@young_person_required
def alert_create(request):
    try:
        alert, _ = services.create_alert(
            request.user, request.POST.get("name", ""), _search_values(request.POST)
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return _back_to_search("offers_young", request.POST)
    messages.success(
        request,
        f"Alerte « {alert.name} » créée : nous vous dirons chaque matin "
        "s'il y a de nouvelles offres.",
    )
    return redirect(reverse("offers_young:alerts"))


@require_POST
@young_person_required
def alert_rename(request, pk):
    alert = services.get_alert_for_user(request.user, pk)
    try:
        services.rename_alert(request.user, alert, request.POST.get("name", ""))
        messages.success(request, "Alerte renommée.")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(reverse("offers_young:alerts"))


@require_POST
@young_person_required
def alert_delete(request, pk):
    alert = services.get_alert_for_user(request.user, pk)
    services.delete_alert(request.user, alert)
    messages.success(request, f"Alerte « {alert.name} » supprimée.")
    return redirect(reverse("offers_young:alerts"))


def _answer(request, pk, accept: bool):
    suggestion = services.get_suggestion_for_young_person(request.user, pk)
    try:
        services.answer_suggestion(request.user, suggestion, accept)
        messages.success(
            request,
            f"Recherche « {suggestion.name} » ajoutée à vos alertes."
            if accept
            else "Suggestion refusée.",
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(reverse("offers_young:alerts"))


@require_POST
@young_person_required
def suggestion_accept(request, pk):
    return _answer(request, pk, True)


@require_POST
@young_person_required
def suggestion_refuse(request, pk):
    return _answer(request, pk, False)


@require_POST
@counselor_required
def suggest(request):
    try:
        suggestion = services.suggest_search(
            request.user,
            request.POST.get("young_person", ""),
            request.POST.get("name", ""),
            _search_values(request.POST),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    except Http404:
        messages.error(request, "Choisissez un bénéficiaire de votre portefeuille.")
    else:
        messages.success(request, f"Recherche « {suggestion.name} » suggérée.")
    return _back_to_search("offers_counselor", request.POST)


def _uuids(values) -> list:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except (ValueError, TypeError, AttributeError):
            continue
    return found


@require_POST
@counselor_required
def share(request, offer_id: int):
    offer = get_offer(offer_id, request.user)
    back = redirect(reverse("offers_counselor:detail", args=[offer.pk]))
    client_ids = _uuids([request.POST.get("client_id", "")])
    try:
        share, _ = shares.share_offer(
            request.user,
            offer,
            client_id=client_ids[0] if client_ids else uuid.uuid4(),
            young_person_ids=_uuids(request.POST.getlist("young_people")),
            list_ids=_uuids(request.POST.getlist("lists")),
            body=request.POST.get("body", "")[:2000],
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return back
    count = share.recipient_count
    messages.success(request, f"Offre partagée à {count} bénéficiaire{'s' if count > 1 else ''}.")
    return back
