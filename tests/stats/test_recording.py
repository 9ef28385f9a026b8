"""The acts that write an engagement event, through the real services and signals."""

from django.utils import timezone

from passemploi.actions import services as actions
from passemploi.agenda.enums import Attendance
from passemploi.chat import services as chat
from passemploi.offers import favourites
from passemploi.stats.enums import ActorKind, EventKind
from passemploi.stats.models import EngagementEvent
from tests.conftest import client_for
from tests.factories import ParticipationFactory
from tests.offers.factories import OfferFactory


def kinds():
    return list(EngagementEvent.objects.order_by("pk").values_list("actor_kind", "kind"))


def test_sign_in_records_an_event(young_person):
    client_for(young_person.user)
    event = EngagementEvent.objects.get()
    assert (event.actor_kind, event.kind, event.actor_id) == (
        ActorKind.YOUNG_PERSON,
        EventKind.SIGN_IN,
        young_person.pk,
    )
    assert (event.structure_kind, event.departement, event.region) == ("MISSION_LOCALE", "75", "11")


def test_message_and_actions(young_person, counselor):
    conversation = chat.conversation_of(young_person)
    chat.send_message(young_person.user, conversation, "Bonjour")
    chat.send_message(counselor.user, conversation, "Bonjour à vous")
    action, _ = actions.create_action(
        actor=young_person.user,
        young_person=young_person,
        title="CV",
        category="EMPLOI",
        due_date=timezone.localdate(),
    )
    actions.change_status(young_person.user, action, "done")
    actions.change_status(young_person.user, action, "in_progress")
    actions.change_status(young_person.user, action, "done")  # counted once
    assert kinds() == [
        (ActorKind.YOUNG_PERSON, EventKind.MESSAGE_SENT),
        (ActorKind.COUNSELOR, EventKind.MESSAGE_SENT),
        (ActorKind.YOUNG_PERSON, EventKind.ACTION_CREATED),
        (ActorKind.YOUNG_PERSON, EventKind.ACTION_DONE),
    ]


def test_attendance_and_followed_offers(young_person):
    participation = ParticipationFactory(
        young_person=young_person, appointment__counselor=young_person.counselor
    )
    participation.attendance = Attendance.PRESENT
    participation.save(update_fields=["attendance"])
    favourite, _ = favourites.save_offer(young_person.user, OfferFactory())
    favourites.change_status(young_person.user, favourite, "applied")
    assert kinds() == [
        (ActorKind.YOUNG_PERSON, EventKind.APPOINTMENT_ATTENDED),
        (ActorKind.YOUNG_PERSON, EventKind.OFFER_SAVED),
        (ActorKind.YOUNG_PERSON, EventKind.OFFER_APPLIED),
    ]
    assert not EngagementEvent.objects.exclude(structure_id=young_person.structure_id).exists()
