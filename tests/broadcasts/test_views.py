"""The counselor's broadcast pages (lists, group message, notice) and the notice pinned on the
young person's conversation page."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from passemploi.broadcasts import services
from passemploi.broadcasts.models import BroadcastList, GroupMessage
from passemploi.chat import services as chat_services
from passemploi.chat.models import Attachment, Message
from tests.chat.files import image_bytes, upload
from tests.conftest import client_for
from tests.factories import CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("broadcasts_counselor:index")
CREATE = reverse("broadcasts_counselor:create")
SEND = reverse("broadcasts_counselor:send")
NOTICE = reverse("broadcasts_counselor:notice")


def text(response) -> str:
    return response.content.decode()


def bodies(young_person) -> list[str]:
    conversation = chat_services.conversation_of(young_person)
    return [chat_services.body_of(m) for m in Message.objects.filter(conversation=conversation)]


# --- lists ---------------------------------------------------------------------------------------


def test_create_then_index_shows_counts(counselor, counselor_client, young_person):
    other = YoungPersonFactory(counselor=counselor)
    response = counselor_client.post(
        CREATE, {"name": "Atelier CV", "members": [young_person.pk, other.pk]}
    )
    assert response.status_code == 302 and response["Location"] == INDEX
    page = text(counselor_client.get(INDEX))
    assert "Atelier CV" in page
    assert "<td>2</td>" in page
    assert "La liste « Atelier CV » est créée." in page


def test_create_errors_are_said_and_nothing_saved(counselor, counselor_client, young_person):
    services.create_list(counselor.user, "Atelier")
    stranger = YoungPersonFactory()
    response = counselor_client.post(CREATE, {"name": "atelier", "members": [young_person.pk]})
    assert response.status_code == 400
    assert "Vous avez déjà une liste de ce nom." in text(response)
    assert "Erreur — Créer une liste de diffusion" in text(response)
    response = counselor_client.post(CREATE, {"name": "Autre", "members": [stranger.pk]})
    assert response.status_code == 400
    assert "Ce bénéficiaire ne fait pas partie de votre portefeuille." in text(response)
    response = counselor_client.post(CREATE, {"name": ""})
    assert "Donnez un nom à la liste." in text(response)
    assert BroadcastList.objects.count() == 1


def test_edit_renames_and_replaces_members(counselor, counselor_client, young_person):
    other = YoungPersonFactory(counselor=counselor, user__first_name="Zoé")
    listed = services.create_list(counselor.user, "Atelier", [young_person.pk])
    url = reverse("broadcasts_counselor:edit", args=[listed.pk])
    page = text(counselor_client.get(url))
    checked = re.findall(r'<input type="checkbox" name="members" value="([^"]+)"[^>]*checked', page)
    assert checked == [str(young_person.pk)]
    assert 'data-filter-target="membres"' in page
    response = counselor_client.post(url, {"name": "Atelier jeudi", "members": [other.pk]})
    assert response.status_code == 302
    listed.refresh_from_db()
    assert listed.name == "Atelier jeudi"
    assert list(services.members_of(listed)) == [other]


def test_delete_asks_then_deletes(counselor, counselor_client):
    listed = services.create_list(counselor.user, "Atelier")
    url = reverse("broadcasts_counselor:delete", args=[listed.pk])
    assert "Supprimer la liste « Atelier » ?" in text(counselor_client.get(url))
    assert BroadcastList.objects.exists()
    counselor_client.post(url)
    assert not BroadcastList.objects.exists()


def test_someone_elses_list_is_404(counselor):
    listed = services.create_list(counselor.user, "Atelier")
    supervisor = CounselorFactory(structure=counselor.structure, supervisor=True)
    client = client_for(supervisor.user)
    for name in ("edit", "delete"):
        assert (
            client.get(reverse(f"broadcasts_counselor:{name}", args=[listed.pk])).status_code == 404
        )


def _page_queries(size) -> dict:
    """Queries of each list page for a counselor with `size` young people and `size` lists."""
    counselor = CounselorFactory()
    people = [YoungPersonFactory(counselor=counselor) for _ in range(size)]
    for index in range(size):
        services.create_list(counselor.user, f"Liste {index}", [p.pk for p in people])
    listed = BroadcastList.objects.filter(owner=counselor).first()
    client = client_for(counselor.user)
    counts = {}
    for url in (INDEX, SEND, reverse("broadcasts_counselor:edit", args=[listed.pk])):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url.split("/")[-2]] = len(queries)
    return counts


def test_list_pages_run_constant_queries():
    few, many = _page_queries(2), _page_queries(20)
    assert list(few.values()) == list(many.values())


def test_send_page_ignores_a_bad_list_parameter(counselor_client):
    assert counselor_client.get(SEND + "?liste=pas-un-identifiant").status_code == 200


# --- group message -------------------------------------------------------------------------------


def test_send_to_a_list_and_a_person(counselor, counselor_client, young_person):
    second = YoungPersonFactory(counselor=counselor)
    third = YoungPersonFactory(counselor=counselor)
    listed = services.create_list(counselor.user, "Atelier", [young_person.pk, second.pk])
    page = text(counselor_client.get(SEND + f"?liste={listed.pk}"))
    assert f'value="{listed.pk}" dsfr="dsfr" id="id_lists_0" checked' in page
    client_id = uuid.uuid4()
    data = {
        "lists": [listed.pk],
        "young_people": [young_person.pk, third.pk],
        "body": "Atelier jeudi 14 h",
        "client_id": client_id,
    }
    response = counselor_client.post(SEND, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("chat_counselor:list")
    assert "Votre message a été envoyé à 3 bénéficiaires." in text(
        counselor_client.get(response["Location"])
    )
    # A double submit of the same form sends nothing more.
    counselor_client.post(SEND, data)
    for person in (young_person, second, third):
        assert bodies(person) == ["Atelier jeudi 14 h"]
    assert GroupMessage.objects.count() == 1


def test_send_with_an_attachment(counselor, counselor_client, young_person, attachment_storage):
    second = YoungPersonFactory(counselor=counselor)
    response = counselor_client.post(
        SEND,
        {
            "young_people": [young_person.pk, second.pk],
            "body": "",
            "client_id": uuid.uuid4(),
            "attachment": upload("planning.png", image_bytes("PNG")),
        },
    )
    assert response.status_code == 302
    assert Attachment.objects.filter(message__isnull=False).count() == 2


def test_send_refuses_a_forged_file(counselor_client, young_person, attachment_storage):
    response = counselor_client.post(
        SEND,
        {
            "young_people": [young_person.pk],
            "body": "Voici",
            "client_id": uuid.uuid4(),
            "attachment": upload("cv.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 400
    assert "Ce type de fichier n&#x27;est pas accepté" in text(response)
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"body": "Bonjour"}, "Choisissez au moins un bénéficiaire ou une liste."),
        ({"body": ""}, "Le message est vide."),
        ({"body": "x" * 10_001}, "Le message ne doit pas dépasser 10000 caractères."),
    ],
)
def test_send_bad_input(counselor_client, young_person, data, error):
    if "Choisissez" not in error:
        data = {**data, "young_people": [young_person.pk]}
    response = counselor_client.post(SEND, {**data, "client_id": uuid.uuid4()})
    assert response.status_code == 400
    assert error in text(response)
    assert (
        'value="Bonjour"' in text(response)
        or "Bonjour" in text(response)
        or data["body"] != "Bonjour"
    )
    assert not Message.objects.exists()


def test_send_to_someone_not_mine(counselor_client, young_person):
    stranger = YoungPersonFactory()
    response = counselor_client.post(
        SEND, {"young_people": [stranger.pk], "body": "Bonjour", "client_id": uuid.uuid4()}
    )
    assert response.status_code == 400
    assert "Ce bénéficiaire ne fait pas partie de votre portefeuille." in text(response)
    assert not Message.objects.exists()


def test_messaging_list_links_to_the_tools(counselor_client):
    page = text(counselor_client.get(reverse("chat_counselor:list")))
    assert f'href="{SEND}"' in page and f'href="{INDEX}"' in page and f'href="{NOTICE}"' in page


# --- notice --------------------------------------------------------------------------------------


def test_notice_page_sets_and_removes(counselor, counselor_client, young_person):
    today = timezone.localdate()
    response = counselor_client.post(
        NOTICE,
        {
            "text": "Absent jusqu'à vendredi",
            "starts_on": today,
            "ends_on": today + timedelta(days=2),
        },
    )
    assert response.status_code == 302
    page = text(counselor_client.get(NOTICE))
    assert "Affiché en ce moment" in page
    young = text(client_for(young_person.user).get(reverse("youth:messages")))
    assert "Message important de " + counselor.user.get_full_name() in young
    assert "Absent jusqu&#x27;à vendredi" in young
    counselor_client.post(reverse("broadcasts_counselor:notice_remove"))
    young = text(client_for(young_person.user).get(reverse("youth:messages")))
    assert "Message important" not in young


def test_notice_page_bad_dates(counselor_client):
    today = timezone.localdate()
    response = counselor_client.post(
        NOTICE, {"text": "Absent", "starts_on": today, "ends_on": today - timedelta(days=1)}
    )
    assert response.status_code == 400
    assert "La date de fin doit être égale ou postérieure à la date de début." in text(response)
    assert "\nAbsent</textarea>" in text(response)


def test_future_notice_is_not_shown_yet(counselor, counselor_client, young_person):
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.set_notice(counselor.user, "Absent demain", tomorrow, tomorrow)
    assert "Programmé ou terminé" in text(counselor_client.get(NOTICE))
    young = text(client_for(young_person.user).get(reverse("youth:messages")))
    assert "Absent demain" not in young
