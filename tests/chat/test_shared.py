"""Shared-item cards: resolved in bulk through each domain's own access rules; an item the viewer
may not see, or one that is gone, shows "Cet élément n'est plus disponible"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passemploi.chat import services, shared
from passemploi.chat.enums import SenderRole
from passemploi.chat.models import Message
from passemploi.core.errors import ServiceError
from tests.accounts.test_api import documented, openapi  # noqa: F401  (openapi: a fixture)
from tests.actions.test_api import call  # noqa: F401 (a fixture)
from tests.conftest import client_for
from tests.factories import (
    ActionFactory,
    AppointmentFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.helpers import text

pytestmark = pytest.mark.django_db

MESSAGES = "/api/v1/conversations/{conversation_id}/messages"


@pytest.fixture
def conversation(young_person):
    return services.conversation_of(young_person)


def share(user, conversation, shared_type, shared_id):
    message, _ = services.send_message(
        user, conversation, "", shared_type=shared_type, shared_id=shared_id
    )
    return message


def appointment_of(young_person, **kwargs):
    appointment = AppointmentFactory(counselor=young_person.counselor, **kwargs)
    ParticipationFactory(appointment=appointment, young_person=young_person)
    return appointment


def test_cards_for_each_viewer(conversation, young_person, counselor):
    action = ActionFactory(young_person=young_person, title="Postuler chez Boulanger")
    appointment = appointment_of(young_person, title="Point mensuel")
    session = appointment_of(young_person, title="Atelier CV", session=True)
    messages = [
        share(counselor.user, conversation, "action", action.pk),
        share(counselor.user, conversation, "appointment", appointment.pk),
        share(counselor.user, conversation, "session", session.pk),
    ]
    young_cards = shared.resolve(young_person.user, messages, SenderRole.YOUNG_PERSON)
    card = young_cards[messages[0].pk]
    assert card.available and card.title == "Postuler chez Boulanger"
    assert card.url == reverse("actions_young:detail", args=[action.pk])
    assert "échéance le" in card.detail
    assert young_cards[messages[1].pk].url == reverse("agenda_young:detail", args=[appointment.pk])
    assert young_cards[messages[1].pk].detail.startswith("Rendez-vous · le ")
    assert young_cards[messages[2].pk].detail.startswith("Session · le ")
    counselor_cards = shared.resolve(counselor.user, messages, SenderRole.COUNSELOR)
    assert counselor_cards[messages[0].pk].url == reverse(
        "actions_counselor:detail", args=[action.pk]
    )
    assert counselor_cards[messages[1].pk].url == reverse(
        "agenda_counselor:detail", args=[appointment.pk]
    )


def test_gone_or_hidden_items_are_unavailable(conversation, young_person, counselor):
    action = ActionFactory(young_person=young_person)
    message = share(counselor.user, conversation, "action", action.pk)
    action.delete()
    other = ActionFactory(young_person=YoungPersonFactory(counselor=counselor))
    # The counselor may see the other young person's action, not this young person.
    hidden = share(counselor.user, conversation, "action", other.pk)
    # A kind no domain registered (offers come later) and an unknown kind.
    offer = share(
        counselor.user, conversation, "action", ActionFactory(young_person=young_person).pk
    )
    Message.objects.filter(pk=offer.pk).update(shared_type="offer")
    offer.refresh_from_db()
    cards = shared.resolve(young_person.user, [message, hidden, offer], SenderRole.YOUNG_PERSON)
    for item in (message, hidden, offer):
        assert not cards[item.pk].available
        assert cards[item.pk].title == shared.UNAVAILABLE
    page = text(client_for(young_person.user).get(reverse("youth:messages")))
    assert page.count("Cet élément n'est plus disponible") == 3


def test_sharing_needs_an_item_the_sender_sees(conversation, counselor):
    stranger_action = ActionFactory()  # another counselor's young person
    with pytest.raises(ServiceError) as info:
        share(counselor.user, conversation, "action", stranger_action.pk)
    assert info.value.code == "shared_unavailable"


def _resolve_queries(counselor, young_person, count) -> int:
    conversation = services.conversation_of(young_person)
    messages = []
    for _ in range(count):
        messages.append(
            share(
                counselor.user, conversation, "action", ActionFactory(young_person=young_person).pk
            )
        )
        messages.append(
            share(counselor.user, conversation, "appointment", appointment_of(young_person).pk)
        )
    with CaptureQueriesContext(connection) as queries:
        shared.resolve(young_person.user, messages, SenderRole.YOUNG_PERSON)
    return len(queries)


def test_bulk_resolution_is_constant(counselor):
    few = _resolve_queries(counselor, YoungPersonFactory(counselor=counselor), 2)
    many = _resolve_queries(counselor, YoungPersonFactory(counselor=counselor), 20)
    assert few == many


def test_api_exposes_the_card(call, conversation, young_person, counselor):  # noqa: F811
    action = ActionFactory(young_person=young_person, title="Relancer l'employeur")
    status, message = call(
        counselor.user,
        "post",
        MESSAGES,
        {"body": "", "shared_type": "action", "shared_id": str(action.pk)},
        conversation_id=conversation.pk,
    )
    assert status == 201 and message["kind"] == "shared"
    action.delete()
    status, page = call(young_person.user, "get", MESSAGES, conversation_id=conversation.pk)
    assert page["items"][0]["shared"] == {
        "type": "action",
        "id": message["shared"]["id"],
        "available": False,
        "title": "Cet élément n'est plus disponible",
        "detail": "",
    }
    assert message["shared"]["title"] == "Relancer l'employeur"


def test_share_button_on_action_and_appointment_pages(counselor, young_person, counselor_client):
    action = ActionFactory(young_person=young_person, title="Préparer l'entretien")
    appointment = appointment_of(young_person, title="Bilan")
    share_url = reverse("chat_counselor:share")
    for page, shared_type, pk in (
        (reverse("actions_counselor:detail", args=[action.pk]), "action", action.pk),
        (reverse("agenda_counselor:detail", args=[appointment.pk]), "appointment", appointment.pk),
    ):
        body = text(counselor_client.get(page))
        assert share_url in body and "Partager dans la conversation" in body
        response = counselor_client.post(
            share_url,
            {"young_person": young_person.pk, "shared_type": shared_type, "shared_id": pk},
            follow=True,
        )
        assert "Partagé dans la conversation avec" in text(response)
    conversation = services.conversation_of(young_person)
    assert [m.shared_type for m in conversation.messages.all()] == ["action", "appointment"]
    page = text(
        counselor_client.get(reverse("chat_counselor:conversation", args=[conversation.pk]))
    )
    assert "Préparer l'entretien" in page and "Bilan" in page


def test_share_refused_outside_portfolio(counselor, counselor_client):
    stranger = YoungPersonFactory()
    action = ActionFactory(young_person=stranger)
    response = counselor_client.post(
        reverse("chat_counselor:share"),
        {"young_person": stranger.pk, "shared_type": "action", "shared_id": action.pk},
        follow=True,
    )
    assert "Cet élément n'est plus disponible" in text(response)
    assert not Message.objects.exists()
