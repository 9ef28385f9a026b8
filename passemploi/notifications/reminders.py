"""Reminders: appointments and sessions 7 days and 1 day before, actions 3 days before their due
date when not done. Planned as rows when the object is created or changed (re-planned when an
appointment moves, dropped when it is cancelled or the young person leaves it), sent by the
minute task once due."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from passemploi.notifications.enums import Kind, ReminderKind, Topic
from passemploi.notifications.models import Reminder
from passemploi.notifications.services import notify

APPOINTMENT_REMINDERS = {
    ReminderKind.APPOINTMENT_7D: timedelta(days=7),
    ReminderKind.APPOINTMENT_1D: timedelta(days=1),
}
ACTION_REMINDER_DAYS = 3
# Action reminders go out at this local time, 3 days before the due date.
ACTION_REMINDER_TIME = time(9, 0)


def plan_for_appointment(appointment, young_person_ids, now=None) -> None:
    now = now or timezone.now()
    if appointment.canceled_at is not None:
        drop_for_appointment(appointment)
        return
    for kind, before in APPOINTMENT_REMINDERS.items():
        due = appointment.starts_at - before
        for young_person_id in young_person_ids:
            existing = Reminder.objects.filter(
                kind=kind, young_person_id=young_person_id, appointment=appointment
            ).first()
            if due <= now:
                # Too late for this one: never send a "7 days before" on the eve.
                if existing is not None and existing.sent_at is None:
                    existing.delete()
                continue
            if existing is None:
                Reminder.objects.create(
                    kind=kind, young_person_id=young_person_id, appointment=appointment, due_at=due
                )
            elif existing.due_at != due:
                existing.due_at, existing.sent_at, existing.queued_at = due, None, None
                existing.save(update_fields=["due_at", "sent_at", "queued_at"])


def drop_for_appointment(appointment, young_person_ids=None) -> None:
    reminders = Reminder.objects.filter(appointment=appointment, sent_at__isnull=True)
    if young_person_ids is not None:
        reminders = reminders.filter(young_person_id__in=young_person_ids)
    reminders.delete()


def plan_for_action(action, now=None) -> None:
    from passemploi.actions.enums import ActionStatus

    now = now or timezone.now()
    kind = ReminderKind.ACTION_3D
    zone = zoneinfo.ZoneInfo(action.young_person.structure.time_zone)
    day = action.due_date - timedelta(days=ACTION_REMINDER_DAYS)
    due = datetime.combine(day, ACTION_REMINDER_TIME, tzinfo=zone)
    wanted = action.reminder and action.status in (
        ActionStatus.NOT_STARTED,
        ActionStatus.IN_PROGRESS,
    )
    existing = Reminder.objects.filter(kind=kind, action=action).first()
    if not wanted or due <= now:
        if existing is not None and existing.sent_at is None:
            existing.delete()
        return
    if existing is None:
        Reminder.objects.create(
            kind=kind, young_person_id=action.young_person_id, action=action, due_at=due
        )
    elif existing.due_at != due:
        existing.due_at, existing.sent_at, existing.queued_at = due, None, None
        existing.save(update_fields=["due_at", "sent_at", "queued_at"])


def _still_relevant(reminder, now) -> bool:
    from passemploi.actions.enums import ActionStatus
    from passemploi.agenda.enums import HOLDING_SEAT

    if reminder.appointment_id:
        appointment = reminder.appointment
        return (
            appointment.canceled_at is None
            and appointment.starts_at > now
            and appointment.participations.filter(
                young_person_id=reminder.young_person_id, attendance__in=HOLDING_SEAT
            ).exists()
        )
    action = reminder.action
    return action.reminder and action.status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


def _message(reminder) -> dict:
    if reminder.appointment_id:
        appointment = reminder.appointment
        zone = zoneinfo.ZoneInfo(appointment.structure.time_zone)
        when = timezone.localtime(appointment.starts_at, zone)
        label = "demain" if reminder.kind == ReminderKind.APPOINTMENT_1D else "dans 7 jours"
        what = "Session" if appointment.is_session else "Rendez-vous"
        return {
            "topic": Topic.APPOINTMENTS,
            "title": f"{what} {label}",
            "body": f"{appointment.get_type_display()} le {when:%d/%m à %H:%M}.",
            "link": f"/app/agenda/{appointment.pk}/",
        }
    action = reminder.action
    return {
        "topic": Topic.ACTIONS,
        "title": "Action à terminer bientôt",
        "body": f"Une de vos actions arrive à échéance le {action.due_date:%d/%m}.",
        "link": f"/app/actions/{action.pk}/",
    }


def send_due_reminders(now=None, limit=2000, ids=None) -> int:
    """Send the reminders whose time has come (`ids`: only those), at most `limit` a call."""
    now = now or timezone.now()
    due = Reminder.objects.filter(sent_at__isnull=True, due_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    due = list(
        due.select_related(
            "young_person__user__young_person__structure",
            "appointment__structure",
            "action",
        ).order_by("due_at")[:limit]
    )
    sent = 0
    for reminder in due:
        with transaction.atomic():
            # A conditional update claims it: of two runs at once, one only sees a row to change.
            locked = Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
                sent_at=now
            )
            if not locked or not _still_relevant(reminder, now):
                continue
            notify(
                reminder.young_person.user,
                kind=Kind.REMINDER,
                key=f"reminder:{reminder.pk}:{int(reminder.due_at.timestamp())}",
                now=now,
                **_message(reminder),
            )
            sent += 1
    return sent
