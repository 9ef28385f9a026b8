"""Writes on conversations: send, edit, delete, mark read, system messages.

A message is committed before anyone is told: the socket only carries notices of committed data
({type, conversation_id, seq}, never content), and a client that missed some asks for every
message after the last sequence number it saw. Sends are idempotent by client id.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from passemploi.accounts.access import counselor_of, young_person_of
from passemploi.accounts.models import User, YoungPerson
from passemploi.chat import attachments, crypto, shared
from passemploi.chat.attachments import CheckedUpload
from passemploi.chat.enums import MessageKind, SenderRole, SharedType
from passemploi.chat.models import Attachment, Conversation, Message, MessageVersion
from passemploi.core.errors import ServiceError
from passemploi.core.events import publish

MAX_LENGTH = 10_000


def _err(code, message, field=None, status=400):
    return ServiceError(code, message, field, status=status)


def conversation_of(young_person: YoungPerson) -> Conversation:
    conversation = Conversation.objects.filter(young_person=young_person).first()
    if conversation is None:
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(
                    young_person=young_person, wrapped_key=crypto.new_wrapped_data_key()
                )
        except IntegrityError:
            conversation = Conversation.objects.get(young_person=young_person)
    return conversation


def data_key(conversation: Conversation) -> bytes:
    return crypto.unwrap(conversation.wrapped_key)


def body_of(message: Message, key: bytes | None = None) -> str:
    """The plaintext of a message ("" once deleted)."""
    if message.deleted_at is not None:
        return ""
    key = key or data_key(message.conversation)
    return crypto.decrypt(key, message.body_encrypted, str(message.pk))


def party(actor: User, conversation: Conversation) -> str:
    """The actor's side of the conversation; 404 for anyone else."""
    young_person = young_person_of(actor)
    if young_person is not None and young_person.pk == conversation.young_person_id:
        return SenderRole.YOUNG_PERSON
    counselor = counselor_of(actor)
    if counselor is not None and counselor.pk == conversation.young_person.counselor_id:
        return SenderRole.COUNSELOR
    raise _err("not_found", "Cette conversation n'existe pas.", status=404)


def _clean_body(body: str, required: bool = True) -> str:
    body = (body or "").strip()
    if required and not body:
        raise _err("message_empty", "Le message est vide.", "body")
    if len(body) > MAX_LENGTH:
        raise _err(
            "message_too_long",
            f"Le message ne doit pas dépasser {MAX_LENGTH} caractères.",
            "body",
        )
    return body


def _tell(conversation: Conversation, event: str, **extra) -> None:
    young_person = conversation.young_person
    publish(
        [young_person.user_id, young_person.counselor.user_id],
        {"type": event, "conversation_id": str(conversation.pk), **extra},
    )


@transaction.atomic
def _append(
    conversation: Conversation,
    *,
    sender: User | None,
    role: str,
    body: str,
    kind: str,
    client_id=None,
    shared_type: str = "",
    shared_id=None,
) -> Message:
    # The row lock serialises senders of one conversation: sequence numbers never collide.
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    locked.last_seq += 1
    now = timezone.now()
    message = Message(
        id=uuid.uuid4(),
        conversation=locked,
        seq=locked.last_seq,
        sender=sender,
        sender_role=role,
        kind=kind,
        client_id=client_id,
        shared_type=shared_type,
        shared_id=shared_id,
        created_at=now,
    )
    message.body_encrypted = crypto.encrypt(data_key(locked), body, str(message.id))
    message.save()
    locked.last_message_at = now
    if role == SenderRole.YOUNG_PERSON:
        locked.young_person_read_seq = locked.last_seq
    elif role == SenderRole.COUNSELOR:
        locked.counselor_read_seq = locked.last_seq
    locked.save(
        update_fields=[
            "last_seq",
            "last_message_at",
            "young_person_read_seq",
            "counselor_read_seq",
        ]
    )
    # The caller's copy reflects the write (sequence, time and the sender's own read marker).
    conversation.last_seq = locked.last_seq
    conversation.last_message_at = locked.last_message_at
    conversation.young_person_read_seq = locked.young_person_read_seq
    conversation.counselor_read_seq = locked.counselor_read_seq
    _tell(locked, "message.created", seq=message.seq, message_id=str(message.pk))
    return message


def send_message(
    actor: User,
    conversation: Conversation,
    body: str,
    *,
    client_id=None,
    shared_type: str = "",
    shared_id=None,
    upload: CheckedUpload | None = None,
    attachment: Attachment | None = None,
) -> tuple[Message, bool]:
    """Returns (message, created). A retried send with the same client id returns the first.

    `upload` (from attachments.check_upload) stores an encrypted copy in this conversation;
    `attachment` is one uploaded beforehand through the API. The body may then be empty."""
    role = party(actor, conversation)
    if client_id is not None:
        existing = Message.objects.filter(sender=actor, client_id=client_id).first()
        if existing is not None:
            return existing, False
    if shared_type and shared_type not in SharedType.values:
        raise _err("invalid_shared_type", "Cet élément ne peut pas être partagé.", "shared_type")
    if shared_type and not shared.resolve_one(actor, shared_type, shared_id, role).available:
        raise _err("shared_unavailable", shared.UNAVAILABLE + ".", "shared_id")
    has_file = upload is not None or attachment is not None
    body = _clean_body(body, required=not (shared_type or has_file))
    kind = MessageKind.SHARED if shared_type else MessageKind.TEXT
    if has_file:
        kind = MessageKind.ATTACHMENT
    stored = None
    try:
        with transaction.atomic():
            message = _append(
                conversation,
                sender=actor,
                role=role,
                body=body,
                kind=kind,
                client_id=client_id,
                shared_type=shared_type,
                shared_id=shared_id,
            )
            if upload is not None:
                stored = attachments.store(conversation, actor, upload, message=message)
            elif attachment is not None:
                _attach(actor, conversation, attachment, message)
    except Exception as exc:
        if stored is not None:
            attachments.storage().delete(stored.storage_key)
        if not isinstance(exc, IntegrityError) or client_id is None:
            raise
        if client_id is None:
            raise
        # A concurrent retry with the same client id won the race.
        return Message.objects.get(sender=actor, client_id=client_id), False
    return message, True


def _attach(actor: User, conversation: Conversation, attachment: Attachment, message) -> None:
    updated = Attachment.objects.filter(
        pk=attachment.pk, conversation=conversation, uploader=actor, message__isnull=True
    ).update(message=message)
    if not updated:
        raise _err(
            "attachment_unavailable",
            "Cette pièce jointe n'existe pas ou a déjà été envoyée.",
            "attachment_id",
        )
    attachment.message = message


def post_system_message(conversation: Conversation, text: str) -> Message:
    return _append(conversation, sender=None, role=SenderRole.SYSTEM, body=text, kind="system")


def _own(actor: User, message: Message) -> None:
    # Lock the row and re-read it: concurrent edits or deletes keep every version, and an edit
    # never lands on a message deleted meanwhile.
    locked = Message.objects.select_for_update().get(pk=message.pk)
    message.body_encrypted, message.edited_at, message.deleted_at = (
        locked.body_encrypted,
        locked.edited_at,
        locked.deleted_at,
    )
    if message.sender_id != actor.pk or message.sender_role == SenderRole.SYSTEM:
        raise _err("not_allowed", "Vous ne pouvez modifier que vos propres messages.", status=403)
    if message.deleted_at is not None:
        raise _err("message_deleted", "Ce message a été supprimé.", status=409)


@transaction.atomic
def edit_message(actor: User, message: Message, body: str) -> Message:
    _own(actor, message)
    body = _clean_body(body)
    MessageVersion.objects.create(message=message, body_encrypted=message.body_encrypted)
    key = data_key(message.conversation)
    message.body_encrypted = crypto.encrypt(key, body, str(message.pk))
    message.edited_at = timezone.now()
    message.save(update_fields=["body_encrypted", "edited_at"])
    _tell(message.conversation, "message.updated", seq=message.seq, message_id=str(message.pk))
    return message


@transaction.atomic
def delete_message(actor: User, message: Message) -> Message:
    _own(actor, message)
    MessageVersion.objects.create(message=message, body_encrypted=message.body_encrypted)
    message.body_encrypted = b""
    message.deleted_at = timezone.now()
    message.save(update_fields=["body_encrypted", "deleted_at"])
    _tell(message.conversation, "message.deleted", seq=message.seq, message_id=str(message.pk))
    return message


@transaction.atomic
def mark_read(actor: User, conversation: Conversation, seq: int | None = None) -> Conversation:
    role = party(actor, conversation)
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    upto = locked.last_seq if seq is None else max(0, min(int(seq), locked.last_seq))
    field = "young_person_read_seq" if role == SenderRole.YOUNG_PERSON else "counselor_read_seq"
    if upto > getattr(locked, field):
        setattr(locked, field, upto)
        locked.save(update_fields=[field])
        _tell(locked, "conversation.read", reader=role, seq=upto)
    return locked


def unread_count(conversation: Conversation, role: str) -> int:
    read = (
        conversation.young_person_read_seq
        if role == SenderRole.YOUNG_PERSON
        else conversation.counselor_read_seq
    )
    return max(0, conversation.last_seq - read)


@transaction.atomic
def set_flag(actor: User, conversation: Conversation, flagged: bool) -> Conversation:
    if party(actor, conversation) != SenderRole.COUNSELOR:
        raise _err("not_allowed", "Réservé au conseiller.", status=403)
    conversation.flagged = bool(flagged)
    conversation.save(update_fields=["flagged"])
    return conversation


def rotate_master_key() -> int:
    """Rewrap every conversation key with the current master key (after adding a new one first
    in CHAT_MASTER_KEYS). Message bodies do not change."""
    current = crypto.current_key_id()
    count = 0
    for conversation in Conversation.objects.exclude(wrapped_key__startswith=f"{current}:"):
        with transaction.atomic():
            locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
            locked.wrapped_key = crypto.wrap(crypto.unwrap(locked.wrapped_key))
            locked.save(update_fields=["wrapped_key"])
            count += 1
    return count
