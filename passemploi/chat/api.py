"""The messaging API: thin operations over chat.services, fetching through chat.access.

A conversation is private to the young person and their current counselor: any other caller,
like a missing id, gets 404. Messages are listed by sequence number after the last one the
client saw (`after_seq`), which is how a client catches up after a dropped socket.
"""

import uuid

from django.db.models import F
from ninja import Query, Router, Status

from passemploi.accounts.access import portfolio_of, young_person_of
from passemploi.accounts.schemas import ErrorOut
from passemploi.chat import services
from passemploi.chat import shared as shared_cards
from passemploi.chat.access import (
    conversations_visible_to,
    get_conversation_for_user,
    get_message_for_user,
)
from passemploi.chat.enums import SenderRole
from passemploi.chat.models import Attachment, Conversation, Message
from passemploi.chat.schemas import (
    ConversationOut,
    ConversationPage,
    ConversationQuery,
    FlagIn,
    MessageIn,
    MessageOut,
    MessagePage,
    MessagePatchIn,
    MessageQuery,
    ReadIn,
)
from passemploi.core.api_support import caller, counselor_caller, local_time
from passemploi.core.errors import ServiceError
from passemploi.core.throttles import per_user

router = Router(tags=["Messagerie"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, **ERRORS}
CONVERSATION = "/conversations/{uuid:conversation_id}"
MESSAGE = "/messages/{uuid:message_id}"


# --- serialization -------------------------------------------------------------------------------


def _role(user) -> str:
    """The caller's side of a conversation they may open."""
    return SenderRole.YOUNG_PERSON if young_person_of(user) is not None else SenderRole.COUNSELOR


def _person(user) -> dict:
    return {"id": user.pk, "first_name": user.first_name, "last_name": user.last_name}


def conversation_out(user, conversation: Conversation) -> dict:
    young_person = conversation.young_person
    last = conversation.last_message_at
    return {
        "id": conversation.pk,
        "young_person": _person(young_person.user),
        "counselor": _person(young_person.counselor.user),
        "last_seq": conversation.last_seq,
        "last_message_at": local_time(last, young_person) if last else None,
        "unread_count": services.unread_count(conversation, _role(user)),
        "young_person_read_seq": conversation.young_person_read_seq,
        "counselor_read_seq": conversation.counselor_read_seq,
        "flagged": conversation.flagged,
    }


class _Serializer:
    """Serializes messages of one conversation for one caller (one data key unwrap)."""

    def __init__(self, user, conversation: Conversation):
        self.conversation = conversation
        self.key = services.data_key(conversation)
        # "Lu" means read by the recipient: the other party of the sender (the caller themself
        # for a system message).
        self.read_seq = {
            SenderRole.YOUNG_PERSON: conversation.counselor_read_seq,
            SenderRole.COUNSELOR: conversation.young_person_read_seq,
        }
        self.read_seq[SenderRole.SYSTEM] = (
            conversation.young_person_read_seq
            if _role(user) == SenderRole.YOUNG_PERSON
            else conversation.counselor_read_seq
        )

        self.user = user
        self.cards = {}

    def prepare(self, messages) -> list:
        """Resolve the shared-item cards of a page of messages at once."""
        messages = list(messages)
        self.cards = shared_cards.resolve(self.user, messages, _role(self.user))
        return messages

    def __call__(self, message: Message) -> dict:
        shared = None
        if message.shared_type:
            card = self.cards.get(message.pk) or shared_cards.resolve(
                self.user, [message], _role(self.user)
            ).get(message.pk)
            shared = {"type": message.shared_type, "id": message.shared_id}
            if card is not None:
                shared |= {"available": card.available, "title": card.title, "detail": card.detail}
        attachment = getattr(message, "attachment", None)
        sender = message.sender
        return {
            "id": message.pk,
            "seq": message.seq,
            "kind": message.kind,
            "sender_role": message.sender_role,
            "sender_name": sender.get_full_name() if sender is not None else "",
            "body": services.body_of(message, self.key),
            "edited": message.edited_at is not None,
            "deleted": message.deleted_at is not None,
            "created_at": local_time(message.created_at, self.conversation.young_person),
            "shared": shared,
            "attachment": attachment_out(attachment) if attachment else None,
            "read": message.seq <= self.read_seq.get(message.sender_role, 0),
        }


def attachment_out(attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "filename": attachment.filename,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "state": "expired" if attachment.is_expired else attachment.state,
        "expires_at": attachment.expires_at,
    }


def message_out(user, message: Message) -> dict:
    conversation = get_conversation_for_user(user, message.conversation_id)
    return _Serializer(user, conversation)(message)


# --- conversations -------------------------------------------------------------------------------


def _ensure_conversations(user) -> None:
    """Conversations are created on first need: the young person's own, and the counselor's
    portfolio's (so a counselor can write first)."""
    young_person = young_person_of(user)
    if young_person is not None:
        services.conversation_of(young_person)
        return
    counselor = user.counselor
    for young_person in portfolio_of(counselor).filter(conversation__isnull=True):
        services.conversation_of(young_person)


@router.get(
    "/conversations",
    response={200: ConversationPage, **ERRORS},
    summary="Lister les conversations",
    description=(
        "Un jeune : sa conversation avec son conseiller (créée au premier appel). Un conseiller : "
        "celles de son portefeuille, la plus récemment active d'abord, avec le nombre de "
        "messages non lus et le drapeau « à suivre »."
    ),
)
def list_conversations(request, filters: Query[ConversationQuery]):
    user = caller(request)
    _ensure_conversations(user)
    conversations = conversations_visible_to(user).select_related(
        "young_person__user", "young_person__counselor__user", "young_person__structure"
    )
    if filters.flagged is not None:
        conversations = conversations.filter(flagged=filters.flagged)
    conversations = conversations.order_by(
        F("last_message_at").desc(nulls_last=True), "-created_at", "id"
    )
    limit, offset = filters.limit, filters.offset
    count = conversations.count()
    items = [conversation_out(user, c) for c in conversations[offset : offset + limit]]
    following = None
    if offset + limit < count:
        query = request.GET.copy()
        query["limit"], query["offset"] = str(limit), str(offset + limit)
        following = f"{request.path}?{query.urlencode()}"
    return {"items": items, "count": count, "next": following}


@router.get(
    CONVERSATION,
    response={200: ConversationOut, **ERRORS},
    summary="Consulter une conversation",
    description="Une conversation de l'appelant, avec ses marqueurs de lecture.",
)
def get_conversation(request, conversation_id: uuid.UUID):
    user = caller(request)
    return conversation_out(user, get_conversation_for_user(user, conversation_id))


@router.get(
    CONVERSATION + "/messages",
    response={200: MessagePage, **ERRORS},
    summary="Lister les messages",
    description=(
        "Les messages dont le numéro suit `after_seq`, dans l'ordre. Après une reconnexion, le "
        "client demande tout ce qui suit le dernier numéro reçu : aucun message n'est perdu."
    ),
)
def list_messages(request, conversation_id: uuid.UUID, filters: Query[MessageQuery]):
    user = caller(request)
    conversation = get_conversation_for_user(user, conversation_id)
    messages = (
        Message.objects.filter(conversation=conversation, seq__gt=filters.after_seq)
        .select_related("sender", "attachment")
        .order_by("seq")
    )
    count = messages.count()
    serialize = _Serializer(user, conversation)
    items = [serialize(message) for message in serialize.prepare(messages[: filters.limit])]
    following = None
    if count > len(items):
        query = request.GET.copy()
        query["after_seq"] = str(items[-1]["seq"])
        query["limit"] = str(filters.limit)
        following = f"{request.path}?{query.urlencode()}"
    return {"items": items, "count": count, "next": following, "last_seq": conversation.last_seq}


@router.post(
    CONVERSATION + "/messages",
    response={200: MessageOut, 201: MessageOut, 429: ErrorOut, **WRITE_ERRORS},
    throttle=per_user("API_RATE_MESSAGES"),
    summary="Envoyer un message",
    description=(
        "Enregistre le message avant de répondre, puis prévient l'autre partie en temps réel. "
        "Renvoie 201, ou 200 avec le premier message si `client_id` a déjà servi."
    ),
)
def send_message(request, conversation_id: uuid.UUID, payload: MessageIn):
    user = caller(request)
    conversation = get_conversation_for_user(user, conversation_id)
    attachment = None
    if payload.attachment_id is not None:
        attachment = Attachment.objects.filter(
            pk=payload.attachment_id, conversation=conversation
        ).first()
        if attachment is None:
            raise ServiceError(
                "attachment_unavailable",
                "Cette pièce jointe n'existe pas ou a déjà été envoyée.",
                "attachment_id",
            )
    message, created = services.send_message(
        user,
        conversation,
        payload.body,
        client_id=payload.client_id,
        shared_type=payload.shared_type,
        shared_id=payload.shared_id,
        attachment=attachment,
    )
    return Status(201 if created else 200, message_out(user, message))


@router.post(
    CONVERSATION + "/read",
    response={200: ConversationOut, **WRITE_ERRORS},
    summary="Marquer comme lu",
    description=(
        "Marque la conversation lue jusqu'au message `seq` (par défaut le dernier) ; l'autre "
        "partie voit l'accusé de lecture."
    ),
)
def mark_read(request, conversation_id: uuid.UUID, payload: ReadIn):
    user = caller(request)
    conversation = get_conversation_for_user(user, conversation_id)
    services.mark_read(user, conversation, payload.seq)
    return conversation_out(user, get_conversation_for_user(user, conversation_id))


@router.post(
    CONVERSATION + "/flag",
    response={200: ConversationOut, **WRITE_ERRORS},
    summary="Marquer « à suivre »",
    description="Le conseiller pose ou retire le drapeau « à suivre » d'une conversation.",
)
def flag_conversation(request, conversation_id: uuid.UUID, payload: FlagIn):
    user = counselor_caller(request)
    conversation = get_conversation_for_user(user, conversation_id)
    return conversation_out(user, services.set_flag(user, conversation, payload.flagged))


# --- messages ------------------------------------------------------------------------------------


@router.patch(
    MESSAGE,
    response={200: MessageOut, **WRITE_ERRORS},
    summary="Modifier un message",
    description=(
        "Modifie l'un de ses propres messages (403 sinon) ; la version précédente est conservée "
        "et le message s'affiche « modifié »."
    ),
)
def edit_message(request, message_id: uuid.UUID, payload: MessagePatchIn):
    user = caller(request)
    message = get_message_for_user(user, message_id)
    return message_out(user, services.edit_message(user, message, payload.body))


@router.delete(
    MESSAGE,
    response={204: None, 409: ErrorOut, **ERRORS},
    summary="Supprimer un message",
    description=(
        "Supprime l'un de ses propres messages (403 sinon) : il reste dans la conversation, "
        "vide, marqué « supprimé »."
    ),
)
def delete_message(request, message_id: uuid.UUID):
    user = caller(request)
    services.delete_message(user, get_message_for_user(user, message_id))
    return Status(204, None)
