"""The young person's followed offers: save, states, "Postuler" and "Avez-vous postulé ?"."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from passemploi.accounts.access import counselor_required, young_person_required
from passemploi.core.errors import ServiceError
from passemploi.offers import favourites as services
from passemploi.offers.access import get_offer
from passemploi.offers.enums import FavouriteStatus


def _back_to_offer(offer_id):
    return redirect(reverse("offers_young:detail", args=[offer_id]))


@young_person_required
def favourite_list(request):
    items = list(services.favourites_of(request.user).order_by("status", "-updated_at"))
    groups = [
        (label, [f for f in items if f.status == value]) for value, label in FavouriteStatus.choices
    ]
    return render(
        request,
        "offers/favourites.html",
        {
            "groups": groups,
            "count": len(items),
            "shared": services.is_shared(request.user.young_person),
            "status_choices": FavouriteStatus.choices,
            "active_tab": "offers",
        },
    )


@require_POST
@young_person_required
def save(request, offer_id: int):
    services.save_offer(request.user, get_offer(offer_id))
    messages.success(request, "Offre ajoutée à votre suivi.")
    return _back_to_offer(offer_id)


@require_POST
@young_person_required
def remove(request, offer_id: int):
    offer = get_offer(offer_id, request.user)  # an expired offer can be unfollowed
    favourite = services.favourite_for_offer(request.user, offer)
    if favourite is not None:
        services.remove_favourite(request.user, favourite)
    messages.success(request, "Offre retirée de votre suivi.")
    return _back_to_offer(offer_id)


@require_POST
@young_person_required
def apply(request, offer_id: int):
    """Follows "Postuler": remembers it (to ask "Avez-vous postulé ?" on return), then leaves
    for the employer's page. The URL comes from the catalogue, never from the request."""
    offer = get_offer(offer_id)
    if not offer.apply_url:
        return _back_to_offer(offer_id)
    services.record_apply_click(request.user, offer)
    return redirect(offer.apply_url)


@require_POST
@young_person_required
def answer(request, pk):
    favourite = services.get_favourite_for_user(request.user, pk)
    try:
        services.answer_applied(request.user, favourite, request.POST.get("answer", ""))
    except ServiceError as error:
        messages.error(request, error.message)
    return _back_to_offer(favourite.offer_id)


@require_POST
@young_person_required
def change_status(request, pk):
    favourite = services.get_favourite_for_user(request.user, pk)
    try:
        services.change_status(request.user, favourite, request.POST.get("status", ""))
        messages.success(request, "État de l'offre mis à jour.")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(reverse("offers_young:favourites"))


@require_POST
@young_person_required
def create_action(request, pk):
    favourite = services.get_favourite_for_user(request.user, pk)
    try:
        action = services.create_applied_action(request.user, favourite)
    except ServiceError as error:
        messages.error(request, error.message)
        return _back_to_offer(favourite.offer_id)
    messages.success(request, f"Action « {action.title} » ajoutée à votre suivi.")
    return _back_to_offer(favourite.offer_id)


@require_POST
@young_person_required
def sharing(request):
    shared = services.set_sharing(request.user, bool(request.POST.get("shared")))
    messages.success(
        request,
        "Votre conseiller voit désormais les offres que vous suivez."
        if shared
        else "Votre conseiller ne voit plus les offres que vous suivez.",
    )
    return redirect(reverse("offers_young:favourites"))


@counselor_required
def young_person_favourites(request, pk):
    young_person, shared, items = services.shared_favourites_for(request.user, pk)
    return render(
        request,
        "offers/counselor_favourites.html",
        {
            "young_person": young_person,
            "shared": shared,
            "favourites": list(items),
            "active_section": "portfolio",
        },
    )
