"""The agenda's share of the weekly hour counter (actions.counter.SOURCES).

Declared: appointments and sessions of the week the young person is expected at (or was present
at), not cancelled: ATELIER 4 h, INFORMATION_COLLECTIVE 3 h, other types 1 h.
Validated: the same, for attendances marked present.
"""

from decimal import Decimal

from django.db.models import Case, DecimalField, Sum, Value, When

from passemploi.actions.counter import Hours
from passemploi.agenda.enums import COUNTER_HOURS, DEFAULT_COUNTER_HOURS, HOLDING_SEAT, Attendance
from passemploi.agenda.models import Participation


def _type_hours():
    return Case(
        *[When(appointment__type=t, then=Value(h)) for t, h in COUNTER_HOURS.items()],
        default=Value(DEFAULT_COUNTER_HOURS),
        output_field=DecimalField(max_digits=4, decimal_places=1),
    )


def appointment_hours(young_person_ids, week) -> dict:
    decimal = DecimalField(max_digits=6, decimal_places=1)
    rows = (
        Participation.objects.filter(
            young_person_id__in=young_person_ids,
            attendance__in=HOLDING_SEAT,
            appointment__canceled_at__isnull=True,
            appointment__local_date__range=(week.start, week.end),
        )
        .values("young_person_id")
        .annotate(
            declared=Sum(_type_hours(), output_field=decimal),
            validated=Sum(
                Case(
                    When(attendance=Attendance.PRESENT, then=_type_hours()),
                    default=Value(Decimal(0)),
                    output_field=decimal,
                ),
                output_field=decimal,
            ),
        )
    )
    return {
        row["young_person_id"]: Hours(Decimal(row["declared"]), Decimal(row["validated"]))
        for row in rows
    }
