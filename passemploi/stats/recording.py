"""Writing engagement events. Nothing here is called by the other apps: it listens to the
domain events they already publish (`core.events`), to Django's sign-in signal, and to the
saves of two models whose services publish nothing (attendance, followed offers).

Each handler runs inside the writer's transaction, so a rolled-back act leaves no event."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save

from passemploi.accounts.models import Counselor, YoungPerson
from passemploi.core import events
from passemploi.stats.enums import ActorKind, EventKind
from passemploi.stats.models import EngagementEvent
from passemploi.stats.regions import region_of


def record(profile, kind: str, object_type: str = "", object_id=None, at=None) -> EngagementEvent:
    """`profile` is the acting YoungPerson or Counselor (its structure is already loaded or is
    loaded here once)."""
    structure = profile.structure
    actor_kind = ActorKind.YOUNG_PERSON if isinstance(profile, YoungPerson) else ActorKind.COUNSELOR
    fields = {
        "actor_kind": actor_kind,
        "actor_id": profile.pk,
        "kind": kind,
        "object_type": object_type,
        "object_id": object_id,
        "structure_id": structure.pk,
        "structure_kind": structure.kind,
        "departement": structure.departement,
        "region": region_of(structure.departement),
    }
    if at is not None:
        fields["occurred_at"] = at
    return EngagementEvent.objects.create(**fields)


def profile_of(user):
    """The YoungPerson or Counselor of a user, or None (staff, accounts without a profile)."""
    if user is None:
        return None
    for model in (YoungPerson, Counselor):
        try:
            return model.objects.select_related("structure").get(user_id=user.pk)
        except model.DoesNotExist:
            continue
    return None


def _on_message(event):
    from passemploi.chat.enums import SenderRole
    from passemploi.chat.models import Message

    message = Message.objects.filter(pk=event.get("message_id")).first()
    if message is None or message.sender_role == SenderRole.SYSTEM:
        return
    profile = profile_of(message.sender)
    if profile is not None:
        record(profile, EventKind.MESSAGE_SENT, "message", message.pk, message.created_at)


def _on_action(event):
    from passemploi.actions.enums import ActionStatus
    from passemploi.actions.models import Action

    action = (
        Action.objects.select_related("young_person__structure")
        .filter(pk=event.get("action_id"))
        .first()
    )
    if action is None:
        return
    if event["type"] == "action.created":
        profile = profile_of(action.created_by)
        if profile is not None:
            record(profile, EventKind.ACTION_CREATED, "action", action.pk)
    already = EngagementEvent.objects.filter(kind=EventKind.ACTION_DONE, object_id=action.pk)
    if action.status == ActionStatus.DONE and not already.exists():
        last = action.history.order_by("-pk").select_related("actor").first()
        profile = profile_of(last.actor if last is not None else None) or action.young_person
        record(profile, EventKind.ACTION_DONE, "action", action.pk)


def _on_appointment_created(event):
    from passemploi.agenda.models import Appointment

    appointment = Appointment.objects.filter(pk=event.get("appointment_id")).first()
    if appointment is None:
        return
    already = EngagementEvent.objects.filter(
        kind=EventKind.APPOINTMENT_CREATED, object_id=appointment.pk
    )
    profile = profile_of(appointment.created_by)
    if profile is not None and not already.exists():
        record(profile, EventKind.APPOINTMENT_CREATED, "appointment", appointment.pk)


HANDLERS = {
    "message.created": _on_message,
    "action.created": _on_action,
    "action.updated": _on_action,
    "appointment.created": _on_appointment_created,
}


def on_domain_event(user_ids, event: dict) -> None:
    handler = HANDLERS.get(event.get("type"))
    if handler is not None:
        handler(event)


def on_sign_in(sender, request, user, **kwargs):
    profile = profile_of(user)
    if profile is not None:
        record(profile, EventKind.SIGN_IN)


def on_participation_saved(sender, instance, created, update_fields=None, **kwargs):
    from passemploi.agenda.enums import Attendance

    if instance.attendance != Attendance.PRESENT:
        return
    if update_fields is not None and "attendance" not in update_fields:
        return
    young_person = YoungPerson.objects.select_related("structure").get(pk=instance.young_person_id)
    record(young_person, EventKind.APPOINTMENT_ATTENDED, "appointment", instance.appointment_id)


def on_favourite_saved(sender, instance, created, update_fields=None, **kwargs):
    from passemploi.offers.enums import FavouriteStatus

    if created:
        kind = EventKind.OFFER_SAVED
    elif (
        instance.status == FavouriteStatus.APPLIED
        and (update_fields is None or "status" in update_fields)
        and not EngagementEvent.objects.filter(
            kind=EventKind.OFFER_APPLIED, object_id=instance.pk
        ).exists()
    ):
        kind = EventKind.OFFER_APPLIED
    else:
        return
    young_person = YoungPerson.objects.select_related("structure").get(pk=instance.young_person_id)
    record(young_person, kind, "favourite", instance.pk)


def connect() -> None:
    from passemploi.agenda.models import Participation
    from passemploi.offers.models import Favourite

    events.subscribe(on_domain_event)
    user_logged_in.connect(on_sign_in, dispatch_uid="stats_sign_in")
    post_save.connect(on_participation_saved, sender=Participation, dispatch_uid="stats_attend")
    post_save.connect(on_favourite_saved, sender=Favourite, dispatch_uid="stats_favourite")
