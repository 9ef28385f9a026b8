"""Request and response schemas of the actions API (démarches, qualification, hour counter).

Titles, categories and statuses are validated by the services, so a bad value answers a stable
code (`title_required`, `invalid_category`...) rather than a generic validation error; the
schemas still publish the allowed values for the clients.
"""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from passemploi.actions.enums import ActionCategory, ActionStatus, QualificationCode
from passemploi.actions.models import TITLE_MAX
from passemploi.actions.services import COMMENT_MAX, QUALIFICATION_COMMENT_MAX
from passemploi.core.schemas import (
    IsoDate,
    PageQuery,  # noqa: F401 (re-exported)
)

MAX_BULK = 100
MAX_DATES = 14

CATEGORY_ENUM = {"enum": list(ActionCategory.values)}
STATUS_ENUM = {"enum": list(ActionStatus.values)}
CODE_ENUM = {"enum": list(QualificationCode.values)}

ACTION_EXAMPLE = {
    "id": "4b0f6c2e-8d7a-4f0e-9a51-3c2d1e0f9a8b",
    "young_person_id": "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6",
    "title": "Envoyer une candidature",
    "description": "Candidature chez Boulangerie Martin, poste de vendeur",
    "category": "EMPLOI",
    "category_label": "Emploi",
    "status": "done",
    "status_label": "Terminée",
    "due_date": "2026-03-27",
    "start_date": "2026-03-27",
    "end_date": "2026-03-27",
    "late": False,
    "reminder": True,
    "creator_role": "young_person",
    "creator_role_label": "Bénéficiaire",
    "created_at": "2026-03-26T18:02:11+01:00",
    "updated_at": "2026-03-29T09:30:00+02:00",
    "qualification": {
        "code": "EMPLOI",
        "code_label": "Emploi",
        "hours": 3.0,
        "comment": "Envoyer une candidature - Candidature chez Boulangerie Martin",
        "qualified_at": "2026-03-30T10:15:00+02:00",
    },
    "can_edit": False,
}


def _example(example):
    return ConfigDict(json_schema_extra={"examples": [example]})


# --- actions -------------------------------------------------------------------------------------


class QualificationOut(Schema):
    code: str = Field(..., examples=["EMPLOI"], json_schema_extra=CODE_ENUM)
    code_label: str = Field(..., examples=["Emploi"])
    hours: float = Field(..., description="Heures validées", examples=[3.0])
    comment: str
    qualified_at: datetime.datetime


class ActionOut(Schema):
    model_config = _example(ACTION_EXAMPLE)

    id: uuid.UUID
    young_person_id: uuid.UUID
    title: str
    description: str
    category: str = Field(..., json_schema_extra=CATEGORY_ENUM)
    category_label: str = Field(..., examples=["Emploi"])
    status: str = Field(..., json_schema_extra=STATUS_ENUM)
    status_label: str = Field(..., examples=["Terminée"])
    due_date: datetime.date = Field(..., description="Échéance (date locale du jeune)")
    start_date: datetime.date | None
    end_date: datetime.date | None = Field(..., description="Date de fin réelle")
    late: bool = Field(..., description="Échéance passée sans être terminée ni annulée")
    reminder: bool
    creator_role: str = Field(..., examples=["young_person"])
    creator_role_label: str = Field(..., examples=["Bénéficiaire"])
    created_at: datetime.datetime
    updated_at: datetime.datetime
    qualification: QualificationOut | None = Field(
        ..., description="Renseignée une fois l'action qualifiée par un conseiller"
    )
    can_edit: bool = Field(
        ..., description="L'utilisateur connecté peut modifier, supprimer cette action"
    )


class ActionPage(Schema):
    model_config = _example(
        {"items": [ACTION_EXAMPLE], "count": 73, "next": "/api/v1/actions?limit=50&offset=50"}
    )

    items: list[ActionOut]
    count: int
    next: str | None = Field(..., description="Adresse de la page suivante, null à la fin")


class ActionListOut(Schema):
    model_config = _example({"items": [ACTION_EXAMPLE]})

    items: list[ActionOut]


class ActionIn(Schema):
    model_config = _example(
        {
            "title": "Envoyer une candidature",
            "description": "Candidature chez Boulangerie Martin",
            "category": "EMPLOI",
            "status": "done",
            "due_date": "2026-03-27",
            "client_id": "9c4e1f0a-7b3d-4c2e-8f1a-0b9d8c7e6f5a",
        }
    )

    title: str = Field(..., description=f"Obligatoire, {TITLE_MAX} caractères au plus")
    description: str = ""
    category: str = Field(..., json_schema_extra=CATEGORY_ENUM)
    status: str = Field(ActionStatus.NOT_STARTED.value, json_schema_extra=STATUS_ENUM)
    due_date: IsoDate = Field(..., description="À moins de deux ans d'aujourd'hui")
    reminder: bool = True
    young_person_id: uuid.UUID | None = Field(
        None, description="Obligatoire pour un conseiller ; un jeune crée pour lui-même"
    )
    client_id: uuid.UUID | None = Field(
        None,
        description="Identifiant généré par le client : un nouvel envoi avec le même "
        "identifiant renvoie l'action déjà créée (200) au lieu d'en créer une autre",
    )


class ActionBatchIn(Schema):
    model_config = _example(
        {
            "title": "Faire du sport",
            "category": "CULTURE_SPORT_LOISIRS",
            "status": "done",
            "dates": ["2026-03-23", "2026-03-25", "2026-03-27"],
            "client_id": "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
        }
    )

    title: str = Field(..., description=f"Obligatoire, {TITLE_MAX} caractères au plus")
    description: str = ""
    category: str = Field(..., json_schema_extra=CATEGORY_ENUM)
    status: str = Field(ActionStatus.NOT_STARTED.value, json_schema_extra=STATUS_ENUM)
    dates: list[IsoDate] = Field(..., description=f"Une action par date, {MAX_DATES} dates au plus")
    reminder: bool = True
    young_person_id: uuid.UUID | None = None
    client_id: uuid.UUID | None = Field(
        None, description="Un nouvel envoi avec le même identifiant renvoie les mêmes actions"
    )


class ActionForManyIn(Schema):
    model_config = _example(
        {
            "young_person_ids": [
                "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6",
                "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d",
            ],
            "title": "Mettre à jour son CV",
            "category": "EMPLOI",
            "due_date": "2026-04-03",
            "client_id": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
        }
    )

    young_person_ids: list[uuid.UUID] = Field(
        ..., description="Bénéficiaires suivis par le conseiller (au moins un)"
    )
    title: str = Field(..., description=f"Obligatoire, {TITLE_MAX} caractères au plus")
    description: str = ""
    category: str = Field(..., json_schema_extra=CATEGORY_ENUM)
    status: str = Field(ActionStatus.NOT_STARTED.value, json_schema_extra=STATUS_ENUM)
    due_date: IsoDate
    reminder: bool = True
    client_id: uuid.UUID | None = Field(
        None, description="Un nouvel envoi avec le même identifiant renvoie les mêmes actions"
    )


class HourCounterSettingIn(Schema):
    model_config = _example({"enabled": True})

    enabled: bool = Field(..., description="Montrer le compteur d'heures au jeune")


class HourCounterSettingOut(Schema):
    model_config = _example(
        {"young_person_id": "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6", "enabled": True}
    )

    young_person_id: uuid.UUID
    enabled: bool


class ActionPatchIn(Schema):
    """Seuls les champs envoyés changent ; null efface la date de début."""

    model_config = _example({"title": "Envoyer deux candidatures", "due_date": "2026-04-02"})

    title: str = Field(None, description=f"{TITLE_MAX} caractères au plus")
    description: str = None
    category: str = Field(None, json_schema_extra=CATEGORY_ENUM)
    due_date: IsoDate = None
    start_date: IsoDate | None = None
    reminder: bool = None


class StatusIn(Schema):
    model_config = _example({"status": "done"})

    status: str = Field(..., json_schema_extra=STATUS_ENUM)


# --- comments and history ------------------------------------------------------------------------


class AuthorOut(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str
    role: str = Field(..., examples=["counselor"])
    role_label: str = Field(..., examples=["Conseiller"])


COMMENT_EXAMPLE = {
    "id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
    "body": "Bravo ! Pensez à relancer dans une semaine.",
    "author": {
        "id": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
        "first_name": "Thomas",
        "last_name": "Durand",
        "role": "counselor",
        "role_label": "Conseiller",
    },
    "created_at": "2026-03-28T14:05:00+01:00",
}


class CommentOut(Schema):
    model_config = _example(COMMENT_EXAMPLE)

    id: uuid.UUID
    body: str
    author: AuthorOut | None = Field(..., description="null si le compte a été supprimé")
    created_at: datetime.datetime


class CommentPage(Schema):
    model_config = _example({"items": [COMMENT_EXAMPLE], "count": 1, "next": None})

    items: list[CommentOut]
    count: int
    next: str | None


class CommentIn(Schema):
    model_config = _example({"body": "J'ai envoyé ma candidature ce matin."})

    body: str = Field(..., description=f"{COMMENT_MAX} caractères au plus")


class ChangeOut(Schema):
    field: str = Field(..., examples=["status"])
    field_label: str = Field(..., examples=["Statut"])
    old: str = Field(..., examples=["À faire"])
    new: str = Field(..., examples=["Terminée"])


HISTORY_EXAMPLE = {
    "at": "2026-03-27T19:12:44+01:00",
    "event": "status",
    "event_label": "Changement de statut",
    "actor": {
        "id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "first_name": "Léa",
        "last_name": "Martin",
        "role": "young_person",
        "role_label": "Bénéficiaire",
    },
    "changes": [{"field": "status", "field_label": "Statut", "old": "À faire", "new": "Terminée"}],
}


class HistoryOut(Schema):
    model_config = _example(HISTORY_EXAMPLE)

    at: datetime.datetime
    event: str = Field(
        ...,
        json_schema_extra={"enum": ["created", "updated", "status", "qualified", "auto_qualified"]},
    )
    event_label: str
    actor: AuthorOut | None = Field(..., description="null pour un traitement automatique")
    changes: list[ChangeOut]


class HistoryPage(Schema):
    model_config = _example({"items": [HISTORY_EXAMPLE], "count": 1, "next": None})

    items: list[HistoryOut]
    count: int
    next: str | None


# --- qualification -------------------------------------------------------------------------------


class QualifyIn(Schema):
    model_config = _example(
        {"code": "EMPLOI", "hours": 3, "comment": "Candidature chez Boulangerie Martin"}
    )

    code: str | None = Field(
        None,
        description="Code SNP ; par défaut la catégorie de l'action",
        json_schema_extra=CODE_ENUM,
    )
    hours: Decimal | None = Field(
        None,
        description="De 0 à 99,9 (une décimale) ; par défaut les heures du code, 0 pour NON_SNP",
    )
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    comment: str | None = Field(
        None,
        description=f"{QUALIFICATION_COMMENT_MAX} caractères au plus ; par défaut le titre et "
        "la description",
    )


class BulkQualifyIn(Schema):
    model_config = _example(
        {
            "action_ids": [
                "4b0f6c2e-8d7a-4f0e-9a51-3c2d1e0f9a8b",
                "5c1a7d3f-9e8b-4a1f-8b62-4d3e2f1a0b9c",
            ],
            "code": None,
        }
    )

    action_ids: list[uuid.UUID] = Field(..., min_length=1, max_length=MAX_BULK)
    code: str | None = Field(
        None,
        description="Même code pour toutes ; par défaut la catégorie de chacune",
        json_schema_extra=CODE_ENUM,
    )


# --- hour counter and reference ------------------------------------------------------------------


class HourCounterOut(Schema):
    model_config = _example(
        {
            "young_person_id": "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6",
            "week_start": "2026-03-23",
            "week_end": "2026-03-29",
            "declared_hours": 11.0,
            "validated_hours": 3.0,
            "target_hours": 15.0,
            "encouragement": "Très bien, vous y êtes presque !",
            "enabled": True,
        }
    )

    young_person_id: uuid.UUID
    week_start: datetime.date = Field(..., description="Lundi")
    week_end: datetime.date = Field(..., description="Dimanche")
    declared_hours: float
    validated_hours: float
    target_hours: float
    encouragement: str
    enabled: bool = Field(
        ..., description="Le conseiller a activé l'affichage du compteur pour ce jeune"
    )


class SuggestionOut(Schema):
    title: str
    description: str
    batch: bool = Field(..., description="Peut être créée sur plusieurs dates à la fois")


class CategoryOut(Schema):
    code: str = Field(..., json_schema_extra=CATEGORY_ENUM)
    label: str
    default_hours: float
    suggestions: list[SuggestionOut]


class CodeOut(Schema):
    code: str = Field(..., json_schema_extra=CODE_ENUM)
    label: str
    default_hours: float


class LabelOut(Schema):
    value: str
    label: str


class PredefinedOut(Schema):
    title: str
    category: str = Field(..., json_schema_extra=CATEGORY_ENUM)
    category_label: str


class CataloguesOut(Schema):
    model_config = _example(
        {
            "categories": [
                {
                    "code": "CULTURE_SPORT_LOISIRS",
                    "label": "Loisir, sport, culture",
                    "default_hours": 2.0,
                    "suggestions": [{"title": "Faire du sport", "description": "", "batch": True}],
                }
            ],
            "statuses": [{"value": "done", "label": "Terminée"}],
            "qualification_codes": [
                {"code": "NON_SNP", "label": "Action non SNP", "default_hours": 0.0}
            ],
            "predefined_actions": [
                {
                    "title": "Mettre à jour son CV",
                    "category": "EMPLOI",
                    "category_label": "Emploi",
                }
            ],
        }
    )

    categories: list[CategoryOut]
    statuses: list[LabelOut]
    qualification_codes: list[CodeOut]
    predefined_actions: list[PredefinedOut] = Field(
        ..., description="Le catalogue d'actions prédéfinies des conseillers"
    )


# --- query strings -------------------------------------------------------------------------------


class ActionFilters(PageQuery):
    young_person_id: uuid.UUID | None = Field(None, description="Un seul bénéficiaire")
    status: str | None = Field(None, json_schema_extra=STATUS_ENUM)
    category: str | None = Field(None, json_schema_extra=CATEGORY_ENUM)
    late: bool | None = Field(None, description="En retard, ou non")
    week: IsoDate | None = Field(
        None, description="Un jour quelconque : la semaine du lundi au dimanche qui le contient"
    )
    qualified: bool | None = None


class HourCounterQuery(Schema):
    young_person_id: uuid.UUID | None = Field(None, description="Obligatoire pour un conseiller")
    week: IsoDate | None = Field(
        None, description="Un jour quelconque de la semaine voulue ; par défaut la semaine en cours"
    )
