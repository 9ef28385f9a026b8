import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.offers.factories import OfferFactory


@pytest.mark.django_db
def test_support_reads_offers_and_communes_in_the_admin():
    OfferFactory(title="Vendeur en boulangerie")
    client = client_for(UserFactory(is_staff=True, is_superuser=True))
    offers = client.get(reverse("admin:offers_offer_changelist"), {"q": "boulangerie"})
    assert offers.status_code == 200
    assert "Vendeur en boulangerie" in offers.content.decode()
    communes = client.get(reverse("admin:geo_commune_changelist"), {"q": "69123"})
    assert communes.status_code == 200
    assert "Lyon" in communes.content.decode()
    assert client.get(reverse("admin:offers_offer_add")).status_code == 403
