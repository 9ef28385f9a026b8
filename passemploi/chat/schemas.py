"""Request and response schemas of the messaging API (conversations and messages).

Bodies are validated by the services, so an empty or oversized message answers a stable code
(`message_empty`, `message_too_long`) rather than a generic validation error.
"""

import datetime
import uuid

from ninja import Field, Schema
from pydantic import ConfigDict

from passemploi.chat.enums import MessageKind, SenderRole, SharedType
from passemploi.chat.services import MAX_LENGTH
from passemploi.core.schemas import MAX_OFFSET

MAX_PAGE = 100
DEFAULT_PAGE = 50
MAX_MESSAGES = 200
DEFAULT_MESSAGES = 100

MESSAGE_EXAMPLE = {
    "id": "5d3c1b2a-9e8f-4a7b-8c6d-1e2f3a4b5c6d",
    "seq": 42,
    "kind": "text",
    "sender_role": "young_person",
    "sender_name": "Kenji Martin",
    "body": "Bonjour, j'ai envoyé ma candidature ce matin.",
    "edited": False,
    "deleted": False,
    "created_at": "2026-03-29T09:30:00+02:00",
    "shared": None,
    "attachment": None,
    "read": True,
}

ATTACHMENT_EXAMPLE = {
    "id": "3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
    "filename": "cv-kenji-martin.pdf",
    "size": 182044,
    "content_type": "application/pdf",
    "state": "clean",
    "expires_at": "2026-07-29T09:30:00+02:00",
}

PERSON_EXAMPLE = {
    "id": "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6",
    "first_name": "Kenji",
    "last_name": "Martin",
}

CONVERSATION_EXAMPLE = {
    "id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
    "young_person": PERSON_EXAMPLE,
    "counselor": {
        "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "first_name": "Nils",
        "last_name": "Tavernier",
    },
    "last_seq": 42,
    "last_message_at": "2026-03-29T09:30:00+02:00",
    "unread_count": 2,
    "young_person_read_seq": 42,
    "counselor_read_seq": 40,
    "flagged": False,
}


def _example(example):
    return ConfigDict(json_schema_extra={"examples": [example]})


class ConversationPartyOut(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str


class ConversationOut(Schema):
    model_config = _example(CONVERSATION_EXAMPLE)

    id: uuid.UUID
    young_person: ConversationPartyOut
    counselor: ConversationPartyOut
    last_seq: int = Field(..., description="Numéro du dernier message de la conversation")
    last_message_at: datetime.datetime | None
    unread_count: int = Field(..., description="Messages non lus par l'appelant")
    young_person_read_seq: int = Field(..., description="Dernier message lu par le jeune")
    counselor_read_seq: int = Field(..., description="Dernier message lu par le conseiller")
    flagged: bool = Field(..., description="« À suivre » (conseiller)")


class ConversationPage(Schema):
    items: list[ConversationOut]
    count: int
    next: str | None = Field(None, description="Page suivante, absente à la fin")


class SharedOut(Schema):
    type: str = Field(..., json_schema_extra={"enum": list(SharedType.values)})
    id: uuid.UUID | None
    available: bool = Field(True, description="Faux si l'élément n'existe plus ou est caché")
    title: str = Field("", description="« Cet élément n'est plus disponible » sinon")
    detail: str = Field("", description="Une ligne de détail (statut, date)")


class AttachmentOut(Schema):
    model_config = _example(ATTACHMENT_EXAMPLE)

    id: uuid.UUID
    filename: str = Field(..., description="Nom nettoyé, extension conforme au contenu")
    size: int = Field(..., description="Taille en octets (5 Mo au plus)")
    content_type: str = Field(
        ...,
        json_schema_extra={"enum": ["application/pdf", "image/png", "image/jpeg", "image/webp"]},
    )
    state: str = Field(
        ...,
        description="Seul un fichier `clean` se télécharge (GET /attachments/{id}/content)",
        json_schema_extra={"enum": ["pending", "clean", "infected", "expired"]},
    )
    expires_at: datetime.datetime = Field(..., description="Fichier supprimé à cette date")


class MessageOut(Schema):
    model_config = _example(MESSAGE_EXAMPLE)

    id: uuid.UUID
    seq: int = Field(..., description="Numéro d'ordre dans la conversation, sans trou")
    kind: str = Field(
        ...,
        description="Un type inconnu s'affiche « Ce message n'est pas disponible »",
        json_schema_extra={"enum": list(MessageKind.values)},
    )
    sender_role: str = Field(..., json_schema_extra={"enum": list(SenderRole.values)})
    sender_name: str
    body: str = Field(..., description="Texte du message, vide une fois supprimé")
    edited: bool
    deleted: bool
    created_at: datetime.datetime
    shared: SharedOut | None = Field(None, description="L'élément partagé, s'il y en a un")
    attachment: AttachmentOut | None = Field(None, description="La pièce jointe, s'il y en a une")
    read: bool = Field(..., description="Lu par son destinataire (l'autre partie que l'expéditeur)")


class MessagePage(Schema):
    model_config = _example({"items": [MESSAGE_EXAMPLE], "count": 1, "next": None, "last_seq": 42})

    items: list[MessageOut]
    count: int = Field(..., description="Messages après `after_seq`")
    next: str | None = Field(None, description="La suite, absente à la fin")
    last_seq: int = Field(..., description="Numéro du dernier message de la conversation")


class ConversationQuery(Schema):
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"{MAX_PAGE} au plus")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    flagged: bool | None = Field(None, description="Seulement les conversations « à suivre »")


class MessageQuery(Schema):
    after_seq: int = Field(
        0, ge=0, description="Dernier numéro déjà reçu : renvoie les messages suivants"
    )
    limit: int = Field(
        DEFAULT_MESSAGES, ge=1, le=MAX_MESSAGES, description=f"{MAX_MESSAGES} au plus"
    )


class MessageIn(Schema):
    model_config = _example(
        {"body": "Bonjour !", "client_id": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"}
    )

    body: str = Field(
        "", description=f"{MAX_LENGTH} caractères au plus ; vide permis avec une pièce jointe"
    )
    client_id: uuid.UUID | None = Field(
        None, description="Identifiant choisi par le client : un nouvel envoi renvoie le premier"
    )
    attachment_id: uuid.UUID | None = Field(
        None,
        description="Une pièce jointe déposée par POST /conversations/{id}/attachments, "
        "pas encore envoyée",
    )
    shared_type: str = Field(
        "",
        description="Partager un élément (action, rendez-vous, session, offre)",
        json_schema_extra={"enum": ["", *SharedType.values]},
    )
    shared_id: uuid.UUID | None = Field(None, description="L'élément partagé")


class MessagePatchIn(Schema):
    model_config = _example({"body": "Bonjour, c'est corrigé."})

    body: str = Field(..., description=f"{MAX_LENGTH} caractères au plus")


class ReadIn(Schema):
    model_config = _example({"seq": 42})

    seq: int | None = Field(
        None, ge=0, description="Lu jusqu'à ce numéro ; absent : jusqu'au dernier message"
    )


class FlagIn(Schema):
    model_config = _example({"flagged": True})

    flagged: bool
