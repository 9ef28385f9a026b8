"""The young person decides whether their counselors see their followed offers."""

import pytest
from django.urls import reverse

from passemploi.offers import favourites as services
from tests.conftest import client_for
from tests.factories import CounselorFactory, YoungPersonFactory
from tests.offers.factories import OfferFactory


@pytest.fixture
def followed(young_person):
    favourite, _ = services.save_offer(young_person.user, OfferFactory(title="Serveur en salle"))
    return favourite


def test_counselor_sees_followed_offers_only_when_shared(
    young_client, counselor_client, young_person, followed
):
    page = reverse("offers_counselor:young_person_favourites", args=[young_person.pk])
    api = f"/api/v1/young-people/{young_person.pk}/favourites"
    assert "n'a pas choisi de partager" in counselor_client.get(page).content.decode()
    assert counselor_client.get(api).json() == {"shared": False, "items": [], "count": 0}
    # The young person themself always sees their own.
    assert young_client.get(api).json()["count"] == 1

    young_client.post(reverse("offers_young:sharing"), {"shared": "1"})
    html = counselor_client.get(page).content.decode()
    assert "Serveur en salle" in html and "Sauvegardée" in html
    body = counselor_client.get(api).json()
    assert body["shared"] is True and body["items"][0]["offer"]["title"] == "Serveur en salle"

    response = young_client.put(
        "/api/v1/favourites/sharing", {"shared": False}, content_type="application/json"
    )
    assert response.json() == {"shared": False}
    assert counselor_client.get(api).json()["count"] == 0


def test_other_counselors_never_see_them(young_client, young_person, followed):
    young_client.post(reverse("offers_young:sharing"), {"shared": "1"})
    outsider = client_for(CounselorFactory().user)
    page = reverse("offers_counselor:young_person_favourites", args=[young_person.pk])
    assert outsider.get(page).status_code == 404
    assert outsider.get(f"/api/v1/young-people/{young_person.pk}/favourites").status_code == 404
    other = client_for(YoungPersonFactory().user)
    assert other.get(f"/api/v1/young-people/{young_person.pk}/favourites").status_code == 404


def test_the_switch_shows_on_the_followed_offers_page(young_client):
    html = young_client.get(reverse("offers_young:favourites")).content.decode()
    assert "Mon conseiller peut voir les offres que je suis" in html
    assert 'name="shared" value="1" checked' not in html
    young_client.post(reverse("offers_young:sharing"), {"shared": "1"})
    html = young_client.get(reverse("offers_young:favourites")).content.decode()
    assert 'name="shared" value="1" checked' in html
