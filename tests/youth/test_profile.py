"""Profil: details, counselor, scheme, settings links and the offers sharing switch."""

import pytest

from passemploi.offers.models import FavouritesSharing
from tests.helpers import text

pytestmark = pytest.mark.django_db


def test_links_every_setting_and_legal_page(young_client):
    page = text(young_client.get("/app/profil/"))
    for href in (
        "/app/notifications/preferences/",
        "/app/aide/",
        "/app/aide/contact/",
        "/app/profil/mes-donnees/",
    ):
        assert f'href="{href}"' in page
    for label in ("Mentions légales", "Données personnelles", "Accessibilité"):
        assert label in page


def test_sharing_switch_reflects_and_changes_the_choice(young_person, young_client):
    page = text(young_client.get("/app/profil/"))
    assert 'action="/app/offres/suivi/partage/"' in page
    assert "checked" not in page.split('id="profil-partage"')[1].split(">")[0]
    young_client.post("/app/offres/suivi/partage/", {"shared": "1"})
    assert FavouritesSharing.objects.get(young_person=young_person).shared
    page = text(young_client.get("/app/profil/"))
    assert "checked" in page.split('id="profil-partage"')[1].split(">")[0]
