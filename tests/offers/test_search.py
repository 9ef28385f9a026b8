from datetime import timedelta

import pytest
from django.utils import timezone

from passemploi.core.errors import ServiceError
from passemploi.offers import search
from passemploi.offers.criteria import build_criteria, keyword_terms
from passemploi.offers.search import search_offers
from tests.offers.catalogue import make_fixed_catalogue
from tests.offers.factories import OfferFactory, real_commune

pytestmark = pytest.mark.django_db


def error_of(**values) -> ServiceError:
    with pytest.raises(ServiceError) as error:
        build_criteria(**values)
    # A named commune or département that does not exist is a 404, other bad input a 422.
    assert error.value.status == (404 if error.value.code.startswith("unknown_") else 422)
    return error.value


@pytest.mark.parametrize("radius", [0, -5, 201, 10_000, "dix"])
def test_radius_must_be_between_1_and_200_km(radius):
    real_commune("69123")
    assert error_of(commune="69123", radius_km=radius).field == "radius_km"


def test_radius_defaults_to_10_km():
    real_commune("69123")
    assert build_criteria(commune="69123").radius_km == 10


def test_unknown_commune_and_departement():
    real_commune("69123")
    assert error_of(commune="Atlantide").code == "unknown_commune"
    assert error_of(departement="99").code == "unknown_departement"
    assert error_of(departement="'; DROP TABLE").code == "unknown_departement"


def test_a_2000_character_query_is_refused_clearly():
    error = error_of(q="développeur " * 200)
    assert error.code == "query_too_long"
    assert error.field == "q"


def test_fts_syntax_characters_are_plain_text():
    assert keyword_terms('"vendeur*" AND (serveur) : & | ! ^ -') == [
        "vendeur",
        "and",
        "serveur",
    ]
    assert keyword_terms('"*:&') == []


def test_only_the_first_eight_words_count():
    assert keyword_terms(" ".join(f"mot{i}" for i in range(20))) == [f"mot{i}" for i in range(8)]


def test_distance_sort_without_commune_sorts_by_date():
    make_fixed_catalogue()
    result = search_offers(build_criteria(sort="distance", page_size=3))
    assert [o.source_id for o in result.offers] == ["A", "B", "C"]


def test_page_past_the_reachable_results_is_refused():
    assert error_of(page=51).code == "page_out_of_range"
    assert error_of(page=0).code == "page_out_of_range"
    assert build_criteria(page=50).offset == 980


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"kinds": ["JOB"]}, "invalid_kind"),
        ({"contract_types": ["CDX"]}, "invalid_contract_type"),
        ({"sort": "price"}, "invalid_sort"),
        ({"published_within_days": 0}, "invalid_published_within_days"),
        ({"rome_code": "XX"}, "invalid_rome_code"),
        ({"domain": "MUSIQUE"}, "invalid_domain"),
    ],
)
def test_bad_filters_are_refused(values, code):
    assert error_of(**values).code == code


def test_expired_offers_are_never_found():
    make_fixed_catalogue()
    found = search_offers(build_criteria(q="expiré")).offers
    assert found == []


def test_distance_is_given_with_a_commune():
    make_fixed_catalogue()
    result = search_offers(build_criteria(commune="84007", radius_km=10, sort="distance"))
    assert [round(o.distance) for o in result.offers] == [0, 0, 2]


def test_a_commune_without_coordinates_searches_the_commune_itself():
    noumea = real_commune("98818")
    OfferFactory(commune=noumea, title="Serveur à Nouméa")
    OfferFactory(commune=real_commune("69123"), title="Serveur à Lyon")
    result = search_offers(build_criteria(commune="98818", q="serveur"))
    assert [o.title for o in result.offers] == ["Serveur à Nouméa"]


def test_civic_domain_and_rome_code_filters():
    OfferFactory(kind="SERVICE_CIVIQUE", domain="SPORT", rome_code="", title="Club")
    OfferFactory(rome_code="M1805", title="Développeur")
    assert [o.title for o in search_offers(build_criteria(domain="SPORT")).offers] == ["Club"]
    found = search_offers(build_criteria(rome_code="m1805")).offers
    assert [o.title for o in found] == ["Développeur"]


def test_totals_are_capped(monkeypatch):
    monkeypatch.setattr(search, "MAX_REACHABLE", 5)
    now = timezone.now()
    for i in range(7):
        OfferFactory(published_at=now - timedelta(hours=i))
    result = search_offers(build_criteria(page_size=3))
    assert result.capped
    assert result.count == 5
    assert result.count_label.startswith("Plus de 5")


def test_search_runs_two_queries_whatever_the_catalogue_size(django_assert_num_queries):
    real_commune("69123")
    for size in (3, 30):
        OfferFactory.create_batch(size)
        criteria = build_criteria(q="vendeur", commune="69123", radius_km=20, sort="relevance")
        with django_assert_num_queries(2):
            result = search_offers(criteria)
        assert result.offers
