import uuid
from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from passemploi.core.schemas import MAX_OFFSET
from passemploi.notifications.enums import Kind

DEFAULT_PAGE = 20
MAX_PAGE = 100

NOTIFICATION_EXAMPLE = {
    "id": "0b7c3f6e-8f4a-4c1e-9d2b-5a6e7f8a9b0c",
    "kind": "message",
    "kind_label": "Nouveau message",
    "title": "Nouveau message",
    "body": "Nouveau message de votre conseiller",
    "link": "/app/messages/",
    "read": False,
    "read_at": None,
    "created_at": "2026-03-29T09:30:00+02:00",
}


class NotificationOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [NOTIFICATION_EXAMPLE]})

    id: uuid.UUID
    kind: str = Field(..., json_schema_extra={"enum": list(Kind.values)})
    kind_label: str
    title: str
    body: str
    link: str = Field(..., description="Chemin de l'objet concerné dans l'application")
    read: bool
    read_at: datetime | None
    created_at: datetime


class NotificationPage(Schema):
    items: list[NotificationOut]
    count: int
    unread_count: int
    next: str | None = Field(None, description="Page suivante, absente à la fin")


class NotificationQuery(Schema):
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"{MAX_PAGE} au plus")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    unread: bool | None = Field(None, description="Seulement les notifications non lues")


class ReadAllOut(Schema):
    updated: int = Field(..., description="Nombre de notifications marquées lues")


class PreferenceOut(Schema):
    name: str = Field(..., description="Nom de l'interrupteur, à envoyer dans PATCH")
    label: str
    enabled: bool


class PreferencesOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "name": "messages",
                            "label": "Nouveaux messages",
                            "enabled": True,
                        }
                    ]
                }
            ]
        }
    )

    items: list[PreferenceOut]


class PreferencesIn(Schema):
    """Only the switches to change: {"messages": false}. Names from GET; any other name is
    refused (422 `unknown_preference`)."""

    model_config = ConfigDict(
        extra="allow", json_schema_extra={"examples": [{"messages": False, "news": True}]}
    )

    offers: bool | None = None
    actions: bool | None = None
    appointments: bool | None = None
    weekly: bool | None = None
    news: bool | None = None
    messages: bool | None = None
    digest: bool | None = Field(None, description="Conseillers : l'e-mail récapitulatif")
