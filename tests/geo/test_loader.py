"""The shipped file: every commune, overseas included, loaded idempotently."""

import pytest
from django.core.management import call_command

from passemploi.geo.loader import DATA_FILE, load_communes
from passemploi.geo.models import Commune
from passemploi.geo.search import autocomplete


@pytest.mark.django_db
def test_the_shipped_file_loads_every_commune():
    assert DATA_FILE.stat().st_size < 2_000_000
    call_command("load_communes")
    count = Commune.objects.count()
    assert 34_900 <= count <= 36_000
    # Overseas: La Réunion, Mayotte, Guyane; Nouméa is there without coordinates.
    assert Commune.objects.get(pk="97411").has_coordinates
    assert Commune.objects.filter(departement="976").count() == 17
    assert Commune.objects.filter(departement="973").count() == 22
    assert not Commune.objects.get(pk="98818").has_coordinates
    paris = Commune.objects.get(pk="75056")
    assert paris.population > 2_000_000
    assert "75015" in paris.postal_code_list
    assert 48.8 < paris.latitude < 48.9 and 2.3 < paris.longitude < 2.4
    # Every commune of metropolitan France and the overseas départements has coordinates.
    assert not Commune.objects.filter(latitude__isnull=True, departement__lt="975").exists()
    assert Commune.objects.filter(
        latitude__range=(-90, 90), longitude__range=(-180, 180)
    ).count() == (Commune.objects.filter(latitude__isnull=False).count())  # no NaN
    # Idempotent: a second run changes nothing.
    assert load_communes() == 0
    assert [c.label for c in autocomplete("saint etienne", 1)] == ["Saint-Étienne (42)"]
    assert autocomplete("13001")[0].name == "Marseille"
