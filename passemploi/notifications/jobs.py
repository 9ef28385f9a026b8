"""The bodies of the periodic jobs (scheduled in tasks.py). Each returns a short detail for its
TaskRun row, or raises Skipped when the feature it drives is not there."""

import importlib
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from passemploi.notifications.enums import Channel, DeliveryState, Kind, Topic
from passemploi.notifications.models import (
    Delivery,
    Notification,
    NotificationPreferences,
    Reminder,
    TaskRun,
)
from passemploi.notifications.services import notify

RETENTION = timedelta(days=10)
TASK_RUN_RETENTION = timedelta(days=60)


class Skipped(Exception):
    """The job's feature is not installed: the run is recorded as skipped."""


def optional(dotted: str):
    """A function another app may provide ("module.function"), or Skipped."""
    module_name, name = dotted.rsplit(".", 1)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise Skipped(f"{module_name} absent") from exc
    function = getattr(module, name, None)
    if function is None:
        raise Skipped(f"{dotted} absent")
    return function


def run_alerts() -> str:
    return str(optional("passemploi.offers.services.run_alerts")())


def _young_people_to_nudge():
    from passemploi.accounts.models import YoungPerson

    off = NotificationPreferences.objects.filter(weekly=False).values("user_id")
    return (
        YoungPerson.objects.filter(is_archived=False, user__is_active=True)
        .exclude(user__activated_at__isnull=True)
        .exclude(user_id__in=off)
        .select_related("user", "structure")
    )


def thursday_nudge(now=None) -> str:
    now = now or timezone.now()
    day = timezone.localdate(now)
    count = 0
    for young_person in _young_people_to_nudge().iterator(chunk_size=500):
        notify(
            young_person.user,
            kind=Kind.NUDGE,
            topic=Topic.WEEKLY,
            title="On est jeudi !",
            body="Pensez à saisir les actions de votre semaine.",
            link="/app/suivi/",
            key=f"nudge:thursday:{day}:{young_person.user_id}",
            prefs=NotificationPreferences(user=young_person.user),  # switches checked above
            now=now,
        )
        count += 1
    return f"{count} jeunes"


def monday_no_hours_nudge(now=None) -> str:
    """Young people whose hour counter is on and shows no hour for the past week."""
    from passemploi.actions.counter import Week, hours_for

    now = now or timezone.now()
    last_week = Week.of(timezone.localdate(now)).shift(-1)
    people = list(_young_people_to_nudge().filter(hour_counter_enabled=True))
    hours = hours_for([yp.pk for yp in people], last_week)
    count = 0
    for young_person in people:
        if hours[young_person.pk].declared > 0:
            continue
        notify(
            young_person.user,
            kind=Kind.NUDGE,
            topic=Topic.WEEKLY,
            title="Votre semaine compte",
            body="Aucune heure déclarée la semaine dernière : ajoutez vos actions.",
            link="/app/suivi/",
            key=f"nudge:no-hours:{last_week.start}:{young_person.user_id}",
            prefs=NotificationPreferences(user=young_person.user),
            now=now,
        )
        count += 1
    return f"{count} jeunes"


def counselor_digest(now=None) -> str:
    """One email per counselor listing their conversations with unread messages."""
    from passemploi.accounts.models import Counselor
    from passemploi.chat.models import Conversation

    now = now or timezone.now()
    day = timezone.localdate(now)
    unread = (
        Conversation.objects.filter(last_seq__gt=F("counselor_read_seq"))
        .select_related("young_person__user")
        .order_by("-last_message_at")
    )
    by_counselor = {}
    for conversation in unread:
        young_person = conversation.young_person
        by_counselor.setdefault(young_person.counselor_id, []).append(
            {
                "name": young_person.user.get_full_name(),
                "unread": conversation.last_seq - conversation.counselor_read_seq,
                "link": f"/conseiller/messagerie/{conversation.pk}/",
            }
        )
    off = NotificationPreferences.objects.filter(digest=False).values("user_id")
    counselors = (
        Counselor.objects.filter(pk__in=by_counselor, user__is_active=True)
        .exclude(user_id__in=off)
        .select_related("user", "structure")
    )
    count = 0
    for counselor in counselors:
        conversations = by_counselor[counselor.pk]
        notify(
            counselor.user,
            kind=Kind.DIGEST,
            topic=Topic.DIGEST,
            title=f"Pass Emploi : {len(conversations)} conversation(s) non lue(s)",
            body="Des bénéficiaires vous ont écrit.",
            link="/conseiller/messagerie/",
            key=f"digest:{day}:{counselor.user_id}",
            channels=(Channel.EMAIL,),
            context={"conversations": conversations},
            prefs=NotificationPreferences(user=counselor.user),
            now=now,
        )
        count += 1
    return f"{count} conseillers"


def autoqualify_actions() -> str:
    from passemploi.actions.services import autoqualify_stale_actions

    return f"{autoqualify_stale_actions()} actions"


def purge_notifications(now=None) -> str:
    now = now or timezone.now()
    cutoff = now - RETENTION
    notifications, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    deliveries, _ = (
        Delivery.objects.filter(created_at__lt=cutoff).exclude(state=DeliveryState.PENDING).delete()
    )
    Reminder.objects.filter(sent_at__lt=cutoff).delete()
    TaskRun.objects.filter(started_at__lt=now - TASK_RUN_RETENTION).delete()
    return f"{notifications} notifications, {deliveries} envois"


def expire_attachments() -> str:
    return str(optional("passemploi.chat.attachments.expire_attachments")())


def scan_pending_attachments() -> str:
    return str(optional("passemploi.chat.attachments.scan_pending_attachments")())


def drop_stale_device_tokens() -> str:
    return str(optional("passemploi.push.services.drop_stale_device_tokens")())


def remove_expired_offers() -> str:
    return str(optional("passemploi.offers.maintenance.remove_expired_offers")())


def aggregate_stats() -> str:
    return f"{optional('passemploi.stats.services.aggregate_weeks')()} lignes"


def compute_dropout_risk() -> str:
    return f"{optional('passemploi.portfolio.risk.refresh_risks')()} jeunes"


def purge_expired_exports() -> str:
    return str(optional("passemploi.youth.export.purge_expired_exports")())


def purge_data() -> str:
    """The retention rules (docs/data-retention.md); a failed rule shows as -1."""
    report = optional("passemploi.retention.services.purge_all")()
    return "; ".join(f"{label} : {count}" for label, count in report.items())
