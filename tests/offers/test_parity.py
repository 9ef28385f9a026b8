"""Identical results on PostgreSQL and SQLite for one fixed catalogue.

Run against both: ``DATABASE_URL=postgres://... pytest tests/offers/test_parity.py`` and
``DATABASE_URL=sqlite:///... pytest tests/offers/test_parity.py`` (CI runs the default
database; the expectations are written down, not compared between two runs)."""

import pytest
from django.db import connection

from passemploi.offers.criteria import build_criteria
from passemploi.offers.search import search_offers
from tests.offers.catalogue import make_fixed_catalogue

# criteria → the source ids found, in order (sorted by date, newest first, unless said).
CASES = [
    ({"q": "developpeur"}, "AI"),  # accents and case do not matter
    ({"q": "DÉVELOPPEUR"}, "AI"),
    ({"q": "développeurs"}, "AI"),  # plural
    ({"q": "python"}, "AI"),  # description words count
    ({"q": "vendeur"}, "B"),  # "Vendeuse" is another word (see docs/offers.md)
    ({"q": "vendeuse"}, "C"),
    ({"q": "serveur"}, "DE"),
    ({"q": "serveur restaurant"}, "E"),  # every word must match
    ({"q": "service du midi"}, "E"),  # stop words are left out
    ({"q": "boulangerie martin"}, "B"),  # company
    ({"q": "télétravail"}, "I"),
    ({"q": '"developpeur*" : &'}, "AI"),  # FTS syntax is plain text
    ({"q": "NEAR(vendeur OR serveur)"}, ""),  # no FTS5 operator: every word must match
    ({"q": "plombier"}, ""),
    ({"commune": "84007", "radius_km": 10}, "DEF"),  # across the Rhône, département 30 too
    ({"commune": "84007", "radius_km": 1}, "DF"),
    ({"commune": "Avignon (84)", "radius_km": 10, "sort": "distance"}, "DFE"),
    ({"departement": "84"}, "DF"),
    ({"commune": "69123", "radius_km": 60}, "ABC"),  # Saint-Étienne is ~50 km away
    ({"commune": "69123", "radius_km": 40}, "AB"),
    ({"kinds": ["ALTERNANCE", "IMMERSION"]}, "FG"),
    ({"contract_types": ["CDI"]}, "ACEI"),
    ({"working_times": ["PART_TIME"]}, "BEH"),
    ({"experiences": ["BEGINNER"]}, "ABDFGH"),
    ({"published_within_days": 3}, "AB"),
    ({"q": "serveur", "commune": "30351", "radius_km": 5, "contract_types": ["CDI"]}, "E"),
    ({"commune": "97400", "radius_km": 50}, "G"),
    ({"page_size": 4}, "ABCD"),
    ({"page_size": 4, "page": 3}, "I"),
    ({"page_size": 4, "page": 4}, ""),  # past the end: empty, no error
]


@pytest.mark.django_db
@pytest.mark.parametrize(("values", "expected"), CASES)
def test_same_results_on_every_database(values, expected):
    make_fixed_catalogue()
    result = search_offers(build_criteria(**{"sort": "date", **values}))
    assert "".join(o.source_id for o in result.offers) == expected, connection.vendor


@pytest.mark.django_db
def test_relevance_puts_title_matches_first():
    make_fixed_catalogue()
    result = search_offers(build_criteria(q="python", sort="relevance"))
    assert [o.source_id for o in result.offers] == ["I", "A"]
