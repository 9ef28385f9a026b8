"""Writes of the young person's app: first-run flag, help requests, data exports."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from passemploi.audit.models import AuditKind
from passemploi.audit.services import record
from passemploi.core.errors import ServiceError
from passemploi.youth import export as exports
from passemploi.youth.models import DataExport, ExportState, SupportRequest, YouthSettings

# Help requests: at most this many per person and per hour (a stuck button, not a flood).
SUPPORT_LIMIT = 3
SUPPORT_WINDOW = timedelta(hours=1)


def is_onboarded(young_person) -> bool:
    return YouthSettings.objects.filter(
        young_person=young_person, onboarded_at__isnull=False
    ).exists()


def finish_onboarding(young_person) -> None:
    """The first-run screens were seen or skipped: never show them again (idempotent)."""
    settings_row, _ = YouthSettings.objects.get_or_create(young_person=young_person)
    if settings_row.onboarded_at is None:
        settings_row.onboarded_at = timezone.now()
        settings_row.save(update_fields=["onboarded_at"])


def send_support_request(user, subject: str, body: str) -> SupportRequest:
    since = timezone.now() - SUPPORT_WINDOW
    recent = SupportRequest.objects.filter(user=user, created_at__gte=since).count()
    if recent >= SUPPORT_LIMIT:
        raise ServiceError(
            "rate_limited",
            "Vous avez déjà envoyé plusieurs messages dans l'heure : "
            "l'équipe vous répond au plus vite, réessayez plus tard.",
            status=429,
            retry_after=int(SUPPORT_WINDOW.total_seconds()),
        )
    with transaction.atomic():
        request = SupportRequest.objects.create(
            user=user, email=user.email, subject=subject, body=body
        )
    young_person = getattr(user, "young_person", None)
    context = ""
    if young_person is not None:
        context = (
            f"\n\n---\nStructure : {young_person.structure.name}\n"
            f"Dispositif : {young_person.get_scheme_display()}\n"
        )
    transaction.on_commit(
        lambda: send_mail(
            f"[Aide Pass Emploi] {subject}",
            f"De : {user.get_full_name()} <{user.email}>\n\n{body}{context}",
            settings.DEFAULT_FROM_EMAIL,
            [settings.SUPPORT_EMAIL],
        )
    )
    return request


def current_export(young_person) -> DataExport | None:
    """The export being prepared or still on offer, if any."""
    return (
        DataExport.objects.filter(young_person=young_person, expires_at__gt=timezone.now())
        .exclude(state=ExportState.FAILED)
        .first()
    )


def request_export(user, young_person, request=None) -> tuple[DataExport, bool]:
    """Start an export; asking again while one is pending or on offer returns it (one job)."""
    with transaction.atomic():
        # Serialise concurrent requests of the same person on their row.
        type(young_person).objects.select_for_update().get(pk=young_person.pk)
        existing = current_export(young_person)
        if existing is not None:
            return existing, False
        export = DataExport.objects.create(young_person=young_person, expires_at=exports.expiry())
        record(AuditKind.DATA_EXPORT, actor=user, request=request, target=young_person)
        exports.enqueue(export.pk)
    return export, True
