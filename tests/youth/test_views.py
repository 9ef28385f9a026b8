import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from passemploi.accounts.enums import Scheme
from tests.factories import CounselorFactory, StructureFactory, YoungPersonFactory
from tests.helpers import text

pytestmark = pytest.mark.django_db

TABS = [
    ("/app/suivi/", "Mon suivi"),
    ("/app/messages/", "Messages"),
    ("/app/offres/", "Offres"),
    ("/app/evenements/", "Événements"),
    ("/app/profil/", "Mon profil"),
]


class TestHome:
    def test_greets_and_names_the_counselor(self):
        structure = StructureFactory(name="Mission Locale de Lyon")
        counselor = CounselorFactory(
            structure=structure, user__first_name="Julien", user__last_name="Moreau"
        )
        young_person = YoungPersonFactory(
            counselor=counselor, user__first_name="Yanis", scheme=Scheme.PACEA
        )
        client = Client()
        client.force_login(young_person.user)
        response = client.get("/app/")
        assert response.status_code == 200
        page = text(response)
        assert "<h1>Bonjour Yanis</h1>" in page
        assert "Julien Moreau vous accompagne" in page
        assert "Mission Locale de Lyon" in page
        assert "« PACEA »" in page
        assert 'aria-current="page"' in page

    def test_links_the_manifest_and_registers_the_service_worker(self, young_client):
        body = young_client.get("/app/").content.decode()
        assert 'rel="manifest" href="/app/manifest.webmanifest"' in body
        assert 'data-sw-url="/app/sw.js"' in body

    def test_every_tab_is_in_the_bottom_navigation(self, young_client):
        body = young_client.get("/app/").content.decode()
        for path, _ in TABS[:-1]:
            assert f'href="{path}"' in body
        assert 'href="/app/profil/"' in body


class TestTabs:
    @pytest.mark.parametrize(("path", "title"), TABS)
    def test_renders(self, young_client, path, title):
        response = young_client.get(path)
        assert response.status_code == 200
        page = text(response)
        assert f"<h1>{title}</h1>" in page
        assert "INVALID_TEMPLATE_VARIABLE" not in page

    @pytest.mark.parametrize(("path", "title"), TABS)
    def test_marks_the_current_tab(self, young_client, path, title):
        body = young_client.get(path).content.decode()
        current = body.split('aria-current="page"', 1)[0].rsplit("<a", 1)[1]
        assert f'href="{path}"' in current

    def test_profile_shows_the_young_person(self, young_person, young_client):
        page = text(young_client.get("/app/profil/"))
        assert young_person.user.email in page
        assert young_person.counselor.user.get_full_name() in page
        assert "Contrat d'Engagement Jeune" in page
        assert young_person.terms_version in page
        assert 'action="/deconnexion/"' in page

    @pytest.mark.parametrize(("path", "title"), TABS)
    def test_anonymous_is_sent_to_login(self, client, path, title):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/connexion/?next={path}"


class TestProgressiveWebApp:
    def test_manifest(self, client):
        response = client.get("/app/manifest.webmanifest")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/manifest+json"
        manifest = json.loads(response.content)
        assert manifest["start_url"] == "/app/"
        assert manifest["scope"] == "/app/"
        assert manifest["lang"] == "fr"
        assert manifest["display"] == "standalone"
        assert manifest["name"] == "Pass Emploi"
        sizes = {icon["sizes"] for icon in manifest["icons"]}
        assert {"192x192", "512x512"} <= sizes
        for icon in manifest["icons"]:
            assert icon["src"].startswith("/static/")
            found = finders.find(icon["src"].removeprefix("/static/"))
            assert found, f"{icon['src']} is not a static file"
            assert icon["type"] == "image/png"

    def test_service_worker(self, client):
        response = client.get("/app/sw.js")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/javascript")
        assert "no-cache" in response["Cache-Control"]
        body = response.content.decode()
        assert 'const OFFLINE_URL = "/app/hors-ligne/";' in body
        assert "{{" not in body
        assert "INVALID_TEMPLATE_VARIABLE" not in body

    @pytest.mark.parametrize(
        "path", ["/app/sw.js", "/app/hors-ligne/", "/app/manifest.webmanifest"]
    )
    def test_app_shell_files_are_not_gated_by_the_terms(self, path):
        # A new young person's first /app/ page is the terms page, which already registers the
        # service worker: it must cache the real offline page, not a redirect to the terms.
        young_person = YoungPersonFactory(terms_pending=True)
        client = Client()
        client.force_login(young_person.user)
        assert client.get(path).status_code == 200

    def test_offline_page_is_public(self, client):
        response = client.get("/app/hors-ligne/")
        assert response.status_code == 200
        page = text(response)
        assert "Vous êtes hors connexion" in page
        assert 'href="/app/"' in page

    def test_registration_script_exists(self):
        assert finders.find("youth/register-sw.js")
