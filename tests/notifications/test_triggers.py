"""Each trigger writes exactly one notice per channel its recipient's preferences allow."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from passemploi.actions import services as actions
from passemploi.agenda import registrations
from passemploi.agenda import services as agenda
from passemploi.chat import services as chat
from passemploi.core.events import publish
from passemploi.notifications import presence, services
from passemploi.notifications.enums import Channel, DeliveryState, Kind
from passemploi.notifications.models import Delivery, Notification
from tests.factories import AppointmentFactory, StructureFactory, YoungPersonFactory
from tests.notifications.conftest import BOTH, channels_of, in_app

pytestmark = pytest.mark.django_db

# A Tuesday at 11:00 in Paris: outside the quiet hours.
DAYTIME = datetime(2026, 3, 24, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def daytime():
    with time_machine.travel(DAYTIME, tick=False) as traveller:
        yield traveller


def new_appointment(counselor, young_people, **fields):
    fields.setdefault("type", "ENTRETIEN_INDIVIDUEL_CONSEILLER")
    fields.setdefault("title", "Point mensuel")
    fields.setdefault("starts_at", timezone.now() + timedelta(days=10))
    fields.setdefault("duration_minutes", 60)
    fields.setdefault("modality", "at_structure")
    return agenda.create_appointment(actor=counselor.user, young_people=young_people, **fields)


def test_a_counselor_message_to_an_offline_young_person(counselor, young_person, sent):
    conversation = chat.conversation_of(young_person)
    message, _ = sent(chat.send_message, counselor.user, conversation, "Rendez-vous jeudi ?")
    assert channels_of(young_person.user) == BOTH
    notice = in_app(young_person.user)[0]
    assert (notice.kind, notice.title, notice.link) == (
        Kind.MESSAGE,
        "Nouveau message",
        "/app/messages/",
    )
    # Never the message text: the payload crosses third-party push services.
    assert "jeudi" not in notice.body
    assert notice.body == "Nouveau message de votre conseiller"
    push = Delivery.objects.get(recipient=young_person.user, channel=Channel.PUSH)
    assert "jeudi" not in push.body
    # Push sent (no device subscribed here: recorded as skipped, not retried).
    assert push.state == DeliveryState.SKIPPED
    # The counselor gets nothing now (the weekday digest tells them).
    assert channels_of(counselor.user) == []


def test_no_push_to_a_young_person_with_the_app_open(counselor, young_person, sent):
    asyncio.run(presence.connected(young_person.user_id))
    conversation = chat.conversation_of(young_person)
    sent(chat.send_message, counselor.user, conversation, "Bonjour")
    assert channels_of(young_person.user) == []
    asyncio.run(presence.disconnected(young_person.user_id))
    assert not presence.is_online(young_person.user_id)
    sent(chat.send_message, counselor.user, conversation, "Toujours là ?")
    assert channels_of(young_person.user) == BOTH


def test_a_young_person_writing_notifies_nobody(counselor, young_person, sent):
    conversation = chat.conversation_of(young_person)
    sent(chat.send_message, young_person.user, conversation, "Bonjour")
    assert not Delivery.objects.exists()


def test_switch_off_means_nothing(counselor, young_person, sent):
    services.update_preferences(young_person.user, {"messages": False})
    sent(chat.send_message, counselor.user, chat.conversation_of(young_person), "Bonjour")
    assert channels_of(young_person.user) == []


def test_action_created_by_the_counselor(counselor, young_person, sent):
    action, _ = sent(
        actions.create_action,
        actor=counselor.user,
        young_person=young_person,
        title="Mettre à jour mon CV",
        category="EMPLOI",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    assert channels_of(young_person.user) == BOTH
    notice = in_app(young_person.user)[0]
    assert notice.kind == Kind.ACTION
    assert notice.link == f"/app/actions/{action.pk}/"


def test_action_created_by_the_young_person_notifies_nobody(young_person, sent):
    sent(
        actions.create_action,
        actor=young_person.user,
        young_person=young_person,
        title="Mettre à jour mon CV",
        category="EMPLOI",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    assert not Delivery.objects.exists()


def test_actions_switch_off(counselor, young_person, sent):
    services.update_preferences(young_person.user, {"actions": False})
    sent(
        actions.create_action,
        actor=counselor.user,
        young_person=young_person,
        title="Mettre à jour mon CV",
        category="EMPLOI",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    assert not Delivery.objects.exists()


def test_appointment_created_changed_cancelled(counselor, young_person, sent):
    appointment = sent(new_appointment, counselor, [young_person])
    assert channels_of(young_person.user) == BOTH
    sent(agenda.update_appointment, counselor.user, appointment, title="Point trimestriel")
    sent(
        agenda.update_appointment,
        counselor.user,
        appointment,
        starts_at=appointment.starts_at + timedelta(days=1),
    )
    sent(agenda.cancel_appointment, counselor.user, appointment, "Conseiller absent")
    titles = [n.title for n in in_app(young_person.user)]
    assert sorted(titles) == sorted(
        ["Nouveau rendez-vous", "Rendez-vous modifié", "Rendez-vous modifié", "Rendez-vous annulé"]
    )
    # One in-app row and one push per notice, nothing more.
    assert len(channels_of(young_person.user)) == 8


def test_appointment_switch_off(counselor, young_person, sent):
    services.update_preferences(young_person.user, {"appointments": False})
    sent(new_appointment, counselor, [young_person])
    assert channels_of(young_person.user) == []


def test_registration_confirmed(counselor, young_person, sent):
    session = AppointmentFactory(
        counselor=counselor, session=True, starts_at=timezone.now() + timedelta(days=3)
    )
    sent(registrations.register, counselor.user, session, young_person)
    notice = in_app(young_person.user)[0]
    assert notice.title == "Inscription confirmée"
    assert channels_of(young_person.user) == BOTH


def test_the_same_event_twice_writes_once(counselor, young_person, sent):
    appointment = sent(new_appointment, counselor, [young_person])
    event = {"type": "appointment.created", "appointment_id": str(appointment.pk)}
    sent(publish, [young_person.user_id], event)
    assert len(channels_of(young_person.user)) == 2
    assert Notification.objects.count() == 1


def test_other_apps_events(young_person, sent):
    sent(publish, [young_person.user_id], {"type": "news.published", "news_id": "42"})
    assert in_app(young_person.user)[0].kind == Kind.NEWS
    services.update_preferences(young_person.user, {"offers": False})
    sent(publish, [young_person.user_id], {"type": "offer.shared", "share_id": "7"})
    assert Notification.objects.count() == 1


def test_a_failing_handler_never_undoes_the_write(counselor, young_person, sent, monkeypatch):
    from passemploi.notifications import rules

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(rules.HANDLERS, "message", broken)
    message, _ = sent(chat.send_message, counselor.user, chat.conversation_of(young_person), "Hé")
    assert message.pk is not None


# --- quiet hours --------------------------------------------------------------------------------


def test_quiet_hours_hold_the_push_until_8(counselor, young_person, sent, daytime):
    daytime.move_to(datetime(2026, 3, 24, 22, 30, tzinfo=timezone.get_current_timezone()))
    sent(chat.send_message, counselor.user, chat.conversation_of(young_person), "Bonsoir")
    push = Delivery.objects.get(channel=Channel.PUSH)
    assert push.state == DeliveryState.PENDING  # waits
    local = timezone.localtime(push.next_attempt_at)
    assert (local.date().day, local.hour, local.minute) == (25, 8, 0)
    # The in-app notice is there at once.
    assert len(in_app(young_person.user)) == 1


def test_quiet_hours_in_the_recipients_zone(sent, daytime):
    reunion = YoungPersonFactory(counselor__structure=StructureFactory(overseas=True))
    # 19:30 in Paris is 22:30 in La Réunion.
    daytime.move_to(datetime(2026, 3, 24, 18, 30, tzinfo=UTC))
    counselor = reunion.counselor
    sent(chat.send_message, counselor.user, chat.conversation_of(reunion), "Bonsoir")
    push = Delivery.objects.get(channel=Channel.PUSH)
    assert push.next_attempt_at == datetime(2026, 3, 25, 4, 0, tzinfo=UTC)


def test_same_day_appointment_change_goes_out_at_night(counselor, young_person, sent, daytime):
    paris = timezone.get_current_timezone()
    daytime.move_to(datetime(2026, 3, 24, 6, 30, tzinfo=paris))
    appointment = AppointmentFactory(
        counselor=counselor, starts_at=datetime(2026, 3, 24, 9, 0, tzinfo=paris)
    )
    from tests.factories import ParticipationFactory

    ParticipationFactory(appointment=appointment, young_person=young_person)
    sent(agenda.cancel_appointment, counselor.user, appointment, "Conseiller malade")
    push = Delivery.objects.get(channel=Channel.PUSH)
    assert push.state != DeliveryState.PENDING  # sent (skipped: no device) at once
    # A change for tomorrow waits for the morning.
    later = AppointmentFactory(
        counselor=counselor, starts_at=datetime(2026, 3, 25, 9, 0, tzinfo=paris)
    )
    ParticipationFactory(appointment=later, young_person=young_person)
    sent(agenda.cancel_appointment, counselor.user, later, "Conseiller malade")
    waiting = Delivery.objects.filter(channel=Channel.PUSH).exclude(pk=push.pk).get()
    assert waiting.state == DeliveryState.PENDING
    assert timezone.localtime(waiting.next_attempt_at).hour == 8


def test_quiet_until():
    paris = timezone.get_current_timezone()
    at = lambda h, m=0: datetime(2026, 3, 24, h, m, tzinfo=paris)  # noqa: E731
    assert services.quiet_until(paris, at(7, 59)) == at(8)
    assert services.quiet_until(paris, at(8)) is None
    assert services.quiet_until(paris, at(20, 59)) is None
    assert services.quiet_until(paris, at(21)) == at(8) + timedelta(days=1)
