"""The young person's agenda pages under /app/: an appointment or session (register, unregister,
its .ics file), the Événements tab, and the calendar subscription page.

Every appointment is fetched with access.get_appointment_for_user (missing and forbidden: the
same 404) before anything else; every write goes through agenda.services.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from passemploi.accounts.access import young_person_required
from passemploi.actions.counter import Week
from passemploi.actions.views_young import tracking_url
from passemploi.agenda import ics, registrations
from passemploi.agenda.access import get_appointment_for_user, participation_of
from passemploi.agenda.enums import HOLDING_SEAT, Attendance
from passemploi.agenda.forms_young import UnregisterForm
from passemploi.agenda.views_feed import subscription_context
from passemploi.agenda.young import (
    is_registered,
    registration_open,
    seats_left,
    sessions_for,
    unregistration_open,
)
from passemploi.core.errors import ServiceError

MAP_SEARCH = "https://www.openstreetmap.org/search?"


def map_url(address: str) -> str:
    return MAP_SEARCH + urlencode({"query": address}) if address else ""


def safe_link(link: str) -> str:
    """A web link to put in an href: http(s) only (never javascript: or data:)."""
    return link if link.lower().startswith(("https://", "http://")) else ""


def detail_url(appointment) -> str:
    return reverse("agenda_young:detail", args=[appointment.pk])


# --- an appointment or session -------------------------------------------------------------------


def _registration_refusal(appointment, registered, left, now) -> str:
    """Why the young person cannot register themself here, in their words ("" if they can)."""
    if registered or not appointment.is_session:
        return ""
    if appointment.canceled_at or appointment.closed_at:
        return "Cette session n'est plus ouverte aux inscriptions."
    if not (appointment.visible and appointment.self_registration):
        return "Pour vous inscrire à cette session, adressez-vous à votre conseiller."
    if not registration_open(appointment, now):
        return "Les inscriptions à cette session sont closes."
    if left <= 0:
        return "Cette session est complète."
    return ""


def _detail_context(request, appointment, form=None, refusal="") -> dict:
    young_person = request.user.young_person
    now = timezone.now()
    participation = participation_of(young_person, appointment)
    attendance = participation.attendance if participation else None
    registered = is_registered(attendance)
    context = {
        "appointment": appointment,
        "participation": participation,
        "attendance": attendance,
        "registered": registered,
        "unregistered": attendance == Attendance.UNREGISTERED,
        "is_past": appointment.starts_at <= now,
        "map_url": map_url(appointment.address),
        "video_url": safe_link(appointment.video_link),
        "refusal": refusal,
        "messages_url": reverse("youth:messages"),
    }
    if appointment.is_session:
        taken = appointment.participations.filter(attendance__in=HOLDING_SEAT).count()
        left = seats_left(appointment, taken)
        why_not = _registration_refusal(appointment, registered, left, now)
        context |= {
            "seats_left": left,
            "full": left <= 0,
            "can_register": not registered and not why_not,
            "why_not": why_not,
            "can_unregister": registered and unregistration_open(appointment, now),
            "form": form or UnregisterForm(),
            "back_url": reverse("youth:events"),
            "back_label": "Retour aux événements",
        }
    else:
        context |= {
            "back_url": tracking_url(Week.of(appointment.local_date)) + f"#rdv-{appointment.pk}",
            "back_label": "Retour à Mon suivi",
        }
    return context


@young_person_required
@require_safe
def detail(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    return render(request, "agenda/young/detail.html", _detail_context(request, appointment))


@young_person_required
@require_safe
def ics_file(request, pk):
    """ "Ajouter à mon agenda": the appointment as an iCalendar file to open."""
    appointment = get_appointment_for_user(request.user, pk)
    response = HttpResponse(
        ics.invitation(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response


@young_person_required
@require_POST
def register(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    try:
        registrations.register(request.user, appointment, request.user.young_person)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Vous êtes inscrit à « {appointment.title} ».")
    return redirect(detail_url(appointment))


@young_person_required
@require_POST
def unregister(request, pk):
    """A reason is required; any refusal comes back on the page with the reason typed."""
    appointment = get_appointment_for_user(request.user, pk)
    form = UnregisterForm(request.POST)
    refusal = ""
    if form.is_valid():
        try:
            registrations.unregister(
                request.user, appointment, request.user.young_person, form.cleaned_data["reason"]
            )
        except ServiceError as error:
            if error.field == "reason":
                form.add_error("reason", error.message)
            else:
                refusal = error.message
        else:
            messages.success(
                request, f"Votre désinscription de « {appointment.title} » est enregistrée."
            )
            return redirect(detail_url(appointment))
    return render(
        request,
        "agenda/young/detail.html",
        _detail_context(request, appointment, form=form, refusal=refusal),
        status=409 if refusal else 400,
    )


# --- Événements ----------------------------------------------------------------------------------


@young_person_required
@require_safe
def events(request):
    """The structure's upcoming sessions open to the young person, and their registrations:
    one query whatever their number."""
    young_person = request.user.young_person
    now = timezone.now()
    sessions = sessions_for(young_person, now)
    for session in sessions:
        session.seats_left = seats_left(session, session.taken)
        session.registered = is_registered(session.my_attendance)
        session.open = registration_open(session, now)
    registrations = [s for s in sessions if s.registered]
    offered = [
        s
        for s in sessions
        if s.visible and not s.canceled_at and s.structure_id == young_person.structure_id
    ]
    return render(
        request,
        "agenda/young/events.html",
        {"active_tab": "events", "registrations": registrations, "sessions": offered},
    )


# --- calendar subscription -----------------------------------------------------------------------


@young_person_required
@require_safe
def sync(request):
    context = subscription_context(request.user, reverse("agenda_young:sync_revoke"))
    return render(request, "agenda/young/sync.html", context | {"active_tab": "profile"})


@young_person_required
@require_POST
def sync_revoke(request):
    registrations.revoke_feed(request.user)
    messages.success(
        request,
        "L'ancien lien ne fonctionne plus. Ajoutez le nouveau lien ci-dessous à votre agenda.",
    )
    return redirect("agenda_young:sync")
