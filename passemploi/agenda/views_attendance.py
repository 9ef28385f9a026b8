"""The counselor's attendance pages: closing an appointment or session with attendance, the
attendance sheet (printable page and CSV) and Pilotage → Rendez-vous à clore."""

import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from passemploi.accounts.access import counselor_required
from passemploi.agenda import queries_counselor as queries
from passemploi.agenda import registrations
from passemploi.agenda.access import get_appointment_for_user
from passemploi.agenda.enums import HOLDING_SEAT, Attendance
from passemploi.agenda.forms_counselor import (
    CloseForm,
)
from passemploi.agenda.views_counselor import (
    _detail_url,
    _onto_form,
    _participations,
    _posted,
    _refusal,
    duration_label,
)
from passemploi.core.errors import ServiceError
from passemploi.core.spreadsheet import spreadsheet_safe
from passemploi.core.templatetags.passemploi import pluralize_fr

TO_CLOSE_PAGE_SIZE = 100


# --- closing ------------------------------------------------------------------------------------


@counselor_required
def close(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    refused = _refusal(request, appointment)
    if refused:
        return refused
    participations = list(_participations(appointment, HOLDING_SEAT))
    form = CloseForm(_posted(request), participations=participations)
    too_early = appointment.starts_at > timezone.now()
    if request.method == "POST":
        valid = form.is_valid()
        if valid or too_early:  # too early: the service says so, whatever was ticked
            try:
                registrations.close_appointment(
                    request.user, appointment, form.attendance() if valid else {}
                )
            except ServiceError as error:
                _onto_form(form, error)
            else:
                present = sum(1 for s in form.attendance().values() if s == Attendance.PRESENT)
                messages.success(
                    request,
                    f"« {appointment.title} » est clos : {present} présent{pluralize_fr(present)} "
                    f"sur {len(participations)} participant{pluralize_fr(len(participations))}.",
                )
                return redirect(_detail_url(appointment))
    return render(
        request,
        "agenda/counselor/close.html",
        {
            "form": form,
            "appointment": appointment,
            "too_early": too_early,
            "active_section": "agenda",
        },
        status=400 if form.errors else 200,
    )


# --- the attendance sheet -------------------------------------------------------------------------

SHEET_COLUMNS = ["Nom", "Prénom", "Dispositif", "Présence", "Signature"]


def _sheet_rows(appointment) -> list[dict]:
    return [
        {
            "last_name": p.young_person.user.last_name,
            "first_name": p.young_person.user.first_name,
            "scheme": p.young_person.get_scheme_display(),
            # Blank while expected: the sheet is filled in on the day.
            "attendance": "" if p.attendance == Attendance.EXPECTED else p.get_attendance_display(),
        }
        for p in _participations(appointment, queries.LISTED)
    ]


@counselor_required
def sheet(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    return render(
        request,
        "agenda/counselor/sheet.html",
        {
            "appointment": appointment,
            "rows": _sheet_rows(appointment),
            "duration": duration_label(appointment.duration_minutes),
            "active_section": "agenda",
        },
    )


@counselor_required
def sheet_csv(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(SHEET_COLUMNS)
    for row in _sheet_rows(appointment):
        writer.writerow(
            [
                spreadsheet_safe(row[name])
                for name in ("last_name", "first_name", "scheme", "attendance")
            ]
            + [""]
        )
    day = timezone.localtime(appointment.starts_at).date().isoformat()
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="emargement-{day}.csv"'
    return response


# --- Pilotage → Rendez-vous à clore -------------------------------------------------------------


@counselor_required
def to_close(request):
    counselor = request.user.counselor
    now = timezone.now()
    page = Paginator(queries.to_close(counselor, now), TO_CLOSE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for appointment in page.object_list:
        appointment.current_state = appointment.state(now)
    return render(
        request,
        "agenda/counselor/to_close.html",
        {"page": page, "counselor": counselor, "active_section": "to_close"},
    )
