"""The counselor's agenda pages: the week (Mon agenda, Agenda de la structure), creating and
editing appointments and collective sessions, cancelling, an appointment's page (participants,
registrations, change log), closing with attendance, the attendance sheet (page and CSV) and
Pilotage → Rendez-vous à clore. Views stay thin: rules live in services, reads in queries."""

from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from passemploi.accounts.access import counselor_required, portfolio_of, young_people_visible_to
from passemploi.accounts.models import YoungPerson
from passemploi.actions.counter import Week
from passemploi.actions.queries import week_label
from passemploi.agenda import queries_counselor as queries
from passemploi.agenda import registrations, services
from passemploi.agenda.access import can_manage, get_appointment_for_user
from passemploi.agenda.enums import HOLDING_SEAT, AppointmentType, Attendance, Modality
from passemploi.agenda.forms_counselor import (
    SERVICE_FIELDS,
    AppointmentForm,
    CancelForm,
    RegisterForm,
    SessionForm,
    UnregisterForm,
)
from passemploi.agenda.models import Appointment
from passemploi.core.errors import ServiceError

STRUCTURE_VIEW = "structure"
BY_NAME = ("user__last_name", "user__first_name", "id")


def _onto_form(form, error: ServiceError, default=None) -> None:
    """A service's refusal goes next to the field it is about (else `default`, else above)."""
    name = SERVICE_FIELDS.get(error.field, error.field)
    form.add_error(name if name in form.fields else default, error.message)


def _posted(request):
    """The form data of a POST (even an empty one: nothing ticked is an answer), else None."""
    return request.POST if request.method == "POST" else None


def _detail_url(appointment, anchor: str = "") -> str:
    url = reverse("agenda_counselor:detail", args=[appointment.pk])
    return f"{url}#{anchor}" if anchor else url


def _form_context() -> dict:
    """Dates are typed in the structure's time zone, which the middleware made current."""
    return {"zone": timezone.get_current_timezone(), "today": timezone.localdate()}


def _final_message(appointment) -> str | None:
    if appointment.canceled_at:
        return "Ce rendez-vous est annulé : il ne peut plus être modifié."
    if appointment.closed_at:
        return "Ce rendez-vous est clos : il ne peut plus être modifié."
    return None


def _refusal(request, appointment):
    """A redirect to the appointment's page with the reason when the user may not change it
    (not its organiser, or it is cancelled or closed), else None."""
    if not can_manage(request.user, appointment):
        messages.error(request, "Vous ne pouvez pas modifier ce rendez-vous.")
        return redirect(_detail_url(appointment))
    final = _final_message(appointment)
    if final:
        messages.error(request, final)
        return redirect(_detail_url(appointment))
    return None


def _participations(appointment, states):
    return (
        appointment.participations.filter(attendance__in=states)
        .select_related("young_person__user")
        .order_by("young_person__user__last_name", "young_person__user__first_name", "id")
    )


def duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


# --- the week -----------------------------------------------------------------------------------


def _week_asked(value: str | None, today: date) -> Week:
    """The week holding ?semaine=YYYY-MM-DD; this week when absent or not a usable date."""
    try:
        day = date.fromisoformat(value or "")
        week = Week.of(day)
        week.shift(-1), week.shift(1)  # noqa: B018 — both neighbours must exist for the links
    except (ValueError, OverflowError):
        return Week.of(today)
    return week


@counselor_required
def week(request):
    counselor = request.user.counselor
    today = timezone.localdate()
    shown = _week_asked(request.GET.get("semaine"), today)
    view = STRUCTURE_VIEW if request.GET.get("vue") == STRUCTURE_VIEW else ""
    source = queries.of_structure(counselor) if view else queries.mine(counselor)
    appointments = list(queries.week_of(source, shown))
    return render(
        request,
        "agenda/counselor/week.html",
        {
            "view": view,
            "week_label": week_label(shown, today),
            "days": queries.days_of(shown, appointments, today, timezone.now()),
            "count": len(appointments),
            "previous_week": shown.shift(-1).start.isoformat(),
            "next_week": shown.shift(1).start.isoformat(),
            "this_week": shown == Week.of(today),
            "counselor": counselor,
            "active_section": "agenda",
        },
    )


# --- creating and editing -------------------------------------------------------------------------


@counselor_required
def create(request):
    counselor = request.user.counselor
    young_people = portfolio_of(counselor).select_related("user").order_by(*BY_NAME)
    initial = {"counselor_present": True}
    if request.GET.get("beneficiaire"):
        # Checked only if it is one of the listed young people.
        initial["young_people"] = [request.GET["beneficiaire"]]
    form = AppointmentForm(
        _posted(request), initial=initial, young_people=young_people, **_form_context()
    )
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.create_appointment(
                actor=request.user, **form.service_arguments()
            )
        except ServiceError as error:
            _onto_form(form, error)
        else:
            messages.success(request, f"Le rendez-vous « {appointment.title} » a été créé.")
            return redirect(_detail_url(appointment))
    return render(
        request,
        "agenda/counselor/appointment_form.html",
        {"form": form, "appointment": None, "active_section": "agenda"},
        status=400 if form.errors else 200,
    )


@counselor_required
def create_session(request):
    form = SessionForm(
        _posted(request),
        initial={"visible": True, "self_registration": True},
        **_form_context(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(actor=request.user, **form.service_arguments())
        except ServiceError as error:
            _onto_form(form, error)
        else:
            messages.success(request, f"La session « {session.title} » a été créée.")
            return redirect(_detail_url(session))
    return render(
        request,
        "agenda/counselor/session_form.html",
        {"form": form, "appointment": None, "active_section": "agenda"},
        status=400 if form.errors else 200,
    )


@counselor_required
def edit(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    refused = _refusal(request, appointment)
    if refused:
        return refused
    if appointment.is_session:
        form = SessionForm(
            _posted(request),
            initial=SessionForm.initial_for(appointment),
            **_form_context(),
        )
        template = "agenda/counselor/session_form.html"
    else:
        current = [p.young_person for p in _participations(appointment, HOLDING_SEAT)]
        counselor = request.user.counselor
        young_people = (
            young_people_visible_to(request.user)
            .filter(Q(counselor=counselor, is_archived=False) | Q(pk__in=[yp.pk for yp in current]))
            .select_related("user")
            .order_by(*BY_NAME)
        )
        form = AppointmentForm(
            _posted(request),
            initial=AppointmentForm.initial_for(appointment, current),
            young_people=young_people,
            **_form_context(),
        )
        template = "agenda/counselor/appointment_form.html"
    if request.method == "POST" and form.is_valid():
        try:
            services.update_appointment(request.user, appointment, **form.service_arguments())
        except ServiceError as error:
            _onto_form(form, error)
        else:
            messages.success(request, "Les modifications ont été enregistrées.")
            return redirect(_detail_url(appointment))
    return render(
        request,
        template,
        {"form": form, "appointment": appointment, "active_section": "agenda"},
        status=400 if form.errors else 200,
    )


@counselor_required
def cancel(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    refused = _refusal(request, appointment)
    if refused:
        return refused
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_appointment(request.user, appointment, form.cleaned_data["reason"])
        except ServiceError as error:
            _onto_form(form, error)
        else:
            messages.success(
                request,
                f"Le rendez-vous « {appointment.title} » est annulé. "
                "Les bénéficiaires inscrits sont prévenus.",
            )
            return redirect(_detail_url(appointment))
    return render(
        request,
        "agenda/counselor/cancel.html",
        {"form": form, "appointment": appointment, "active_section": "agenda"},
        status=400 if form.errors else 200,
    )


# --- an appointment's page ----------------------------------------------------------------------

EVENTS = {
    "created": "Création",
    "updated": "Modification",
    "canceled": "Annulation",
    "registered": "Inscription",
    "unregistered": "Désinscription",
    "closed": "Clôture",
}
CHANGE_LABELS = {
    "participants_added": "Bénéficiaires ajoutés",
    "participants_removed": "Bénéficiaires retirés",
    "participant": "Bénéficiaire",
    "present": "Présents",
    "cancel_reason": "Motif d'annulation",
    "starts_at": "Début",
}
CHOICE_LABELS = {"type": AppointmentType, "modality": Modality}


def _change_label(name: str) -> str:
    if name in CHANGE_LABELS:
        return CHANGE_LABELS[name]
    try:
        label = str(Appointment._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 — an old entry may name a field that no longer exists
        return name
    return label[0].upper() + label[1:]


def _change_value(name: str, value) -> str:
    choices = CHOICE_LABELS.get(name)
    if choices is not None and value in choices.values:
        return choices(value).label
    return "" if value is None else str(value)


def change_rows(appointment) -> list[dict]:
    rows = []
    for entry in appointment.changes.select_related("actor"):
        changes = [
            {
                "label": _change_label(name),
                "old": _change_value(name, values[0]),
                "new": _change_value(name, values[1]),
            }
            for name, values in (entry.changes or {}).items()
            if isinstance(values, list | tuple) and len(values) == 2
        ]
        rows.append(
            {
                "event": EVENTS.get(entry.event, entry.event),
                "actor": entry.actor.get_full_name() if entry.actor else "Compte supprimé",
                "at": entry.at,
                "changes": changes,
            }
        )
    return rows


def _register_candidates(appointment):
    holding = appointment.participations.filter(attendance__in=HOLDING_SEAT).values(
        "young_person_id"
    )
    return (
        YoungPerson.objects.filter(structure_id=appointment.structure_id, is_archived=False)
        .exclude(pk__in=holding)
        .select_related("user")
        .order_by(*BY_NAME)
    )


def _render_detail(request, appointment, *, register_form=None, status=200):
    participations = list(_participations(appointment, queries.LISTED))
    unregistered = list(_participations(appointment, [Attendance.UNREGISTERED]))
    manageable = can_manage(request.user, appointment)
    final = bool(appointment.canceled_at or appointment.closed_at)
    holding = sum(1 for p in participations if p.attendance in HOLDING_SEAT)
    registrable = appointment.is_session and manageable and not final
    if registrable and register_form is None:
        register_form = RegisterForm(young_people=_register_candidates(appointment))
    return render(
        request,
        "agenda/counselor/detail.html",
        {
            "appointment": appointment,
            "state": appointment.state(),
            "duration": duration_label(appointment.duration_minutes),
            "participations": participations,
            "unregistered": unregistered,
            "holding": holding,
            "seats_left": max((appointment.max_participants or 0) - holding, 0),
            "manageable": manageable,
            "final": final,
            "started": appointment.starts_at <= timezone.now(),
            "register_form": register_form if registrable else None,
            "history": change_rows(appointment),
            "status_error": status >= 400,
            "active_section": "agenda",
        },
        status=status,
    )


@counselor_required
def detail(request, pk):
    return _render_detail(request, get_appointment_for_user(request.user, pk))


@counselor_required
@require_POST
def register(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    if not appointment.is_session:
        messages.error(request, "On ne s'inscrit qu'à une session collective.")
        return redirect(_detail_url(appointment))
    refused = _refusal(request, appointment)
    if refused:
        return refused
    form = RegisterForm(request.POST, young_people=_register_candidates(appointment))
    if form.is_valid():
        young_person = form.cleaned_data["young_person"]
        try:
            registrations.register(request.user, appointment, young_person)
        except ServiceError as error:
            _onto_form(form, error, default="young_person")
        else:
            messages.success(
                request, f"{young_person.user.get_full_name()} est inscrit(e) à la session."
            )
            return redirect(_detail_url(appointment, "participants"))
    return _render_detail(request, appointment, register_form=form, status=400)


@counselor_required
def unregister(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    if not appointment.is_session:
        messages.error(
            request, "Pour retirer un bénéficiaire d'un rendez-vous, modifiez le rendez-vous."
        )
        return redirect(_detail_url(appointment))
    refused = _refusal(request, appointment)
    if refused:
        return refused
    registrants = (
        YoungPerson.objects.filter(
            participations__appointment=appointment,
            participations__attendance__in=HOLDING_SEAT,
        )
        .select_related("user")
        .order_by(*BY_NAME)
    )
    initial = {}
    if request.GET.get("beneficiaire"):
        initial["young_person"] = request.GET["beneficiaire"]
    form = UnregisterForm(_posted(request), initial=initial, young_people=registrants)
    if request.method == "POST" and form.is_valid():
        young_person = form.cleaned_data["young_person"]
        try:
            registrations.unregister(
                request.user, appointment, young_person, form.cleaned_data["reason"]
            )
        except ServiceError as error:
            _onto_form(form, error, default="young_person")
        else:
            messages.success(
                request,
                f"{young_person.user.get_full_name()} est désinscrit(e) de la session.",
            )
            return redirect(_detail_url(appointment, "participants"))
    return render(
        request,
        "agenda/counselor/unregister.html",
        {"form": form, "appointment": appointment, "active_section": "agenda"},
        status=400 if form.errors else 200,
    )
