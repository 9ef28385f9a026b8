"""The news pages: the counselor's list, publish, edit and delete; the young person's read-only
"Ma Mission Locale", newest first and paged; the links to them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from passemploi.news import services
from passemploi.news.models import NewsItem
from tests.conftest import client_for
from tests.factories import CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

COUNSELOR_INDEX = reverse("news_counselor:index")
CREATE = reverse("news_counselor:create")
YOUNG_INDEX = reverse("news_young:index")


def text(response) -> str:
    return response.content.decode()


def test_publish_edit_delete(counselor, counselor_client, young_person):
    response = counselor_client.post(
        CREATE, {"title": "Forum", "text": "Venez nombreux", "link": "https://exemple.fr"}
    )
    assert response.status_code == 302 and response["Location"] == COUNSELOR_INDEX
    item = NewsItem.objects.get()
    page = text(counselor_client.get(COUNSELOR_INDEX))
    assert "Forum" in page and "L&#x27;actualité est publiée." in page
    assert 'aria-current="page">Actualités' in page
    colleague = client_for(CounselorFactory(structure=counselor.structure).user)
    edit = reverse("news_counselor:edit", args=[item.pk])
    assert "Forum" in text(colleague.get(edit))
    colleague.post(edit, {"title": "Forum déplacé", "text": "Salle B", "link": ""})
    item.refresh_from_db()
    assert (item.title, item.text, item.link) == ("Forum déplacé", "Salle B", "")
    assert "modifiée par" in text(counselor_client.get(COUNSELOR_INDEX))
    delete = reverse("news_counselor:delete", args=[item.pk])
    assert "Supprimer l'actualité « Forum déplacé » ?" in text(counselor_client.get(delete))
    counselor_client.post(delete)
    assert not NewsItem.objects.exists()


def test_bad_input_is_said_and_kept(counselor_client):
    response = counselor_client.post(
        CREATE, {"title": "Forum", "text": "Venez", "link": "http://exemple.fr"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Le lien doit être une adresse web complète commençant par https://." in page
    assert 'value="Forum"' in page
    response = counselor_client.post(CREATE, {"title": "x" * 121, "text": ""})
    assert "Le titre ne doit pas dépasser 120 caractères." in text(response)
    assert "Saisissez le texte de l&#x27;actualité." in text(response)
    assert not NewsItem.objects.exists()


def test_other_structure_gets_404(counselor):
    item = services.publish_news(counselor.user, "Forum", "Venez")
    client = client_for(CounselorFactory().user)
    for name in ("edit", "delete"):
        assert client.get(reverse(f"news_counselor:{name}", args=[item.pk])).status_code == 404
    assert "Forum" not in text(client.get(COUNSELOR_INDEX))


def test_young_person_reads_newest_first_paged(counselor, young_person):
    now = timezone.now()
    for index in range(12):
        item = services.publish_news(counselor.user, f"Actualité {index:02d}", "Texte")
        NewsItem.objects.filter(pk=item.pk).update(created_at=now - timedelta(hours=12 - index))
    services.publish_news(CounselorFactory().user, "Ailleurs", "Autre structure")
    client = client_for(young_person.user)
    first = text(client.get(YOUNG_INDEX))
    assert first.index("Actualité 11") < first.index("Actualité 02")
    assert "Actualité 01" not in first and "Ailleurs" not in first
    assert "Page suivante" in first
    assert "Modifier" not in first  # read-only
    second = text(client.get(YOUNG_INDEX + "?page=2"))
    assert "Actualité 01" in second and "Actualité 00" in second


def test_young_person_links(young_person):
    client = client_for(young_person.user)
    assert f'href="{YOUNG_INDEX}"' in text(client.get(reverse("youth:profile")))


def _queries(count) -> tuple[int, int]:
    counselor = CounselorFactory()
    young_person = YoungPersonFactory(counselor=counselor)
    for index in range(count):
        author = CounselorFactory(structure=counselor.structure)
        item = services.publish_news(author.user, f"Actualité {index}", "Texte")
        services.update_news(counselor.user, item, text="Modifié")
    results = []
    for user, url in ((counselor.user, COUNSELOR_INDEX), (young_person.user, YOUNG_INDEX)):
        client = client_for(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        results.append(len(queries))
    return tuple(results)


def test_list_pages_run_constant_queries():
    assert _queries(2) == _queries(10)
