"""The nightly purge: one rule per kind of data, each with its period in settings
(DATA_RETENTION_DAYS) and its legal basis in docs/data-retention.md.

Each rule deletes in bulk what its period has passed, returns how many rows went, and is safe to
run twice (a second run finds nothing). Inactive accounts are warned by email a month before
deletion; a sign-in after the warning cancels it."""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Max, ProtectedError
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.utils import timezone

from passemploi.accounts.models import User
from passemploi.actions.models import Action
from passemploi.agenda.models import Appointment, AppointmentChange
from passemploi.audit import services as audit
from passemploi.audit.models import AuditKind
from passemploi.retention.models import DeletionWarning

logger = logging.getLogger(__name__)

WARNING_AHEAD = timedelta(days=30)


def period(key: str) -> timedelta:
    return timedelta(days=settings.DATA_RETENTION_DAYS[key])


# --- accounts ----------------------------------------------------------------------------------


def _with_last_activity(users):
    """Last sign-in on the site, last token issued to the app, or the account's creation."""
    return users.annotate(
        last_activity=Greatest(
            Coalesce("last_login", "date_joined"),
            Coalesce(Max("api_tokens__created_at"), "date_joined"),
        ),
    )


def _purgeable_users():
    return User.objects.filter(is_staff=False, is_superuser=False)


def warn_inactive_accounts(now) -> int:
    # A warning older than the user's last activity is void: they came back.
    stale = _with_last_activity(User.objects.filter(deletion_warning__isnull=False)).filter(
        last_activity__gt=F("deletion_warning__sent_at")
    )
    DeletionWarning.objects.filter(user__in=stale.values("pk")).delete()
    cutoff = now - period("inactive_accounts") + WARNING_AHEAD
    to_warn = _with_last_activity(_purgeable_users().filter(deletion_warning__isnull=True)).filter(
        last_activity__lt=cutoff
    )
    count = 0
    for user in to_warn:
        # Deleted once both the period has passed and the warning is a month old.
        deletion = max(user.last_activity + period("inactive_accounts"), now + WARNING_AHEAD)
        context = {"user": user, "deletion_date": timezone.localdate(deletion)}
        send_mail(
            "Votre compte Pass Emploi va être supprimé",
            render_to_string("retention/inactive_warning.txt", context),
            None,
            [user.email],
        )
        DeletionWarning.objects.create(user=user, sent_at=now)
        count += 1
    return count


def delete_inactive_accounts(now) -> int:
    cutoff = now - period("inactive_accounts")
    due = _with_last_activity(
        _purgeable_users().filter(deletion_warning__sent_at__lte=now - WARNING_AHEAD)
    ).filter(last_activity__lt=cutoff)
    return _delete_users(due, reason="inactive")


def _delete_users(users, reason: str) -> int:
    count = 0
    for user in users:
        try:
            user_id, email = user.pk, user.email
            user.delete()
        except ProtectedError:
            # A counselor still holding young people: reassign them first (support's job).
            logger.warning("Account %s kept: it still holds other people's files", user.pk)
            continue
        audit.record(
            AuditKind.ACCOUNT_DELETED, actor_label="purge", target=_Deleted(user_id), reason=reason
        )
        logger.info("Account of %s deleted (%s)", email[:1] + "…", reason)
        count += 1
    return count


@dataclass
class _Deleted:
    pk: object


# --- accompaniment data ------------------------------------------------------------------------


def purge_actions(now) -> int:
    cutoff = timezone.localdate(now) - period("actions")
    return Action.objects.filter(due_date__lt=cutoff).delete()[1].get("actions.Action", 0)


def purge_appointments(now) -> int:
    deleted = Appointment.objects.filter(starts_at__lt=now - period("appointments")).delete()
    return deleted[1].get("agenda.Appointment", 0)


def purge_appointment_changes(now) -> int:
    cutoff = now - period("appointment_changes")
    return AppointmentChange.objects.filter(at__lt=cutoff).delete()[0]


def purge_audit(now) -> int:
    return audit.purge_expired(now)


def purge_favourites(now) -> int:
    """Followed offers untouched for six months (saved, applied or not interested)."""
    from passemploi.offers.models import Favourite

    return Favourite.objects.filter(updated_at__lt=now - period("favourites")).delete()[0]


def purge_alerts(now) -> int:
    from passemploi.offers.models_alerts import Alert

    return Alert.objects.filter(created_at__lt=now - period("alerts")).delete()[0]


ANONYMOUS = uuid.UUID(int=0)


def anonymise_engagement_events(now) -> int:
    """Old engagement events lose whose they were; the weekly figures built from them stay."""
    from passemploi.stats.models import EngagementEvent

    cutoff = now - period("engagement_events")
    return (
        EngagementEvent.objects.filter(occurred_at__lt=cutoff)
        .exclude(actor_id=ANONYMOUS)
        .update(actor_id=ANONYMOUS)
    )


# --- the rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    purge: object  # (now) -> number of rows


RULES = [
    Rule("inactive_accounts", "Avertissement des comptes inactifs", warn_inactive_accounts),
    Rule("inactive_accounts", "Comptes inactifs supprimés", delete_inactive_accounts),
    Rule("actions", "Actions (après leur échéance)", purge_actions),
    Rule("appointments", "Rendez-vous et sessions (après leur date)", purge_appointments),
    Rule("appointment_changes", "Historique des rendez-vous", purge_appointment_changes),
    Rule("audit", "Journal de sécurité", purge_audit),
    Rule("favourites", "Offres suivies", purge_favourites),
    Rule("alerts", "Recherches sauvegardées (alertes)", purge_alerts),
    Rule("engagement_events", "Événements d'usage anonymisés", anonymise_engagement_events),
]


def purge_all(now=None) -> dict[str, int]:
    """Run every rule; one failing rule is logged and does not stop the others."""
    now = now or timezone.now()
    report = {}
    for rule in RULES:
        try:
            report[rule.label] = rule.purge(now)
        except Exception:
            logger.exception("Retention rule %s failed", rule.label)
            report[rule.label] = -1
    return report
