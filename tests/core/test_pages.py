from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import path

from config import urls as project_urls
from tests.factories import YoungPersonFactory
from tests.helpers import text

LEGAL_PAGES = [
    ("/mentions-legales/", "Mentions légales", "Éditeur"),
    ("/donnees-personnelles/", "Données personnelles", "Vos droits"),
    ("/cgu/", "Conditions générales d'utilisation", "Évolution des conditions"),
    ("/accessibilite/", "Déclaration d'accessibilité", "Voies de recours"),
]


@login_not_required
def boom(request):
    raise RuntimeError("panne simulée")


# This module doubles as a URLconf: the project's URLs plus one view that fails.
urlpatterns = [path("test-500/", boom), *project_urls.urlpatterns]
handler500 = project_urls.handler500


@pytest.mark.django_db
class TestLegalPages:
    @pytest.mark.parametrize(("url", "title", "section"), LEGAL_PAGES)
    def test_public(self, client, url, title, section):
        response = client.get(url)
        assert response.status_code == 200
        page = text(response)
        assert f"<h1>{title}</h1>" in page
        assert f"<h2>{section}</h2>" in page
        assert '<html lang="fr"' in page
        assert "INVALID_TEMPLATE_VARIABLE" not in page

    @pytest.mark.parametrize(("url", "title", "section"), LEGAL_PAGES)
    def test_reachable_by_a_young_person_who_has_not_accepted_the_terms(self, url, title, section):
        client = Client()
        client.force_login(YoungPersonFactory(terms_pending=True).user)
        assert client.get(url).status_code == 200

    def test_support_address_is_given(self, client):
        assert f"mailto:{settings.SUPPORT_EMAIL}" in text(client.get("/mentions-legales/"))

    def test_footer_links_every_legal_page(self, client):
        body = client.get("/connexion/").content.decode()
        for url, _, _ in LEGAL_PAGES:
            assert f'href="{url}"' in body, url


@pytest.mark.django_db
class TestErrorPages:
    @pytest.mark.parametrize("url", ["/nexiste-pas/", "/conseiller/nexiste-pas/", "/app/x/y/"])
    def test_404_is_french_for_visitors(self, client, url):
        response = client.get(url)
        assert response.status_code == 404
        page = text(response)
        assert "<h1>Page non trouvée</h1>" in page
        assert "La page que vous cherchez est introuvable." in page
        assert "Not Found" not in page

    def test_404_is_french_for_signed_in_users(self, counselor_client):
        response = counselor_client.get("/conseiller/nexiste-pas/")
        assert response.status_code == 404
        assert "Page non trouvée" in text(response)

    @pytest.mark.urls(__name__)
    def test_500_renders_the_french_page(self):
        client = Client(raise_request_exception=False)
        response = client.get("/test-500/")
        assert response.status_code == 500
        page = text(response)
        assert "<h1>Erreur inattendue</h1>" in page
        assert "Désolé, le service rencontre un problème." in page
        assert "panne simulée" not in page
        assert "Traceback" not in page


@pytest.mark.django_db
class TestHealth:
    def test_ok(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert "no-cache" in response["Cache-Control"]

    def test_503_when_the_database_fails(self, client):
        with mock.patch.object(
            CursorWrapper, "execute", side_effect=OperationalError("base injoignable")
        ):
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "error", "database": "unreachable"}
        assert "base injoignable" not in response.content.decode()
        # The database is back: so is the service.
        assert client.get("/healthz").status_code == 200
