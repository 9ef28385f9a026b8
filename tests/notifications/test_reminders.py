"""Reminders: planned as rows, re-planned when the appointment moves, dropped when it is
cancelled, sent once by the minute task."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from passemploi.actions import services as actions
from passemploi.agenda import registrations
from passemploi.agenda import services as agenda
from passemploi.notifications import reminders, tasks
from passemploi.notifications.enums import Channel, Kind, ReminderKind
from passemploi.notifications.models import Delivery, Notification, Reminder
from tests.notifications.conftest import in_app

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
START = datetime(2026, 3, 20, 13, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def create(counselor, young_people, starts_at=START):
    return agenda.create_appointment(
        actor=counselor.user,
        young_people=young_people,
        type="ENTRETIEN_INDIVIDUEL_CONSEILLER",
        title="Point mensuel",
        starts_at=starts_at,
        duration_minutes=60,
        modality="phone",
    )


def planned(**filters):
    return sorted(
        (r.kind, r.due_at) for r in Reminder.objects.filter(sent_at__isnull=True, **filters)
    )


def test_planned_7_days_and_1_day_before(counselor, young_person, sent):
    appointment = sent(create, counselor, [young_person])
    assert planned(appointment=appointment) == [
        (ReminderKind.APPOINTMENT_1D, START - timedelta(days=1)),
        (ReminderKind.APPOINTMENT_7D, START - timedelta(days=7)),
    ]


def test_replanned_when_the_appointment_moves(counselor, young_person, sent):
    appointment = sent(create, counselor, [young_person])
    moved = START + timedelta(days=3, hours=2)
    sent(agenda.update_appointment, counselor.user, appointment, starts_at=moved)
    assert planned(appointment=appointment) == [
        (ReminderKind.APPOINTMENT_1D, moved - timedelta(days=1)),
        (ReminderKind.APPOINTMENT_7D, moved - timedelta(days=7)),
    ]
    # Moved to the day after tomorrow: the 7-day reminder is too late and is dropped.
    soon = NOW + timedelta(days=2)
    sent(agenda.update_appointment, counselor.user, appointment, starts_at=soon)
    assert planned(appointment=appointment) == [
        (ReminderKind.APPOINTMENT_1D, soon - timedelta(days=1))
    ]


def test_dropped_when_cancelled(counselor, young_person, sent):
    appointment = sent(create, counselor, [young_person])
    sent(agenda.cancel_appointment, counselor.user, appointment, "Conseiller absent")
    assert planned() == []


def test_dropped_for_a_young_person_who_leaves(counselor, young_person, sent):
    from tests.factories import AppointmentFactory

    session = AppointmentFactory(counselor=counselor, session=True, starts_at=START)
    sent(registrations.register, counselor.user, session, young_person)
    assert len(planned(appointment=session)) == 2
    sent(registrations.unregister, counselor.user, session, young_person, "A trouvé un emploi")
    assert planned(appointment=session) == []


def test_sent_once_when_due(counselor, young_person, sent, clock):
    appointment = sent(create, counselor, [young_person])
    clock.move_to(START - timedelta(days=7) + timedelta(seconds=30))
    assert sent(tasks.send_reminders) == "1 rappels"
    # The minute task runs again (or twice at once): nothing more.
    assert sent(tasks.send_reminders) == ""
    assert sent(reminders.send_due_reminders) == 0
    notices = in_app(young_person.user)
    assert [(n.kind, n.title) for n in notices if n.kind == Kind.REMINDER] == [
        (Kind.REMINDER, "Rendez-vous dans 7 jours")
    ]
    assert notices[0].link == f"/app/agenda/{appointment.pk}/"
    reminder_deliveries = Delivery.objects.filter(kind=Kind.REMINDER)
    assert sorted(reminder_deliveries.values_list("channel", flat=True)) == [
        Channel.IN_APP,
        Channel.PUSH,
    ]


def test_a_cancelled_appointment_sends_no_reminder(counselor, young_person, sent, clock):
    appointment = sent(create, counselor, [young_person])
    # Cancelled behind the services' back (no event): the send still checks.
    type(appointment).objects.filter(pk=appointment.pk).update(canceled_at=NOW)
    clock.move_to(START - timedelta(days=1))
    sent(reminders.send_due_reminders)
    assert not Notification.objects.filter(kind=Kind.REMINDER).exists()


def test_action_reminder_3_days_before(young_person, sent, clock):
    action, _ = sent(
        actions.create_action,
        actor=young_person.user,
        young_person=young_person,
        title="Appeler l'entreprise",
        category="EMPLOI",
        due_date=date(2026, 3, 12),
    )
    # 09:00 in Paris, 3 days before the due date.
    assert planned(action=action) == [
        (ReminderKind.ACTION_3D, datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
    ]
    sent(actions.update_action, young_person.user, action, due_date=date(2026, 3, 16))
    assert planned(action=action) == [
        (ReminderKind.ACTION_3D, datetime(2026, 3, 13, 8, 0, tzinfo=UTC))
    ]
    clock.move_to(datetime(2026, 3, 13, 8, 1, tzinfo=UTC))
    assert sent(reminders.send_due_reminders) == 1
    assert in_app(young_person.user)[0].title == "Action à terminer bientôt"


def test_no_action_reminder_once_done(young_person, sent):
    action, _ = sent(
        actions.create_action,
        actor=young_person.user,
        young_person=young_person,
        title="Appeler l'entreprise",
        category="EMPLOI",
        due_date=date(2026, 3, 12),
    )
    sent(actions.change_status, young_person.user, action, "done")
    assert planned(action=action) == []
    other, _ = sent(
        actions.create_action,
        actor=young_person.user,
        young_person=young_person,
        title="Sans rappel",
        category="EMPLOI",
        due_date=date(2026, 3, 12),
        reminder=False,
    )
    assert planned(action=other) == []
