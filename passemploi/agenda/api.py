"""The agenda API, rendez-vous: thin operations over agenda.services, fetching through
agenda.access. Sessions, registrations and the calendar are in api_sessions.

Young people and counselors only (403 for other accounts); a missing or forbidden appointment or
young person answers 404.
"""

import uuid

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from ninja import Query, Router, Status

from passemploi.accounts.access import counselor_of, get_young_person_for_user
from passemploi.actions.schemas import PageQuery
from passemploi.agenda import registrations, services
from passemploi.agenda.access import appointments_visible_to, get_appointment_for_user
from passemploi.agenda.api_support import (
    APPOINTMENT,
    CALENDAR_RESPONSE,
    ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    appointment_out,
    calendar_response,
    detailed,
    local,
    timing,
    young_people_named,
)
from passemploi.agenda.enums import AppointmentType, State
from passemploi.agenda.models import Appointment
from passemploi.agenda.schemas import (
    AppointmentChangePage,
    AppointmentFilters,
    AppointmentIn,
    AppointmentOut,
    AppointmentPage,
    AppointmentPatchIn,
    CancelIn,
    CloseIn,
)
from passemploi.core.api_support import caller, counselor_caller, paginate, person_out
from passemploi.core.errors import ServiceError

router = Router(tags=["Agenda"])


def filtered(appointments, filters):
    """The filters common to appointments and sessions: local dates, state, type, young person."""
    if filters.from_ is not None:
        appointments = appointments.filter(local_date__gte=filters.from_)
    if filters.to is not None:
        appointments = appointments.filter(local_date__lte=filters.to)
    state = filters.state
    if state is not None:
        now = timezone.now()
        open_ = Q(canceled_at__isnull=True, closed_at__isnull=True)
        by_state = {
            State.UPCOMING: open_ & Q(starts_at__gt=now),
            State.TO_CLOSE: open_ & Q(starts_at__lte=now),
            State.CLOSED: Q(canceled_at__isnull=True, closed_at__isnull=False),
            State.CANCELED: Q(canceled_at__isnull=False),
        }
        if state not in by_state:
            raise ServiceError("invalid_state", "Cet état n'existe pas.", "state")
        appointments = appointments.filter(by_state[state])
    return appointments.order_by("starts_at", "id")


def created(user, client_id, create) -> tuple[Appointment, bool]:
    """Run `create` once per client_id of this user: a retry finds the first result."""
    if client_id is not None:
        existing = Appointment.objects.filter(created_by=user, client_id=client_id).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            appointment = create()
            if client_id is not None:
                Appointment.objects.filter(pk=appointment.pk).update(client_id=client_id)
    except IntegrityError:
        # A concurrent retry with the same client_id won the race (its savepoint is gone,
        # invitations included).
        existing = Appointment.objects.filter(created_by=user, client_id=client_id).first()
        if client_id is None or existing is None:
            raise
        return existing, False
    return appointment, True


# --- appointments --------------------------------------------------------------------------------


@router.get(
    "/appointments",
    response={200: AppointmentPage, **READ_ERRORS},
    summary="Lister les rendez-vous",
    description=(
        "Les rendez-vous et sessions visibles par l'utilisateur (un jeune : les siens et les "
        "sessions visibles de sa structure ; un conseiller : les siens, ceux de ses jeunes et les "
        "sessions de sa structure), par date de début, filtrables et paginés."
    ),
)
def list_appointments(request, filters: Query[AppointmentFilters]):
    user = caller(request)
    appointments = appointments_visible_to(user)
    if filters.young_person_id is not None:
        young_person = get_young_person_for_user(user, filters.young_person_id)
        appointments = appointments.filter(participations__young_person=young_person)
    if filters.type is not None:
        if filters.type not in AppointmentType.values:
            raise ServiceError(
                "invalid_type", "Choisissez un type de rendez-vous dans la liste.", "type"
            )
        appointments = appointments.filter(type=filters.type)
    if filters.is_session is not None:
        appointments = appointments.filter(is_session=filters.is_session)
    appointments = detailed(user, filtered(appointments, filters))
    return paginate(request, appointments, filters, lambda a: appointment_out(user, a))


@router.post(
    "/appointments",
    response={200: AppointmentOut, 201: AppointmentOut, **WRITE_ERRORS},
    summary="Créer un rendez-vous",
    description=(
        "Un conseiller fixe un rendez-vous à un ou plusieurs jeunes qu'il suit ; ils en sont "
        "prévenus (invitation iCalendar par e-mail). Renvoie 201, ou 200 avec le rendez-vous "
        "déjà créé si `client_id` a déjà servi."
    ),
)
def create_appointment(request, payload: AppointmentIn):
    user = counselor_caller(request)
    fields = payload.dict(exclude={"young_person_ids", "client_id"})
    fields = timing(fields, counselor_of(user).structure, None)

    def create():
        young_people = young_people_named(payload.young_person_ids)
        return services.create_appointment(actor=user, young_people=young_people, **fields)

    appointment, new = created(user, payload.client_id, create)
    return Status(201 if new else 200, appointment_out(user, appointment))


@router.get(
    APPOINTMENT,
    response={200: AppointmentOut, **ERRORS},
    summary="Consulter un rendez-vous",
    description=(
        "Un rendez-vous ou une session visible par l'utilisateur : horaires dans le fuseau de "
        "la structure, modalité, état, participants (un jeune ne voit que sa participation)."
    ),
)
def get_appointment(request, appointment_id: uuid.UUID):
    user = caller(request)
    return appointment_out(user, get_appointment_for_user(user, appointment_id))


@router.patch(
    APPOINTMENT,
    response={200: AppointmentOut, **WRITE_ERRORS},
    summary="Modifier un rendez-vous",
    description=(
        "Modifie les champs envoyés (`young_person_ids` remplace les participants) ; les jeunes "
        "reçoivent l'invitation mise à jour. Refusé (409) une fois le rendez-vous annulé ou clos."
    ),
)
def update_appointment(request, appointment_id: uuid.UUID, payload: AppointmentPatchIn):
    user = counselor_caller(request)
    appointment = get_appointment_for_user(user, appointment_id)
    fields = payload.dict(exclude_unset=True)
    ids = fields.pop("young_person_ids", None)
    fields = timing(fields, appointment.structure, appointment.starts_at)
    young_people = None if ids is None else young_people_named(ids)
    appointment = services.update_appointment(
        user, appointment, young_people=young_people, **fields
    )
    return appointment_out(user, appointment)


@router.post(
    APPOINTMENT + "/cancel",
    response={200: AppointmentOut, **WRITE_ERRORS},
    summary="Annuler un rendez-vous",
    description=(
        "Annule le rendez-vous avec un motif, communiqué aux jeunes (invitation iCalendar "
        "METHOD:CANCEL). Il reste visible, marqué annulé."
    ),
)
def cancel_appointment(request, appointment_id: uuid.UUID, payload: CancelIn):
    user = counselor_caller(request)
    appointment = get_appointment_for_user(user, appointment_id)
    return appointment_out(user, services.cancel_appointment(user, appointment, payload.reason))


@router.post(
    APPOINTMENT + "/close",
    response={200: AppointmentOut, **WRITE_ERRORS},
    summary="Clore un rendez-vous",
    description=(
        "Après son début, le conseiller indique la présence de chaque participant attendu "
        "(présent, absent, excusé). Une présence compte en heures validées. Avant le début : 409."
    ),
)
def close_appointment(request, appointment_id: uuid.UUID, payload: CloseIn):
    user = counselor_caller(request)
    appointment = get_appointment_for_user(user, appointment_id)
    return appointment_out(
        user, registrations.close_appointment(user, appointment, payload.attendance)
    )


# --- change log and calendar file ----------------------------------------------------------------

EVENTS = {
    "created": "Création",
    "updated": "Modification",
    "canceled": "Annulation",
    "registered": "Inscription",
    "unregistered": "Désinscription",
    "closed": "Clôture",
}
EXTRA_FIELDS = {
    "participants_added": "Participants ajoutés",
    "participants_removed": "Participants retirés",
    "participant": "Participant",
    "present": "Présents",
}


def field_label(name: str) -> str:
    if name in EXTRA_FIELDS:
        return EXTRA_FIELDS[name]
    try:
        return str(Appointment._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name


@router.get(
    APPOINTMENT + "/changes",
    response={200: AppointmentChangePage, **ERRORS},
    summary="Historique d'un rendez-vous",
    description=(
        "Qui a changé quoi et quand (création, modifications, inscriptions, annulation, "
        "clôture), du plus ancien au plus récent. Réservé aux conseillers."
    ),
)
def appointment_changes(request, appointment_id: uuid.UUID, paging: Query[PageQuery]):
    user = counselor_caller(request)
    appointment = get_appointment_for_user(user, appointment_id)
    entries = appointment.changes.select_related("actor__young_person", "actor__counselor")

    def serialize(entry):
        return {
            "at": local(entry.at, appointment.structure),
            "event": entry.event,
            "event_label": EVENTS.get(entry.event, entry.event),
            "actor": person_out(entry.actor),
            "changes": [
                {"field": name, "field_label": field_label(name), "old": old, "new": new}
                for name, (old, new) in entry.changes.items()
            ],
        }

    return paginate(request, entries.order_by("at", "id"), paging, serialize)


@router.get(
    APPOINTMENT + "/calendar",
    response=ERRORS,
    summary="Ajouter à mon agenda (.ics)",
    description=(
        "Le rendez-vous en iCalendar (`text/calendar`, heures en UTC), à ouvrir dans l'agenda "
        "du téléphone ; un rendez-vous annulé y figure avec STATUS:CANCELLED."
    ),
    openapi_extra={"responses": CALENDAR_RESPONSE},
)
def appointment_calendar(request, appointment_id: uuid.UUID):
    user = caller(request)
    appointment = get_appointment_for_user(user, appointment_id)
    return calendar_response([appointment], filename="rendez-vous.ics", method="PUBLISH")
