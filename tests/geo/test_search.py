import pytest

from passemploi.core.errors import ServiceError
from passemploi.geo.models import Commune
from passemploi.geo.search import autocomplete, resolve_commune
from passemploi.geo.text import normalize
from tests.offers.factories import REAL, real_commune


@pytest.fixture
def communes(db):
    return {insee: real_commune(insee) for insee in REAL}


def names(communes):
    return [c.label for c in communes]


def test_normalize_drops_accents_case_and_separators():
    assert normalize("L'Haÿ-les-Roses") == "l hay les roses"
    assert normalize("  SAINT-ÉTIENNE ") == "saint etienne"


def test_autocomplete_ignores_accents_and_case(communes):
    assert names(autocomplete("saint-etienne")) == ["Saint-Étienne (42)"]
    assert names(autocomplete("VILLENEUVE les")) == ["Villeneuve-lès-Avignon (30)"]
    assert names(autocomplete("St Etienne")) == ["Saint-Étienne (42)"]


def test_autocomplete_puts_bigger_communes_first(communes):
    assert names(autocomplete("saint denis")) == ["Saint-Denis (974)", "Saint-Denis (93)"]


def test_autocomplete_matches_a_word_inside_the_name(communes):
    assert names(autocomplete("avignon")) == ["Avignon (84)", "Villeneuve-lès-Avignon (30)"]


def test_autocomplete_by_postal_code_and_insee_code(communes):
    assert names(autocomplete("69002")) == ["Lyon (69)"]
    assert names(autocomplete("974")) == ["Saint-Denis (974)"]
    assert names(autocomplete("84007")) == ["Avignon (84)"]


def test_autocomplete_needs_two_characters(communes):
    assert autocomplete("a") == []
    assert autocomplete("") == []
    assert autocomplete('"*:&') == []


def test_resolve_commune_accepts_labels_codes_and_names(communes):
    assert resolve_commune("Saint-Denis (93)").insee == "93066"
    assert resolve_commune("saint denis").insee == "97411"  # the most populous
    assert resolve_commune("97400").insee == "97411"
    assert resolve_commune("69123").insee == "69123"


@pytest.mark.parametrize("value", ["Atlantide", "", "99999", "x" * 2000])
def test_resolve_commune_refuses_unknown_communes(communes, value):
    with pytest.raises(ServiceError) as error:
        resolve_commune(value)
    assert error.value.code == "unknown_commune"
    assert error.value.field == "commune"


def test_commune_save_keeps_the_search_name(db):
    commune = Commune(insee="01001", name="L'Abergement-Clémenciat", departement="01")
    commune.save()
    assert Commune.objects.get(pk="01001").search_name == "l abergement clemenciat"
