"""The agenda API, collective sessions and calendars: sessions of a structure, registrations,
the agenda of a date range, the private iCalendar subscription."""

import uuid

from django.http import Http404
from django.utils import timezone
from ninja import Query, Status

from passemploi.accounts.access import counselor_of, young_person_of
from passemploi.actions.schemas import PageQuery
from passemploi.agenda import registrations, services
from passemploi.agenda.access import (
    appointments_visible_to,
    get_appointment_for_user,
    participation_of,
)
from passemploi.agenda.api import created, filtered, router
from passemploi.agenda.api_support import (
    ERRORS,
    READ_ERRORS,
    SESSION,
    WRITE_ERRORS,
    appointment_out,
    detailed,
    feed_out,
    one_young_person,
    participant_out,
    seats_left,
    timing,
    young_people_named,
)
from passemploi.agenda.enums import HOLDING_SEAT, Attendance
from passemploi.agenda.models import Appointment, Participation
from passemploi.agenda.schemas import (
    MAX_RANGE_DAYS,
    AppointmentOut,
    AppointmentPage,
    CalendarOut,
    CalendarQuery,
    FeedOut,
    RegistrationIn,
    RegistrationOut,
    RegistrationPage,
    SessionFilters,
    SessionIn,
    UnregistrationIn,
)
from passemploi.core.api_support import caller, counselor_caller, paginate
from passemploi.core.errors import ServiceError

# --- sessions ------------------------------------------------------------------------------------


def _session(user, session_id) -> Appointment:
    appointment = get_appointment_for_user(user, session_id)
    if not appointment.is_session:
        raise Http404
    return appointment


def _taken(session) -> int:
    return session.participations.filter(attendance__in=HOLDING_SEAT).count()


@router.get(
    "/sessions",
    response={200: AppointmentPage, **READ_ERRORS},
    summary="Lister les sessions collectives",
    description=(
        "Un conseiller : les sessions (ateliers, informations collectives) de sa structure. Un "
        "jeune : les sessions à venir ouvertes aux jeunes de sa structure, avec les places "
        "restantes et son inscription (`registered`)."
    ),
)
def list_sessions(request, filters: Query[SessionFilters]):
    user = caller(request)
    sessions = appointments_visible_to(user).filter(is_session=True)
    own = young_person_of(user)
    if own is not None:
        sessions = sessions.filter(
            visible=True,
            structure_id=own.structure_id,
            canceled_at__isnull=True,
            closed_at__isnull=True,
            starts_at__gt=timezone.now(),
        )
    else:
        sessions = sessions.filter(structure_id=counselor_of(user).structure_id)
    sessions = detailed(user, filtered(sessions, filters))
    return paginate(request, sessions, filters, lambda a: appointment_out(user, a))


@router.post(
    "/sessions",
    response={200: AppointmentOut, 201: AppointmentOut, **WRITE_ERRORS},
    summary="Créer une session collective",
    description=(
        "Un conseiller crée un atelier ou une information collective de sa structure : places, "
        "visibilité pour les jeunes, inscription en ligne et dates limites. Avec un `client_id` "
        "déjà utilisé, renvoie la session déjà créée (200)."
    ),
)
def create_session(request, payload: SessionIn):
    user = counselor_caller(request)
    fields = payload.dict(exclude={"young_person_ids", "client_id"})
    fields = timing(fields, counselor_of(user).structure, None)

    def create():
        young_people = young_people_named(payload.young_person_ids)
        return services.create_session(actor=user, young_people=young_people, **fields)

    session, new = created(user, payload.client_id, create)
    return Status(201 if new else 200, appointment_out(user, session))


@router.get(
    SESSION + "/registrations",
    response={200: RegistrationPage, **ERRORS},
    summary="Inscrits d'une session",
    description=(
        "Les jeunes inscrits (et désinscrits, avec leur motif) et leur présence, avec les places "
        "restantes. Réservé aux conseillers de la structure."
    ),
)
def list_registrations(request, session_id: uuid.UUID, paging: Query[PageQuery]):
    user = counselor_caller(request)
    session = _session(user, session_id)
    registrations = session.participations.select_related("young_person__user").order_by(
        "young_person__user__last_name", "young_person__user__first_name", "pk"
    )
    page = paginate(request, registrations, paging, lambda p: participant_out(p, session.structure))
    page["max_participants"] = session.max_participants
    page["seats_left"] = seats_left(session, _taken(session))
    return page


def _registration(participation: Participation, session) -> dict:
    return participant_out(participation, session.structure) | {
        "session_id": session.pk,
        "seats_left": seats_left(session, _taken(session)),
    }


@router.post(
    SESSION + "/registrations",
    response={200: RegistrationOut, 201: RegistrationOut, **WRITE_ERRORS},
    summary="S'inscrire à une session",
    description=(
        "Un jeune s'inscrit lui-même ; un conseiller inscrit un jeune de la structure "
        "(`young_person_id`). Refusé (409) quand la session est complète (`session_full`) ou les "
        "inscriptions closes (`registration_closed`). Déjà inscrit : 200."
    ),
)
def register(request, session_id: uuid.UUID, payload: RegistrationIn = None):
    user = caller(request)
    session = _session(user, session_id)
    young_person = one_young_person(user, payload and payload.young_person_id)
    before = participation_of(young_person, session)
    already = before is not None and before.attendance in HOLDING_SEAT
    if already and young_person == young_person_of(user):
        # Their own seat, seen through the session: a retry, even once registration closed.
        before.young_person = young_person
        return Status(200, _registration(before, session))
    participation = registrations.register(user, session, young_person)
    participation.young_person = young_person
    return Status(200 if already else 201, _registration(participation, session))


@router.post(
    SESSION + "/registrations/cancel",
    response={200: RegistrationOut, **WRITE_ERRORS},
    summary="Se désinscrire d'une session",
    description=(
        "Un jeune se désinscrit avec un motif obligatoire, jusqu'à la date limite de "
        "désinscription (ensuite 409 `unregistration_closed`) ; un conseiller désinscrit un "
        "jeune (`young_person_id`)."
    ),
)
def unregister(request, session_id: uuid.UUID, payload: UnregistrationIn):
    user = caller(request)
    session = _session(user, session_id)
    young_person = one_young_person(user, payload.young_person_id)
    participation = registrations.unregister(user, session, young_person, payload.reason)
    participation.young_person = young_person
    return _registration(participation, session)


# --- calendar ------------------------------------------------------------------------------------


def _agenda(user):
    """The appointments of a user's own agenda: a young person's participations (not those they
    left), a counselor's appointments and sessions they organise."""
    visible = appointments_visible_to(user)
    own = young_person_of(user)
    if own is not None:
        taken = Participation.objects.filter(young_person=own).exclude(
            attendance=Attendance.UNREGISTERED
        )
        return visible.filter(pk__in=taken.values("appointment_id"))
    return visible.filter(counselor=counselor_of(user))


@router.get(
    "/calendar",
    response={200: CalendarOut, **READ_ERRORS},
    summary="Agenda d'une période",
    description=(
        f"Les rendez-vous et sessions d'une période ({MAX_RANGE_DAYS} jours au plus, dates "
        "locales incluses), annulés compris. Un jeune : les siens ; un conseiller : son agenda "
        "(`view=mine`) ou les sessions de sa structure (`view=structure`)."
    ),
)
def calendar(request, query: Query[CalendarQuery]):
    user = caller(request)
    start, end = query.from_, query.to
    if end < start:
        raise ServiceError("invalid_range", "La fin de la période précède son début.", "to")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ServiceError(
            "range_too_long", f"Choisissez une période de {MAX_RANGE_DAYS} jours au plus.", "to"
        )
    view = query.view
    if view not in ("mine", "structure"):
        raise ServiceError("invalid_view", "Choisissez « mine » ou « structure ».", "view")
    counselor = counselor_of(user)
    if counselor is not None and view == "structure":
        appointments = appointments_visible_to(user).filter(
            is_session=True, structure_id=counselor.structure_id
        )
    else:
        view = "mine"
        appointments = _agenda(user)
    appointments = detailed(
        user, appointments.filter(local_date__range=(start, end)).order_by("starts_at", "id")
    )
    return {
        "start_date": start,
        "end_date": end,
        "view": view,
        "items": [appointment_out(user, a) for a in appointments],
    }


@router.get(
    "/calendar/feed",
    response={200: FeedOut, **ERRORS},
    summary="Adresse d'abonnement à mon agenda",
    description=(
        "L'adresse privée (iCalendar) qui garde l'agenda du téléphone à jour de mes rendez-vous "
        "(depuis trois mois, annulés compris). Elle ne demande pas de connexion : ne la partagez "
        "pas, révoquez-la au besoin."
    ),
)
def calendar_feed(request):
    user = caller(request)
    return feed_out(user, registrations.feed_for(user))


@router.post(
    "/calendar/feed/revoke",
    response={200: FeedOut, **ERRORS},
    summary="Révoquer l'adresse d'abonnement",
    description=(
        "L'ancienne adresse cesse aussitôt de fonctionner ; une nouvelle la remplace, à ajouter "
        "de nouveau dans l'agenda du téléphone."
    ),
)
def revoke_calendar_feed(request):
    user = caller(request)
    return feed_out(user, registrations.revoke_feed(user))
