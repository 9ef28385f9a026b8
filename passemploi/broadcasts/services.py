"""Writes on broadcast lists, multi-recipient messages and the pinned notice.

A group message reaches each recipient through chat.services.send_message, in their own
conversation, one call per recipient. Recipients are the sender's current portfolio only (a young
person reassigned or archived since being added to a list is skipped), deduplicated. The whole
send is one transaction, and each recipient's message carries a client id derived from the group's
(uuid5), so a retried send finds the first one and sends nothing twice.
"""

import uuid
import zoneinfo
from datetime import date

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac

from passemploi.accounts.access import counselor_of, portfolio_of
from passemploi.accounts.models import Counselor, User, YoungPerson
from passemploi.broadcasts.models import (
    NAME_MAX,
    NOTICE_MAX,
    BroadcastList,
    GroupMessage,
    GroupRecipient,
    PinnedNotice,
)
from passemploi.chat import attachments
from passemploi.chat import services as chat_services
from passemploi.chat.access import get_attachment_for_user
from passemploi.chat.attachments import CheckedUpload
from passemploi.chat.models import Attachment, AttachmentState
from passemploi.core.errors import ServiceError

BODY_MAX = chat_services.MAX_LENGTH
NOT_YOURS = "Ce bénéficiaire ne fait pas partie de votre portefeuille."


# --- reading helpers -----------------------------------------------------------------------------


def members_of(broadcast_list: BroadcastList):
    """The list's members who are still in the owner's portfolio (and not archived)."""
    return broadcast_list.members.filter(counselor_id=broadcast_list.owner_id, is_archived=False)


def local_today(time_zone: str) -> date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def active_notice_for(young_person: YoungPerson) -> PinnedNotice | None:
    """Their counselor's notice, if today (in the young person's structure) is in its window."""
    notice = PinnedNotice.objects.filter(counselor_id=young_person.counselor_id).first()
    if notice is None or not notice.is_active(local_today(young_person.structure.time_zone)):
        return None
    return notice


# --- broadcast lists -----------------------------------------------------------------------------


def _counselor(actor: User) -> Counselor:
    counselor = counselor_of(actor)
    if counselor is None:
        raise ServiceError("forbidden", "Réservé aux conseillers.", status=403)
    return counselor


def _clean_name(owner: Counselor, name: str, exclude=None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("name_required", "Donnez un nom à la liste.", "name")
    if len(name) > NAME_MAX:
        raise ServiceError(
            "name_too_long", f"Le nom ne doit pas dépasser {NAME_MAX} caractères.", "name"
        )
    taken = BroadcastList.objects.filter(owner=owner, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ServiceError("name_taken", "Vous avez déjà une liste de ce nom.", "name", status=409)
    return name


def portfolio_young_people(counselor: Counselor, ids) -> list[YoungPerson]:
    """The young people named by `ids`, all of the counselor's current portfolio; any other id
    (missing, another portfolio, archived) is the same 404, so nothing can be probed."""
    try:
        wanted = {uuid.UUID(str(pk)) for pk in ids}
    except (ValueError, TypeError, AttributeError) as exc:
        raise ServiceError("not_found", NOT_YOURS, "young_person_ids", status=404) from exc
    found = list(portfolio_of(counselor).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ServiceError("not_found", NOT_YOURS, "young_person_ids", status=404)
    return found


def _save_list(broadcast_list: BroadcastList, name: str, young_people) -> None:
    broadcast_list.name = name
    broadcast_list.updated_at = timezone.now()
    try:
        with transaction.atomic():
            broadcast_list.save()
    except IntegrityError as exc:  # a concurrent save took the name
        raise ServiceError(
            "name_taken", "Vous avez déjà une liste de ce nom.", "name", status=409
        ) from exc
    if young_people is not None:
        broadcast_list.members.set(young_people)


@transaction.atomic
def create_list(actor: User, name: str, young_person_ids=()) -> BroadcastList:
    owner = _counselor(actor)
    name = _clean_name(owner, name)
    young_people = portfolio_young_people(owner, young_person_ids)
    broadcast_list = BroadcastList(owner=owner)
    _save_list(broadcast_list, name, young_people)
    return broadcast_list


@transaction.atomic
def update_list(
    actor: User, broadcast_list: BroadcastList, *, name=None, young_person_ids=None
) -> BroadcastList:
    """Rename and/or replace the members (None: unchanged). Members the counselor no longer
    follows are dropped when the members are replaced."""
    owner = _counselor(actor)
    if owner.pk != broadcast_list.owner_id:
        raise ServiceError("not_found", "Cette liste n'existe pas.", status=404)
    name = broadcast_list.name if name is None else _clean_name(owner, name, broadcast_list)
    young_people = None
    if young_person_ids is not None:
        young_people = portfolio_young_people(owner, young_person_ids)
    _save_list(broadcast_list, name, young_people)
    return broadcast_list


@transaction.atomic
def delete_list(actor: User, broadcast_list: BroadcastList) -> None:
    if _counselor(actor).pk != broadcast_list.owner_id:
        raise ServiceError("not_found", "Cette liste n'existe pas.", status=404)
    broadcast_list.delete()


# --- multi-recipient message ---------------------------------------------------------------------


def _digest(body: str) -> str:
    # Keyed: the record proves a retry carries the same text without storing a guessable hash.
    return salted_hmac("passemploi.broadcasts.group_message", body, algorithm="sha256").hexdigest()


def recipient_client_id(group_client_id, young_person_id) -> uuid.UUID:
    """The client id of one recipient's message: the same for every retry of the group send."""
    return uuid.uuid5(uuid.UUID(str(group_client_id)), str(young_person_id))


def _clean_body(body: str, required: bool) -> str:
    body = (body or "").strip()
    if required and not body:
        raise ServiceError("message_empty", "Le message est vide.", "body")
    if len(body) > BODY_MAX:
        raise ServiceError(
            "message_too_long", f"Le message ne doit pas dépasser {BODY_MAX} caractères.", "body"
        )
    return body


def resolve_recipients(counselor: Counselor, young_person_ids=(), list_ids=()) -> list:
    """Chosen young people and members of chosen lists, of the current portfolio, once each."""
    chosen = portfolio_young_people(counselor, young_person_ids)
    try:
        wanted_lists = {uuid.UUID(str(pk)) for pk in list_ids}
    except (ValueError, TypeError, AttributeError) as exc:
        raise ServiceError(
            "not_found", "Cette liste n'existe pas.", "list_ids", status=404
        ) from exc
    lists = BroadcastList.objects.filter(owner=counselor, pk__in=wanted_lists)
    if lists.count() != len(wanted_lists):
        raise ServiceError("not_found", "Cette liste n'existe pas.", "list_ids", status=404)
    from_lists = portfolio_of(counselor).filter(broadcast_lists__in=lists)
    recipients = {young_person.pk: young_person for young_person in chosen}
    for young_person in from_lists:
        recipients.setdefault(young_person.pk, young_person)
    return sorted(recipients.values(), key=lambda young_person: str(young_person.pk))


def _uploaded(actor: User, attachment_id) -> tuple[Attachment, CheckedUpload]:
    """A file the counselor uploaded beforehand through the API (to any of their conversations)
    and has not sent yet: it joins the message of its own conversation, and every other
    recipient gets an encrypted copy in theirs."""
    unavailable = ServiceError(
        "attachment_unavailable",
        "Cette pièce jointe n'existe pas ou a déjà été envoyée.",
        "attachment_id",
    )
    try:
        attachment = get_attachment_for_user(actor, attachment_id)
    except Http404 as exc:
        raise unavailable from exc
    usable = (AttachmentState.CLEAN, AttachmentState.PENDING)
    if (
        attachment.uploader_id != actor.pk
        or attachment.message_id is not None
        or attachment.state not in usable
    ):
        raise unavailable
    upload = CheckedUpload(
        content=attachments.read(attachment),
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        state=attachment.state,
        scanned_at=attachment.scanned_at,
    )
    return attachment, upload


def send_group_message(
    actor: User,
    *,
    client_id,
    body: str,
    young_person_ids=(),
    list_ids=(),
    upload: CheckedUpload | None = None,
    attachment_id=None,
) -> tuple[GroupMessage, bool]:
    """Send `body` to each recipient in their own conversation, with the file `upload` (checked
    by chat.attachments.check_upload) or the API upload `attachment_id` if any. Returns (group,
    created); a retry with the same client id returns the first group and sends nothing."""
    counselor = _counselor(actor)
    if client_id is None:
        raise ServiceError("client_id_required", "Identifiant d'envoi manquant.", "client_id")
    has_file = upload is not None or attachment_id is not None
    body = _clean_body(body, required=not has_file)
    digest = _digest(body)
    existing = GroupMessage.objects.filter(sender=actor, client_id=client_id).first()
    if existing is not None:
        return _replayed(existing, digest), False
    recipients = resolve_recipients(counselor, young_person_ids, list_ids)
    if not recipients:
        raise ServiceError(
            "no_recipient", "Choisissez au moins un bénéficiaire ou une liste.", "young_person_ids"
        )
    attachment = None
    if attachment_id is not None:
        attachment, upload = _uploaded(actor, attachment_id)
    try:
        with transaction.atomic():
            group = GroupMessage.objects.create(
                sender=actor,
                client_id=client_id,
                body_digest=digest,
                recipient_count=len(recipients),
            )
            rows = []
            for young_person in recipients:
                conversation = chat_services.conversation_of(young_person)
                if attachment is not None and attachment.conversation_id == conversation.pk:
                    extra = {"attachment": attachment}
                elif upload is not None:
                    extra = {"upload": upload}
                else:
                    extra = {}
                message, _ = chat_services.send_message(
                    actor,
                    conversation,
                    body,
                    client_id=recipient_client_id(client_id, young_person.pk),
                    **extra,
                )
                rows.append(
                    GroupRecipient(group_message=group, young_person=young_person, message=message)
                )
            GroupRecipient.objects.bulk_create(rows)
    except IntegrityError:
        # A concurrent retry with the same client id committed first.
        existing = GroupMessage.objects.filter(sender=actor, client_id=client_id).first()
        if existing is None:
            raise
        return _replayed(existing, digest), False
    return group, True


def _replayed(group: GroupMessage, digest: str) -> GroupMessage:
    if group.body_digest != digest:
        raise ServiceError(
            "client_id_reused",
            "Cet identifiant d'envoi a déjà servi pour un autre message.",
            "client_id",
            status=409,
        )
    return group


# --- pinned notice -------------------------------------------------------------------------------


@transaction.atomic
def set_notice(actor: User, text: str, starts_on: date, ends_on: date) -> PinnedNotice:
    counselor = _counselor(actor)
    text = (text or "").strip()
    if not text:
        raise ServiceError("text_required", "Saisissez le texte du message.", "text")
    if len(text) > NOTICE_MAX:
        raise ServiceError(
            "text_too_long", f"Le texte ne doit pas dépasser {NOTICE_MAX} caractères.", "text"
        )
    if starts_on is None:
        raise ServiceError("starts_on_required", "Indiquez la date de début.", "starts_on")
    if ends_on is None:
        raise ServiceError("ends_on_required", "Indiquez la date de fin.", "ends_on")
    if ends_on < starts_on:
        raise ServiceError(
            "ends_before_start",
            "La date de fin doit être égale ou postérieure à la date de début.",
            "ends_on",
        )
    notice, _ = PinnedNotice.objects.update_or_create(
        counselor=counselor,
        defaults={
            "text": text,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "updated_at": timezone.now(),
        },
    )
    return notice


@transaction.atomic
def remove_notice(actor: User) -> bool:
    deleted, _ = PinnedNotice.objects.filter(counselor=_counselor(actor)).delete()
    return bool(deleted)
