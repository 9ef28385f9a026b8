from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from passemploi.offers import favourites
from passemploi.offers.models import Offer
from tests.offers.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_expired_offers_go_unless_followed(young_person, young_client, counselor_client, capsys):
    past = timezone.now() - timedelta(days=1)
    live = OfferFactory()
    gone = OfferFactory(expires_at=past)
    followed = OfferFactory(expires_at=past + timedelta(hours=12), title="Serveur suivi")
    favourites.save_offer(young_person.user, followed)

    call_command("remove_expired_offers")
    assert "1 offres expirées supprimées" in capsys.readouterr().out
    assert set(Offer.objects.values_list("pk", flat=True)) == {live.pk, followed.pk}
    assert not Offer.objects.filter(pk=gone.pk).exists()
    call_command("remove_expired_offers")  # idempotent
    assert "Aucune offre expirée" in capsys.readouterr().out

    # The follower still opens it, marked expired, without "Postuler".
    html = young_client.get(reverse("offers_young:detail", args=[followed.pk])).content.decode()
    assert "Offre expirée" in html
    assert reverse("offers_young:apply", args=[followed.pk]) not in html
    listed = young_client.get(reverse("offers_young:favourites")).content.decode()
    assert "Offre expirée" in listed
    assert young_client.get(f"/api/v1/offers/{followed.pk}").status_code == 200
    # Nobody else does, and the search never shows it.
    assert counselor_client.get(f"/api/v1/offers/{followed.pk}").status_code == 404
    assert young_client.get("/api/v1/offers", {"q": "suivi"}).json()["count"] == 0
