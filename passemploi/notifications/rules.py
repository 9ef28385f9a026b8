"""What each domain event sends, to whom (the subscriber of `core.events`).

Called inside the writer's transaction: rows written here commit with the change. A failure here
is logged and never undoes the user's change (a savepoint isolates it).
"""

import logging
import zoneinfo

from django.db import transaction
from django.utils import timezone

from passemploi.notifications import presence, reminders
from passemploi.notifications.enums import Kind, Topic
from passemploi.notifications.services import notify

logger = logging.getLogger(__name__)

APPOINTMENT_TITLES = {
    "created": "Nouveau rendez-vous",
    "updated": "Rendez-vous modifié",
    "canceled": "Rendez-vous annulé",
    "removed": "Rendez-vous annulé",
    "registered": "Inscription confirmée",
    "unregistered": "Désinscription confirmée",
}
SESSION_TITLES = APPOINTMENT_TITLES | {
    "created": "Nouvelle session",
    "updated": "Session modifiée",
    "canceled": "Session annulée",
    "removed": "Session annulée",
}
# Events of other apps that become a plain notice: (topic, kind, title, body, link, id field).
SIMPLE_EVENTS = {
    "offer.shared": (
        Topic.OFFERS,
        Kind.OFFERS,
        "Une offre pour vous",
        "Votre conseiller vous a partagé une offre.",
        "/app/offres/alertes/",
        "share_id",
    ),
    "alert.new_offers": (
        Topic.OFFERS,
        Kind.OFFERS,
        "De nouvelles offres pour votre alerte",
        "De nouvelles offres correspondent à une de vos recherches sauvegardées.",
        "/app/offres/alertes/",
        "run_id",
    ),
    "alert.suggested": (
        Topic.OFFERS,
        Kind.OFFERS,
        "Une suggestion d'alerte",
        "Votre conseiller vous suggère une recherche d'offres.",
        "/app/offres/alertes/",
        "suggestion_id",
    ),
    "news.published": (
        Topic.NEWS,
        Kind.NEWS,
        "Actualité de votre structure",
        "Une nouvelle actualité a été publiée.",
        "/app/ma-structure/",
        "news_id",
    ),
}


def handle(user_ids, event: dict) -> None:
    kind = event.get("type", "")
    handler = HANDLERS.get(kind.split(".")[0]) or (_simple if kind in SIMPLE_EVENTS else None)
    if handler is None:
        return
    try:
        with transaction.atomic():
            handler(user_ids, event)
    except Exception:  # noqa: BLE001 - a notification must never undo the user's change
        logger.exception("Notifications for %s not written", kind)


def _young_people(user_ids):
    from passemploi.accounts.models import YoungPerson

    return list(
        YoungPerson.objects.filter(user_id__in=user_ids).select_related("user", "structure")
    )


def on_message(user_ids, event) -> None:
    from passemploi.chat.enums import SenderRole
    from passemploi.chat.models import Message

    if event["type"] != "message.created":
        return
    message = (
        Message.objects.filter(pk=event.get("message_id"))
        .select_related("conversation__young_person__user__young_person__structure")
        .first()
    )
    # Counselors get nothing now (the weekday digest tells them); a young person only when
    # their counselor wrote and no socket of theirs is open.
    if message is None or message.sender_role != SenderRole.COUNSELOR:
        return
    young_user = message.conversation.young_person.user
    if presence.is_online(young_user.pk):
        return
    notify(
        young_user,
        kind=Kind.MESSAGE,
        topic=Topic.MESSAGES,
        title="Nouveau message",
        body="Nouveau message de votre conseiller",
        link="/app/messages/",
        key=f"message:{message.pk}:{young_user.pk}",
    )


def on_appointment(user_ids, event) -> None:
    from passemploi.agenda.models import Appointment

    verb = event["type"].split(".", 1)[1]
    appointment = (
        Appointment.objects.filter(pk=event.get("appointment_id"))
        .select_related("structure")
        .first()
    )
    if appointment is None or verb not in APPOINTMENT_TITLES:
        return
    people = _young_people(user_ids)
    ids = [yp.pk for yp in people]
    if verb in ("created", "updated", "registered"):
        reminders.plan_for_appointment(appointment, ids)
    else:
        reminders.drop_for_appointment(appointment, ids)
    zone = zoneinfo.ZoneInfo(appointment.structure.time_zone)
    when = timezone.localtime(appointment.starts_at, zone)
    titles = SESSION_TITLES if appointment.is_session else APPOINTMENT_TITLES
    now = timezone.now()
    # Same-day changes cannot wait for the morning: they go out during quiet hours too.
    urgent = when.date() == timezone.localtime(now, zone).date()
    # Each change is its own notice: the iCalendar sequence tells changes apart.
    version = appointment.sequence if verb == "updated" else ""
    for young_person in people:
        stamp = _stamp(verb, appointment, young_person)
        notify(
            young_person.user,
            kind=Kind.APPOINTMENT,
            topic=Topic.APPOINTMENTS,
            title=titles[verb],
            body=f"{appointment.get_type_display()} le {when:%d/%m/%Y à %H:%M}.",
            link=f"/app/agenda/{appointment.pk}/",
            key=f"appointment:{appointment.pk}:{verb}{version}:{stamp}:{young_person.user_id}",
            urgent=urgent,
            now=now,
        )


def _stamp(verb, appointment, young_person) -> str:
    """Registrations can come and go: each one is a notice of its own."""
    if verb not in ("registered", "unregistered"):
        return ""
    participation = appointment.participations.filter(young_person=young_person).first()
    if participation is None:
        return ""
    moment = participation.registered_at if verb == "registered" else participation.unregistered_at
    return str(int(moment.timestamp())) if moment else ""


def on_action(user_ids, event) -> None:
    from passemploi.actions.enums import CreatorRole
    from passemploi.actions.models import Action

    action = (
        Action.objects.filter(pk=event.get("action_id"))
        .select_related("young_person__user__young_person__structure", "young_person__structure")
        .first()
    )
    if action is None:
        return
    reminders.plan_for_action(action)
    if event["type"] == "action.created" and action.creator_role == CreatorRole.COUNSELOR:
        notify(
            action.young_person.user,
            kind=Kind.ACTION,
            topic=Topic.ACTIONS,
            title="Nouvelle action",
            body=(
                "Votre conseiller vous propose une action à réaliser avant le "
                f"{action.due_date:%d/%m/%Y}."
            ),
            link=f"/app/actions/{action.pk}/",
            key=f"action:{action.pk}:created",
        )


def _simple(user_ids, event) -> None:
    topic, kind, title, body, link, id_field = SIMPLE_EVENTS[event["type"]]
    for young_person in _young_people(user_ids):
        notify(
            young_person.user,
            kind=kind,
            topic=topic,
            title=title,
            body=body,
            link=link,
            key=f"{event['type']}:{event.get(id_field)}:{young_person.user_id}",
        )


HANDLERS = {"message": on_message, "appointment": on_appointment, "action": on_action}
