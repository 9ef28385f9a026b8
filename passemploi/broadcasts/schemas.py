"""Request and response schemas of the broadcast lists, group messages and pinned notice API.

Texts are validated by the services, so an empty or oversized one answers a stable code
(`message_empty`, `name_too_long`...) rather than a generic validation error."""

import datetime
import uuid

from ninja import Field, Schema
from pydantic import ConfigDict

from passemploi.core.schemas import (
    IsoDate,
    PageQuery,  # noqa: F401 (re-exported)
)

YOUNG_PERSON_ID = "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"
LIST_ID = "3f2e1d0c-9b8a-4765-8432-10fedcba9876"

LIST_EXAMPLE = {
    "id": LIST_ID,
    "name": "Atelier CV du jeudi",
    "member_count": 1,
    "members": [{"id": YOUNG_PERSON_ID, "first_name": "Kenji", "last_name": "Martin"}],
    "created_at": "2026-03-29T09:30:00+02:00",
    "updated_at": "2026-03-29T09:30:00+02:00",
}
GROUP_EXAMPLE = {
    "id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    "client_id": "6f5e4d3c-2b1a-4098-8765-43210fedcba9",
    "recipient_count": 1,
    "recipients": [
        {"young_person_id": YOUNG_PERSON_ID, "message_id": "5d3c1b2a-9e8f-4a7b-8c6d-1e2f3a4b5c6d"}
    ],
    "created_at": "2026-03-29T09:30:00+02:00",
}
NOTICE_EXAMPLE = {
    "text": "Je suis absent du 6 au 10 avril : écrivez à l'accueil en cas d'urgence.",
    "starts_on": "2026-04-06",
    "ends_on": "2026-04-10",
    "active": True,
    "counselor_name": "Nils Tavernier",
}


def _example(example):
    return ConfigDict(json_schema_extra={"examples": [example]})


class MemberOut(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str


class BroadcastListOut(Schema):
    model_config = _example(LIST_EXAMPLE)

    id: uuid.UUID
    name: str
    member_count: int = Field(..., description="Membres encore dans le portefeuille")
    members: list[MemberOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class BroadcastListPage(Schema):
    items: list[BroadcastListOut]
    count: int
    next: str | None


class BroadcastListIn(Schema):
    model_config = _example({"name": "Atelier CV du jeudi", "young_person_ids": [YOUNG_PERSON_ID]})

    name: str = Field(..., description="Unique parmi vos listes, 100 caractères au plus")
    young_person_ids: list[uuid.UUID] = Field(
        default_factory=list, description="Bénéficiaires de votre portefeuille"
    )


class BroadcastListPatchIn(Schema):
    model_config = _example({"name": "Atelier CV du vendredi"})

    name: str | None = None


class MembersIn(Schema):
    model_config = _example({"young_person_ids": [YOUNG_PERSON_ID]})

    young_person_ids: list[uuid.UUID] = Field(
        ..., description="Les membres de la liste (remplace les précédents)"
    )


class GroupMessageIn(Schema):
    model_config = _example(
        {
            "client_id": GROUP_EXAMPLE["client_id"],
            "young_person_ids": [YOUNG_PERSON_ID],
            "list_ids": [LIST_ID],
            "body": "Rappel : atelier CV jeudi à 14 h.",
        }
    )

    client_id: uuid.UUID = Field(
        ..., description="Choisi par le client : un nouvel essai avec le même ne renvoie rien"
    )
    young_person_ids: list[uuid.UUID] = Field(default_factory=list)
    list_ids: list[uuid.UUID] = Field(default_factory=list)
    body: str = Field("", description="10 000 caractères au plus ; facultatif avec un fichier")
    attachment_id: uuid.UUID | None = Field(
        None,
        description=(
            "Un fichier déposé auparavant par `POST /conversations/{id}/attachments` dans l'une "
            "de vos conversations et pas encore envoyé : chaque destinataire en reçoit une copie"
        ),
    )


class RecipientOut(Schema):
    young_person_id: uuid.UUID
    message_id: uuid.UUID | None = Field(..., description="Le message dans sa conversation")


class GroupMessageOut(Schema):
    model_config = _example(GROUP_EXAMPLE)

    id: uuid.UUID
    client_id: uuid.UUID
    recipient_count: int
    recipients: list[RecipientOut]
    created_at: datetime.datetime


class NoticeIn(Schema):
    model_config = _example({k: NOTICE_EXAMPLE[k] for k in ("text", "starts_on", "ends_on")})

    text: str = Field(..., description="1 000 caractères au plus")
    starts_on: IsoDate
    ends_on: IsoDate = Field(..., description="Égale ou postérieure au début")


class NoticeOut(Schema):
    model_config = _example(NOTICE_EXAMPLE)

    text: str
    starts_on: datetime.date
    ends_on: datetime.date
    active: bool = Field(..., description="Affiché aujourd'hui (fuseau de la structure)")
    counselor_name: str


class NoticeEnvelope(Schema):
    model_config = _example({"notice": NOTICE_EXAMPLE})

    notice: NoticeOut | None = Field(
        ...,
        description=(
            "Jeune : le message important actif de son conseiller, sinon null. Conseiller : "
            "le sien, actif ou non, sinon null."
        ),
    )
