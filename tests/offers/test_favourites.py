"""Following offers and the "Avez-vous postulé ?" flow, in services, pages and API."""

import pytest
from django.test import Client
from django.urls import reverse

from passemploi.actions.models import Action
from passemploi.core.errors import ServiceError
from passemploi.offers import favourites as services
from passemploi.offers.models import Favourite
from tests.factories import YoungPersonFactory
from tests.offers.factories import OfferFactory


@pytest.fixture
def offer(db):
    return OfferFactory(title="Vendeur en boulangerie", company="Boulangerie Martin")


def test_saving_twice_keeps_one_favourite(young_person, offer):
    first, created = services.save_offer(young_person.user, offer)
    again, created_again = services.save_offer(young_person.user, offer)
    assert created and not created_again and first == again
    assert Favourite.objects.count() == 1


def test_counselors_cannot_follow_offers(counselor, offer):
    with pytest.raises(ServiceError) as error:
        services.save_offer(counselor.user, offer)
    assert error.value.status == 403


def test_another_young_persons_favourite_is_a_404(young_person, offer):
    favourite, _ = services.save_offer(young_person.user, offer)
    other = YoungPersonFactory()
    with pytest.raises(Exception) as error:
        services.get_favourite_for_user(other.user, favourite.pk)
    assert error.typename == "Http404"


def test_apply_then_yes_then_action(young_client, young_person, offer):
    detail = reverse("offers_young:detail", args=[offer.pk])
    response = young_client.post(reverse("offers_young:apply", args=[offer.pk]))
    assert response.status_code == 302
    assert response["Location"] == offer.apply_url
    favourite = Favourite.objects.get(young_person=young_person, offer=offer)
    assert favourite.asks_if_applied
    assert "Avez-vous postulé ?" in young_client.get(detail).content.decode()

    young_client.post(reverse("offers_young:answer", args=[favourite.pk]), {"answer": "yes"})
    favourite.refresh_from_db()
    assert favourite.status == "applied" and favourite.applied_at
    html = young_client.get(detail).content.decode()
    assert "Créer l'action « J&#x27;ai postulé à l&#x27;offre Vendeur en boulangerie" in html

    young_client.post(reverse("offers_young:create_action", args=[favourite.pk]))
    young_client.post(reverse("offers_young:create_action", args=[favourite.pk]))  # no double
    action = Action.objects.get(young_person=young_person)
    assert action.title == "J'ai postulé à l'offre Vendeur en boulangerie chez Boulangerie Martin"
    assert action.category == "EMPLOI" and action.status == "done"
    favourite.refresh_from_db()
    assert favourite.action == action


@pytest.mark.parametrize(
    ("answer", "status", "asks"),
    [("not_yet", "saved", False), ("not_interested", "not_interested", False)],
)
def test_other_answers(young_person, offer, answer, status, asks):
    favourite = services.record_apply_click(young_person.user, offer)
    favourite = services.answer_applied(young_person.user, favourite, answer)
    assert favourite.status == status and favourite.asks_if_applied is asks


def test_no_action_before_applying(young_person, offer):
    favourite, _ = services.save_offer(young_person.user, offer)
    with pytest.raises(ServiceError) as error:
        services.create_applied_action(young_person.user, favourite)
    assert error.value.code == "not_applied"


def test_favourites_page_groups_by_state(young_client, young_person, django_assert_max_num_queries):
    counts = []
    for size in (1, 6):
        for _ in range(size):
            services.save_offer(young_person.user, OfferFactory())
        with django_assert_max_num_queries(15) as captured:
            response = young_client.get(reverse("offers_young:favourites"))
        counts.append(len(captured))
    assert counts[0] == counts[1]
    html = response.content.decode()
    assert "Sauvegardée (7)" in html
    favourite = Favourite.objects.first()
    young_client.post(
        reverse("offers_young:status", args=[favourite.pk]), {"status": "not_interested"}
    )
    assert (
        "Pas intéressé (1)" in young_client.get(reverse("offers_young:favourites")).content.decode()
    )
    bad = young_client.post(reverse("offers_young:status", args=[favourite.pk]), {"status": "x"})
    assert bad.status_code == 302
    favourite.refresh_from_db()
    assert favourite.status == "not_interested"  # nothing lost


def test_save_and_remove_from_the_offer_page(young_client, young_person, offer):
    young_client.post(reverse("offers_young:save", args=[offer.pk]))
    assert Favourite.objects.filter(young_person=young_person).count() == 1
    html = young_client.get(reverse("offers_young:detail", args=[offer.pk])).content.decode()
    assert "Ne plus suivre" in html and "Sauvegardée" in html
    young_client.post(reverse("offers_young:remove", args=[offer.pk]))
    assert not Favourite.objects.exists()


def test_favourites_api(young_client, young_person, offer):
    created = young_client.post(
        "/api/v1/favourites", {"offer_id": offer.pk}, content_type="application/json"
    )
    assert created.status_code == 201
    again = young_client.post(
        "/api/v1/favourites", {"offer_id": offer.pk}, content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    favourite_id = created.json()["id"]
    answered = young_client.post(
        f"/api/v1/favourites/{favourite_id}/answer",
        {"answer": "yes", "create_action": True},
        content_type="application/json",
    )
    assert answered.status_code == 200
    body = answered.json()
    assert body["status"] == "applied" and body["status_label"] == "Postulée"
    assert Action.objects.get(young_person=young_person).category == "EMPLOI"
    listed = young_client.get("/api/v1/favourites").json()
    assert listed["count"] == 1 and listed["items"][0]["offer"]["id"] == offer.pk
    bad = young_client.patch(
        f"/api/v1/favourites/{favourite_id}", {"status": "x"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_status"
    assert young_client.delete(f"/api/v1/favourites/{favourite_id}").status_code == 204
    assert young_client.get("/api/v1/favourites").json()["count"] == 0


def test_favourites_api_refuses_counselors_and_anonymous(counselor_client, offer):
    response = counselor_client.get("/api/v1/favourites")
    assert response.status_code == 403
    assert Client().get("/api/v1/favourites").status_code == 401
