from collections import Counter

import pytest
from django.core.management import call_command

from passemploi.offers.criteria import build_criteria
from passemploi.offers.models import Offer
from passemploi.offers.search import search_offers
from tests.offers.factories import REAL, real_commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    return [real_commune(insee) for insee in REAL]


def test_generate_offers_makes_a_plausible_catalogue(communes, capsys):
    call_command("generate_offers", "--count", "400", "--seed", "7")
    assert "400 offres générées" in capsys.readouterr().out
    offers = list(Offer.objects.select_related("commune"))
    assert len(offers) == 400
    kinds = Counter(o.kind for o in offers)
    assert set(kinds) == {"EMPLOI", "ALTERNANCE", "IMMERSION", "SERVICE_CIVIQUE"}
    assert kinds["EMPLOI"] > kinds["IMMERSION"]
    # Weighted by population: Paris gets far more offers than Villeneuve-lès-Avignon.
    places = Counter(o.commune_id for o in offers)
    assert places["75056"] > 5 * places.get("30351", 0)
    assert all(o.commune.latitude is None or o.latitude == o.commune.latitude for o in offers)
    civic = next(o for o in offers if o.kind == "SERVICE_CIVIQUE")
    assert civic.domain and civic.start_date and civic.contract_type == "ENGAGEMENT"
    immersion = next(o for o in offers if o.kind == "IMMERSION")
    assert immersion.establishment and immersion.sector and immersion.contact_mode
    assert all(o.published_at < o.expires_at for o in offers)
    # And it is searchable at once.
    assert search_offers(build_criteria(commune="75056")).count > 0


def test_if_empty_runs_once(communes, capsys):
    call_command("generate_offers", "--count", "20", "--if-empty")
    call_command("generate_offers", "--count", "20", "--if-empty")
    assert Offer.objects.count() == 20
    assert "existent déjà" in capsys.readouterr().out


def test_without_communes_the_command_says_what_to_do():
    with pytest.raises(RuntimeError, match="load_communes"):
        call_command("generate_offers", "--count", "1")
