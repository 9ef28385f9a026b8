"""The messaging pages: the counselor's list and conversations, the young person's conversation,
the thread partial live.js fetches, and who may open what."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passemploi.chat import services
from passemploi.chat.models import Conversation, Message
from tests.conftest import client_for
from tests.factories import CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(young_person):
    return services.conversation_of(young_person)


def page_url(conversation):
    return reverse("chat_counselor:conversation", args=[conversation.pk])


def send(user, conversation, body):
    return services.send_message(user, conversation, body)[0]


def text(response) -> str:
    return response.content.decode()


# --- counselor: the list --------------------------------------------------------------------------


def test_list_sorted_by_latest_message_with_unread_and_start(counselor, counselor_client):
    older = YoungPersonFactory(counselor=counselor, user__first_name="Aline")
    newer = YoungPersonFactory(counselor=counselor, user__first_name="Bruno")
    YoungPersonFactory(counselor=counselor, user__first_name="Chloé")  # no conversation yet
    send(older.user, services.conversation_of(older), "Bonjour")
    conversation = services.conversation_of(newer)
    send(newer.user, conversation, "Salut")
    send(newer.user, conversation, "Vous êtes là ?")

    response = counselor_client.get(reverse("chat_counselor:list"))

    assert response.status_code == 200
    body = text(response)
    assert body.index("Bruno") < body.index("Aline") < body.index("Chloé")
    assert "2 non lus" in body and "1 non lu" in body
    assert "Démarrer la conversation" in body
    assert 'aria-current="page">Messagerie' in body


def test_start_creates_the_conversation_once(counselor_client, young_person):
    url = reverse("chat_counselor:start", args=[young_person.pk])
    first = counselor_client.post(url)
    second = counselor_client.post(url)
    conversation = Conversation.objects.get(young_person=young_person)
    assert first["Location"] == second["Location"] == page_url(conversation)


def test_flag_toggles(counselor_client, conversation):
    url = reverse("chat_counselor:flag", args=[conversation.pk])
    counselor_client.post(url, {"flagged": "1"})
    conversation.refresh_from_db()
    assert conversation.flagged
    assert "À suivre" in text(counselor_client.get(reverse("chat_counselor:list")))
    counselor_client.post(url, {"flagged": "0", "next": "conversation"})
    conversation.refresh_from_db()
    assert not conversation.flagged


def _list_queries(counselor, count) -> int:
    for index in range(count):
        young_person = YoungPersonFactory(counselor=counselor)
        if index % 3:  # some without a conversation yet
            conversation = services.conversation_of(young_person)
            send(young_person.user, conversation, "Bonjour")
    client = client_for(counselor.user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("chat_counselor:list")).status_code == 200
    return len(queries)


def test_list_query_count_is_constant():
    few = _list_queries(CounselorFactory(), 3)
    many = _list_queries(CounselorFactory(), 30)
    assert few == many


# --- counselor: a conversation --------------------------------------------------------------------


def test_conversation_shows_messages_in_order_and_marks_read(
    counselor, counselor_client, young_person, conversation
):
    send(young_person.user, conversation, "Premier")
    send(counselor.user, conversation, "Deuxième")
    services.post_system_message(conversation, "Vous avez un nouveau conseiller")
    send(young_person.user, conversation, "Troisième")

    response = counselor_client.get(page_url(conversation))

    body = text(response)
    assert response.status_code == 200
    assert body.index("Premier") < body.index("Deuxième") < body.index("Troisième")
    assert "pe-chat__message--system" in body
    assert young_person.user.get_full_name() in body
    conversation.refresh_from_db()
    assert services.unread_count(conversation, "counselor") == 0


def test_receipts_envoye_then_lu(counselor, counselor_client, young_person, conversation):
    send(counselor.user, conversation, "Avez-vous postulé ?")
    assert "Envoyé" in text(counselor_client.get(page_url(conversation)))
    assert client_for(young_person.user).get(reverse("youth:messages")).status_code == 200
    body = text(counselor_client.get(page_url(conversation)))
    assert ">Lu<" in body and "Envoyé" not in body


def test_edited_deleted_and_unknown_marks(counselor, counselor_client, young_person, conversation):
    edited = send(young_person.user, conversation, "Bonjuor")
    services.edit_message(young_person.user, edited, "Bonjour")
    deleted = send(young_person.user, conversation, "Oups")
    services.delete_message(young_person.user, deleted)
    strange = send(young_person.user, conversation, "Futur")
    Message.objects.filter(pk=strange.pk).update(kind="sondage")

    body = text(counselor_client.get(page_url(conversation)))

    assert "modifié" in body and "supprimé" in body
    assert "Oups" not in body and "Futur" not in body
    assert "Ce message n'est pas disponible" in body


def test_send_redirects_and_is_idempotent(counselor, counselor_client, conversation):
    client_id = str(uuid.uuid4())
    data = {"body": "Bonjour, où en êtes-vous ?", "client_id": client_id}
    first = counselor_client.post(page_url(conversation), data)
    second = counselor_client.post(page_url(conversation), data)
    assert first.status_code == second.status_code == 302
    assert Message.objects.filter(conversation=conversation).count() == 1
    message = Message.objects.get(conversation=conversation)
    assert services.body_of(message) == "Bonjour, où en êtes-vous ?"
    assert message.sender == counselor.user


def test_form_carries_a_fresh_client_id(counselor_client, conversation):
    body = text(counselor_client.get(page_url(conversation)))
    assert 'type="hidden" name="client_id"' in body


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("   ", "Le message est vide."),
        ("x" * 10_001, "Le message ne doit pas dépasser 10000 caractères."),
    ],
)
def test_bad_message_refused_in_french_text_kept(counselor_client, conversation, typed, error):
    response = counselor_client.post(
        page_url(conversation), {"body": typed, "client_id": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    body = text(response)
    assert error in body
    if typed.strip():
        assert typed in body
    assert not Message.objects.exists()


def test_edit_and_delete_own_message(counselor, counselor_client, conversation):
    message = send(counselor.user, conversation, "Rendez-vous mardi")
    response = counselor_client.post(
        reverse("chat_counselor:edit", args=[message.pk]), {"body": "Rendez-vous mercredi"}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert services.body_of(message) == "Rendez-vous mercredi"
    assert message.edited_at is not None
    counselor_client.post(reverse("chat_counselor:delete", args=[message.pk]))
    message.refresh_from_db()
    assert message.deleted_at is not None


def test_cannot_edit_the_other_partys_message(counselor_client, young_person, conversation):
    message = send(young_person.user, conversation, "Bonjour")
    response = counselor_client.post(
        reverse("chat_counselor:edit", args=[message.pk]), {"body": "Piraté"}, follow=True
    )
    assert "Vous ne pouvez modifier que vos propres messages." in text(response)
    message.refresh_from_db()
    assert services.body_of(message) == "Bonjour"


def test_search_highlights_matches(counselor, counselor_client, young_person, conversation):
    send(young_person.user, conversation, "J'ai un entretien chez Renault")
    send(counselor.user, conversation, "Bravo pour l'ENTRETIEN !")
    send(young_person.user, conversation, "Merci")

    body = text(counselor_client.get(page_url(conversation), {"q": "entretien"}))

    assert "<mark>entretien</mark>" in body and "<mark>ENTRETIEN</mark>" in body
    assert "Merci" not in body
    assert "2 messages contenant « entretien »" in body


def test_thread_partial_returns_only_new_messages(counselor_client, young_person, conversation):
    send(young_person.user, conversation, "Ancien")
    send(young_person.user, conversation, "Nouveau")
    url = reverse("chat_counselor:thread", args=[conversation.pk])

    body = text(counselor_client.get(url, {"after": 1}))

    assert "Nouveau" in body and "Ancien" not in body
    assert "<html" not in body
    conversation.refresh_from_db()
    assert conversation.counselor_read_seq == 2
    assert "Ancien" in text(counselor_client.get(url))


# --- who may open what ----------------------------------------------------------------------------


def test_outsiders_get_404(structure, young_person, conversation):
    message = send(young_person.user, conversation, "Privé")
    colleague = CounselorFactory(structure=structure)
    supervisor = CounselorFactory(structure=structure, supervisor=True)
    other_young = YoungPersonFactory(counselor=colleague)
    for counselor in (colleague, supervisor):
        client = client_for(counselor.user)
        for url in (
            page_url(conversation),
            reverse("chat_counselor:thread", args=[conversation.pk]),
        ):
            assert client.get(url).status_code == 404
        for name in ("chat_counselor:edit", "chat_counselor:delete", "chat_counselor:flag"):
            args = [conversation.pk] if name.endswith("flag") else [message.pk]
            assert client.post(reverse(name, args=args), {"body": "x"}).status_code == 404
        start = reverse("chat_counselor:start", args=[young_person.pk])
        assert client.post(start).status_code == 404
    client = client_for(other_young.user)
    for name in ("chat_young:edit", "chat_young:delete"):
        assert client.post(reverse(name, args=[message.pk]), {"body": "x"}).status_code == 404
    # Their own Messages page is their own conversation, never this one.
    assert "Privé" not in text(client.get(reverse("youth:messages")))
    message.refresh_from_db()
    assert services.body_of(message) == "Privé"


# --- young person ---------------------------------------------------------------------------------


def test_young_page_creates_conversation_and_marks_read(counselor, young_person, young_client):
    response = young_client.get(reverse("youth:messages"))
    assert response.status_code == 200
    conversation = Conversation.objects.get(young_person=young_person)
    send(counselor.user, conversation, "Bienvenue !")
    body = text(young_client.get(reverse("youth:messages")))
    assert "Bienvenue !" in body and counselor.user.get_full_name() in body
    assert 'aria-current="page"' in body
    conversation.refresh_from_db()
    assert services.unread_count(conversation, "young_person") == 0


def test_young_sends_edits_deletes(young_person, young_client):
    client_id = str(uuid.uuid4())
    url = reverse("youth:messages")
    for _ in range(2):
        response = young_client.post(url, {"body": "Bonjour !", "client_id": client_id})
        assert response.status_code == 302
    message = Message.objects.get()
    assert message.sender == young_person.user
    assert ">Envoyé<" in text(young_client.get(url))
    young_client.post(reverse("chat_young:edit", args=[message.pk]), {"body": "Bonsoir !"})
    message.refresh_from_db()
    assert services.body_of(message) == "Bonsoir !"
    young_client.post(reverse("chat_young:delete", args=[message.pk]))
    message.refresh_from_db()
    assert message.deleted_at is not None


def test_young_empty_message_refused(young_client):
    response = young_client.post(reverse("youth:messages"), {"body": ""})
    assert response.status_code == 400
    assert "Le message est vide." in text(response)


def test_young_thread_partial(counselor, young_person, young_client):
    conversation = services.conversation_of(young_person)
    send(counselor.user, conversation, "Coucou")
    body = text(young_client.get(reverse("chat_young:thread"), {"after": 0}))
    assert "Coucou" in body
    conversation.refresh_from_db()
    assert conversation.young_person_read_seq == 1


def test_pages_load_live_script(counselor_client, young_client, conversation):
    pages = ((counselor_client, page_url(conversation)), (young_client, "/app/messages/"))
    for client, url in pages:
        body = text(client.get(url))
        assert "chat/live.js" in body and "defer" in body
        assert 'aria-live="polite"' in body
        assert "data-live-url" in body
