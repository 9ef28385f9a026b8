"""Download my data (GDPR art. 15, right of access): one ZIP holding a readable JSON.

The archive is built in the background (the batch queue when the notification queues are
importable), kept through Django's storage for EXPORT_DAYS days, then deleted by
`purge_expired_exports()`."""

import io
import json
import logging
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from passemploi.actions.models import Action
from passemploi.agenda.models import Participation
from passemploi.chat.models import Conversation, Message
from passemploi.chat.services import body_of, data_key
from passemploi.notifications.models import Notification
from passemploi.offers.models import Favourite
from passemploi.youth.alerts import alerts_of
from passemploi.youth.models import DataExport, ExportState

logger = logging.getLogger(__name__)

EXPORT_DAYS = 7
FILENAME = "mes-donnees-pass-emploi.json"


def _when(value):
    return value.isoformat() if value is not None else None


def _profile(young_person) -> dict:
    user = young_person.user
    counselor = young_person.counselor.user
    return {
        "prénom": user.first_name,
        "nom": user.last_name,
        "adresse_e_mail": user.email,
        "compte_créé_le": _when(user.date_joined),
        "dispositif": young_person.get_scheme_display(),
        "structure": young_person.structure.name,
        "conseiller": counselor.get_full_name(),
        "début_de_l_accompagnement": _when(young_person.start_date),
        "fin_prévue": _when(young_person.planned_end_date),
        "cgu_version_acceptée": young_person.terms_version,
        "cgu_acceptées_le": _when(young_person.terms_accepted_at),
    }


def _actions(young_person) -> list[dict]:
    return [
        {
            "titre": action.title,
            "description": action.description,
            "catégorie": action.get_category_display(),
            "état": action.get_status_display(),
            "échéance": _when(action.due_date),
            "créée_le": _when(action.created_at),
        }
        for action in Action.objects.filter(young_person=young_person).order_by("due_date", "pk")
    ]


def _appointments(young_person) -> list[dict]:
    rows = (
        Participation.objects.filter(young_person=young_person)
        .select_related("appointment")
        .order_by("appointment__starts_at", "pk")
    )
    return [
        {
            "titre": row.appointment.title,
            "type": row.appointment.get_type_display(),
            "début": _when(row.appointment.starts_at),
            "durée_minutes": row.appointment.duration_minutes,
            "modalité": row.appointment.get_modality_display(),
            "adresse": row.appointment.address,
            "session_collective": row.appointment.is_session,
            "présence": row.get_attendance_display(),
            "annulé_le": _when(row.appointment.canceled_at),
        }
        for row in rows
    ]


def _messages(young_person) -> list[dict]:
    conversation = Conversation.objects.filter(young_person=young_person).first()
    if conversation is None:
        return []
    key = data_key(conversation)
    messages = Message.objects.filter(conversation=conversation, deleted_at__isnull=True)
    return [
        {
            "envoyé_le": _when(message.created_at),
            "par": "moi" if message.sender_role == "young_person" else "mon conseiller",
            "texte": body_of(message, key),
        }
        for message in messages.order_by("seq")
    ]


def _favourites(young_person) -> list[dict]:
    rows = Favourite.objects.filter(young_person=young_person).select_related("offer")
    return [
        {
            "offre": row.offer.title,
            "entreprise": row.offer.company,
            "état": row.get_status_display(),
            "suivie_depuis": _when(row.created_at),
            "candidature_le": _when(row.applied_at),
        }
        for row in rows.order_by("created_at")
    ]


def _alerts(young_person) -> list[dict]:
    return [
        {"nom": alert.name, "critères": alert.summary, "créée_le": _when(alert.created_at)}
        for alert in alerts_of(young_person)
    ]


def _notifications(young_person) -> list[dict]:
    rows = Notification.objects.filter(recipient=young_person.user).order_by("created_at")
    return [
        {
            "titre": row.title,
            "texte": row.body,
            "reçue_le": _when(row.created_at),
            "lue_le": _when(row.read_at),
        }
        for row in rows
    ]


def collect(young_person) -> dict:
    """Everything about one young person, by category, in French keys a person can read."""
    return {
        "produit_le": _when(timezone.now()),
        "profil": _profile(young_person),
        "démarches": _actions(young_person),
        "rendez_vous": _appointments(young_person),
        "messages": _messages(young_person),
        "offres_suivies": _favourites(young_person),
        "alertes": _alerts(young_person),
        "notifications": _notifications(young_person),
    }


def build(export_id) -> None:
    """Produce the ZIP of one pending export (idempotent: a ready one is left alone)."""
    export = (
        DataExport.objects.select_related("young_person__user", "young_person__counselor__user")
        .select_related("young_person__structure")
        .filter(pk=export_id, state=ExportState.PENDING)
        .first()
    )
    if export is None:
        return
    try:
        data = collect(export.young_person)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(FILENAME, json.dumps(data, ensure_ascii=False, indent=2))
        content = buffer.getvalue()
        key = default_storage.save(f"exports/{export.pk}.zip", ContentFile(content))
    except Exception:
        logger.exception("data export %s failed", export.pk)
        DataExport.objects.filter(pk=export.pk).update(state=ExportState.FAILED)
        return
    DataExport.objects.filter(pk=export.pk).update(
        state=ExportState.READY, storage_key=key, size=len(content), ready_at=timezone.now()
    )


def enqueue(export_id) -> None:
    """Run `build` on the batch queue when it exists, else right away."""
    try:
        from passemploi.youth.tasks import build_export  # noqa: PLC0415 (optional queue)
    except ImportError:
        build(export_id)
        return
    transaction.on_commit(lambda: build_export(str(export_id)))


def purge_expired_exports(now=None) -> int:
    """Delete the archives past their EXPORT_DAYS days (files and rows); returns how many."""
    now = now or timezone.now()
    expired = list(DataExport.objects.filter(expires_at__lte=now))
    for export in expired:
        if export.storage_key:
            default_storage.delete(export.storage_key)
        export.delete()
    return len(expired)


def expiry(now=None):
    return (now or timezone.now()) + timedelta(days=EXPORT_DAYS)
