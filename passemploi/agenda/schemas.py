"""Request and response schemas of the agenda API (rendez-vous, sessions, calendar feeds).

Types, modalities and attendance states are validated by the services, so a bad value answers a
stable code (`invalid_type`, `type_detail_required`...) rather than a generic validation error;
the schemas still publish the allowed values. Times are ISO 8601 with an offset; a time sent
without one is read in the structure's time zone.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from passemploi.actions.schemas import AuthorOut, ChangeOut, PageQuery
from passemploi.agenda.enums import SESSION_TYPES, AppointmentType, Attendance, Modality, State
from passemploi.agenda.services import MAX_DURATION, MAX_SEATS
from passemploi.core.schemas import IsoDate, IsoDateTime

MAX_RANGE_DAYS = 62
MAX_PARTICIPANTS_PER_CALL = MAX_SEATS

TYPE_ENUM = {"enum": list(AppointmentType.values)}
SESSION_TYPE_ENUM = {"enum": [t.value for t in SESSION_TYPES]}
MODALITY_ENUM = {"enum": list(Modality.values)}
ATTENDANCE_ENUM = {"enum": list(Attendance.values)}
CLOSING_ENUM = {"enum": [Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED]}
STATE_ENUM = {"enum": list(State.values)}

YOUNG_PERSON_ID = "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"
PARTICIPANT_EXAMPLE = {
    "young_person_id": YOUNG_PERSON_ID,
    "name": "Léa Martin",
    "attendance": "expected",
    "attendance_label": "Attendu",
    "registered_at": "2026-03-20T14:02:00+01:00",
    "unregistered_at": None,
    "unregistration_reason": "",
}
APPOINTMENT_EXAMPLE = {
    "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
    "type": "ATELIER",
    "type_label": "Atelier",
    "type_detail": "",
    "title": "Atelier CV",
    "description": "Apportez votre CV actuel, sur papier ou sur téléphone.",
    "comment": "",
    "starts_at": "2026-04-02T09:30:00+02:00",
    "ends_at": "2026-04-02T11:30:00+02:00",
    "duration_minutes": 120,
    "modality": "at_structure",
    "modality_label": "En présentiel à la structure",
    "address": "12 rue des Lilas, 75019 Paris",
    "video_link": "",
    "organisation": "Mission Locale de Paris",
    "counselor_present": True,
    "counselor": {
        "id": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
        "first_name": "Thomas",
        "last_name": "Durand",
    },
    "is_session": True,
    "max_participants": 12,
    "seats_left": 4,
    "visible": True,
    "self_registration": True,
    "registration_deadline": "2026-04-01T18:00:00+02:00",
    "unregistration_deadline": "2026-04-01T18:00:00+02:00",
    "state": "upcoming",
    "state_label": "À venir",
    "canceled": None,
    "closed_at": None,
    "registered": None,
    "can_manage": True,
    "participants": [PARTICIPANT_EXAMPLE],
    "sequence": 2,
}


def _example(example):
    return ConfigDict(json_schema_extra={"examples": [example]})


def _check_url(value):
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except DjangoValidationError as exc:
            raise ValueError("Indiquez une adresse web valide (https://…).") from exc
    return value


# --- appointments --------------------------------------------------------------------------------


class CanceledOut(Schema):
    at: datetime.datetime
    reason: str


class ParticipantOut(Schema):
    model_config = _example(PARTICIPANT_EXAMPLE)

    young_person_id: uuid.UUID
    name: str
    attendance: str = Field(..., json_schema_extra=ATTENDANCE_ENUM)
    attendance_label: str = Field(..., examples=["Attendu"])
    registered_at: datetime.datetime
    unregistered_at: datetime.datetime | None
    unregistration_reason: str


class OrganiserOut(Schema):
    id: uuid.UUID = Field(..., description="Identifiant du conseiller")
    first_name: str
    last_name: str


class AppointmentOut(Schema):
    model_config = _example(APPOINTMENT_EXAMPLE)

    id: uuid.UUID
    type: str = Field(..., json_schema_extra=TYPE_ENUM)
    type_label: str = Field(..., examples=["Atelier"])
    type_detail: str = Field(..., description="La précision d'un type AUTRE")
    title: str
    description: str
    comment: str = Field(..., description="Commentaire du conseiller pour le jeune")
    starts_at: datetime.datetime = Field(..., description="Avec le décalage de la structure")
    ends_at: datetime.datetime
    duration_minutes: int
    modality: str = Field(..., json_schema_extra=MODALITY_ENUM)
    modality_label: str = Field(..., examples=["Par visio"])
    address: str
    video_link: str
    organisation: str
    counselor_present: bool
    counselor: OrganiserOut = Field(..., description="Le conseiller qui organise")
    is_session: bool = Field(..., description="Session collective de la structure")
    max_participants: int | None = Field(..., description="Sessions : nombre de places")
    seats_left: int | None = Field(..., description="Sessions : places restantes")
    visible: bool = Field(..., description="Sessions : visible des jeunes de la structure")
    self_registration: bool = Field(..., description="Sessions : inscription par les jeunes")
    registration_deadline: datetime.datetime | None
    unregistration_deadline: datetime.datetime | None
    state: str = Field(..., json_schema_extra=STATE_ENUM)
    state_label: str = Field(..., examples=["À venir"])
    canceled: CanceledOut | None = Field(..., description="Date et motif d'une annulation")
    closed_at: datetime.datetime | None
    registered: bool | None = Field(
        ..., description="Jeune : inscrit (ou attendu) ; null pour un conseiller"
    )
    can_manage: bool = Field(
        ..., description="L'utilisateur peut modifier, annuler, clore, inscrire d'autres jeunes"
    )
    participants: list[ParticipantOut] = Field(
        ..., description="Conseiller : tous les participants ; jeune : sa seule participation"
    )
    sequence: int = Field(..., description="SEQUENCE iCalendar, augmente à chaque modification")


class AppointmentPage(Schema):
    model_config = _example(
        {
            "items": [APPOINTMENT_EXAMPLE],
            "count": 31,
            "next": "/api/v1/appointments?limit=30&offset=30",
        }
    )

    items: list[AppointmentOut]
    count: int
    next: str | None = Field(..., description="Adresse de la page suivante, null à la fin")


class _Timing(Schema):
    @field_validator("video_link", check_fields=False)
    @classmethod
    def _video_link(cls, value):
        return _check_url(value)


DURATION = f"De 1 à {MAX_DURATION} minutes ; ou bien `ends_at`"
ENDS_AT = "Fin (après le début) : remplace `duration_minutes`"

APPOINTMENT_IN_EXAMPLE = {
    "young_person_ids": [YOUNG_PERSON_ID],
    "type": "ENTRETIEN_INDIVIDUEL_CONSEILLER",
    "title": "Point sur la recherche d'emploi",
    "starts_at": "2026-04-02T09:30:00+02:00",
    "duration_minutes": 45,
    "modality": "video",
    "video_link": "https://visio.exemple.fr/salle/4821",
    "comment": "Préparez vos dernières candidatures.",
    "client_id": "6d7e8f90-a1b2-4c3d-8e4f-5a6b7c8d9e0f",
}


class AppointmentIn(_Timing):
    model_config = _example(APPOINTMENT_IN_EXAMPLE)

    young_person_ids: list[uuid.UUID] = Field(
        ...,
        max_length=MAX_PARTICIPANTS_PER_CALL,
        description="Bénéficiaires suivis par le conseiller (au moins un)",
    )
    type: str = Field(..., json_schema_extra=TYPE_ENUM)
    type_detail: str = Field("", max_length=120, description="Obligatoire pour le type AUTRE")
    title: str = Field(..., description="Obligatoire, 255 caractères au plus")
    description: str = Field("", max_length=5000)
    comment: str = Field("", max_length=5000, description="Commentaire pour le jeune")
    starts_at: IsoDateTime = Field(..., description="Entre il y a un an et dans deux ans")
    duration_minutes: int | None = Field(None, description=DURATION)
    ends_at: IsoDateTime | None = Field(None, description=ENDS_AT)
    modality: str = Field(..., json_schema_extra=MODALITY_ENUM)
    address: str = Field("", max_length=255)
    video_link: str = Field("", max_length=200, description="Obligatoire par visio")
    organisation: str = Field("", max_length=255)
    counselor_present: bool = True
    client_id: uuid.UUID | None = Field(
        None,
        description="Identifiant généré par le client : un nouvel envoi avec le même "
        "identifiant renvoie le rendez-vous déjà créé (200) au lieu d'en créer un autre",
    )


class SessionIn(_Timing):
    model_config = _example(
        {
            "type": "ATELIER",
            "title": "Atelier CV",
            "starts_at": "2026-04-02T09:30:00+02:00",
            "duration_minutes": 120,
            "modality": "at_structure",
            "address": "12 rue des Lilas, 75019 Paris",
            "max_participants": 12,
            "registration_deadline": "2026-04-01T18:00:00+02:00",
            "client_id": "8f90a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b",
        }
    )

    type: str = Field(..., json_schema_extra=SESSION_TYPE_ENUM)
    title: str = Field(..., description="Obligatoire, 255 caractères au plus")
    description: str = Field("", max_length=5000)
    comment: str = Field("", max_length=5000)
    starts_at: IsoDateTime = Field(..., description="Entre il y a un an et dans deux ans")
    duration_minutes: int | None = Field(None, description=DURATION)
    ends_at: IsoDateTime | None = Field(None, description=ENDS_AT)
    modality: str = Field(..., json_schema_extra=MODALITY_ENUM)
    address: str = Field("", max_length=255)
    video_link: str = Field("", max_length=200)
    organisation: str = Field("", max_length=255)
    counselor_present: bool = True
    max_participants: int = Field(..., description=f"De 1 à {MAX_SEATS} places")
    visible: bool = Field(True, description="Visible des jeunes de la structure (Événements)")
    self_registration: bool = Field(True, description="Les jeunes s'inscrivent eux-mêmes")
    registration_deadline: IsoDateTime | None = Field(
        None, description="Fin des inscriptions, avant le début ; par défaut le début"
    )
    unregistration_deadline: IsoDateTime | None = Field(
        None, description="Fin des désinscriptions, avant le début ; par défaut le début"
    )
    young_person_ids: list[uuid.UUID] = Field(
        [], max_length=MAX_SEATS, description="Jeunes de la structure inscrits d'emblée"
    )
    client_id: uuid.UUID | None = Field(
        None, description="Un nouvel envoi avec le même identifiant renvoie la même session (200)"
    )


class AppointmentPatchIn(_Timing):
    """Seuls les champs envoyés changent ; `young_person_ids` remplace la liste des participants."""

    model_config = _example(
        {"starts_at": "2026-04-03T14:00:00+02:00", "comment": "Nouvel horaire, même lieu."}
    )

    young_person_ids: list[uuid.UUID] = Field(None, max_length=MAX_PARTICIPANTS_PER_CALL)
    type: str = Field(None, json_schema_extra=TYPE_ENUM)
    type_detail: str = Field(None, max_length=120)
    title: str = None
    description: str = Field(None, max_length=5000)
    comment: str = Field(None, max_length=5000)
    starts_at: IsoDateTime = None
    duration_minutes: int = Field(None, description=DURATION)
    ends_at: IsoDateTime = Field(None, description=ENDS_AT)
    modality: str = Field(None, json_schema_extra=MODALITY_ENUM)
    address: str = Field(None, max_length=255)
    video_link: str = Field(None, max_length=200)
    organisation: str = Field(None, max_length=255)
    counselor_present: bool = None
    max_participants: int = Field(None, description="Sessions seulement")
    visible: bool = None
    self_registration: bool = None
    registration_deadline: IsoDateTime | None = None
    unregistration_deadline: IsoDateTime | None = None


class CancelIn(Schema):
    model_config = _example({"reason": "Conseiller absent, un nouveau rendez-vous suivra."})

    reason: str = Field(..., max_length=255, description="Obligatoire, communiqué aux jeunes")


class CloseIn(Schema):
    model_config = _example({"attendance": {YOUNG_PERSON_ID: "present"}})

    attendance: dict[uuid.UUID, str] = Field(
        ...,
        description="La présence de chaque participant attendu : present, absent ou excused",
        json_schema_extra={"additionalProperties": CLOSING_ENUM | {"type": "string"}},
    )


CHANGE_EXAMPLE = {
    "at": "2026-03-27T19:12:44+01:00",
    "event": "updated",
    "event_label": "Modification",
    "actor": {
        "id": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
        "first_name": "Thomas",
        "last_name": "Durand",
        "role": "counselor",
        "role_label": "Conseiller",
    },
    "changes": [
        {
            "field": "starts_at",
            "field_label": "Début",
            "old": "02/04/2026 09:30",
            "new": "03/04/2026 14:00",
        }
    ],
}


class AppointmentChangeOut(Schema):
    model_config = _example(CHANGE_EXAMPLE)

    at: datetime.datetime
    event: str = Field(
        ...,
        json_schema_extra={
            "enum": ["created", "updated", "canceled", "registered", "unregistered", "closed"]
        },
    )
    event_label: str
    actor: AuthorOut | None = Field(..., description="null si le compte a été supprimé")
    changes: list[ChangeOut]


class AppointmentChangePage(Schema):
    model_config = _example({"items": [CHANGE_EXAMPLE], "count": 1, "next": None})

    items: list[AppointmentChangeOut]
    count: int
    next: str | None


# --- registrations -------------------------------------------------------------------------------


class RegistrationIn(Schema):
    model_config = _example({"young_person_id": YOUNG_PERSON_ID})

    young_person_id: uuid.UUID | None = Field(
        None, description="Conseiller : le jeune de la structure à inscrire ; un jeune s'inscrit"
    )


class UnregistrationIn(Schema):
    model_config = _example({"reason": "J'ai un entretien d'embauche ce jour-là."})

    reason: str = Field("", max_length=255, description="Obligatoire pour un jeune")
    young_person_id: uuid.UUID | None = Field(
        None, description="Conseiller : le jeune à désinscrire ; un jeune se désinscrit"
    )


REGISTRATION_EXAMPLE = PARTICIPANT_EXAMPLE | {
    "session_id": APPOINTMENT_EXAMPLE["id"],
    "seats_left": 3,
}


class RegistrationOut(ParticipantOut):
    model_config = _example(REGISTRATION_EXAMPLE)

    session_id: uuid.UUID
    seats_left: int


class RegistrationPage(Schema):
    model_config = _example(
        {
            "items": [PARTICIPANT_EXAMPLE],
            "count": 1,
            "next": None,
            "max_participants": 12,
            "seats_left": 11,
        }
    )

    items: list[ParticipantOut]
    count: int
    next: str | None
    max_participants: int
    seats_left: int


# --- calendar ------------------------------------------------------------------------------------


class CalendarOut(Schema):
    model_config = _example(
        {
            "start_date": "2026-03-30",
            "end_date": "2026-04-05",
            "view": "mine",
            "items": [APPOINTMENT_EXAMPLE],
        }
    )

    start_date: datetime.date
    end_date: datetime.date
    view: str = Field(..., json_schema_extra={"enum": ["mine", "structure"]})
    items: list[AppointmentOut] = Field(..., description="Par début, annulés compris")


FEED_EXAMPLE = {
    "url": "https://passemploi.exemple.fr/calendrier/Zk3pX9fLq2vR7sT1uW4yA6bC8dE0gH2jK5mN7pQ9rSw.ics",
    "webcal_url": "webcal://passemploi.exemple.fr/calendrier/Zk3pX9fLq2vR7sT1uW4yA6bC8dE0gH2jK5mN7pQ9rSw.ics",
    "created_at": "2026-03-27T19:12:44+01:00",
}


class FeedOut(Schema):
    model_config = _example(FEED_EXAMPLE)

    url: str = Field(..., description="Adresse privée de l'abonnement iCalendar")
    webcal_url: str = Field(..., description="La même, pour s'abonner depuis un téléphone")
    created_at: datetime.datetime


# --- query strings -------------------------------------------------------------------------------


class _Range(Schema):
    from_: IsoDate | None = Field(
        None, alias="from", description="Premier jour (date locale de la structure)"
    )
    to: IsoDate | None = Field(None, description="Dernier jour, inclus")


class AppointmentFilters(PageQuery, _Range):
    young_person_id: uuid.UUID | None = Field(None, description="Un seul bénéficiaire")
    type: str | None = Field(None, json_schema_extra=TYPE_ENUM)
    state: str | None = Field(None, json_schema_extra=STATE_ENUM)
    is_session: bool | None = None


class SessionFilters(PageQuery, _Range):
    state: str | None = Field(None, json_schema_extra=STATE_ENUM)


class CalendarQuery(Schema):
    from_: IsoDate = Field(..., alias="from", description="Premier jour")
    to: IsoDate = Field(..., description=f"Dernier jour, {MAX_RANGE_DAYS} jours au plus")
    view: str = Field(
        "mine",
        description="Conseiller : `mine` (mon agenda) ou `structure` (les sessions de la "
        "structure) ; ignoré pour un jeune",
        json_schema_extra={"enum": ["mine", "structure"]},
    )
