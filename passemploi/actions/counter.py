"""The weekly hour counter (compteur d'heures) of the CEJ's 15-20 hours a week.

Weeks run Monday to Sunday in the young person's structure time zone. Action dates are stored
as local calendar dates, so a week is a plain date range and summer time changes nothing.
Each source returns {young_person_id: (declared, validated)} for many young people in one query;
the agenda adds its own source (appointments, sessions) to SOURCES.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Case, DecimalField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from passemploi.actions.enums import DEFAULT_HOURS, ActionStatus
from passemploi.actions.models import Action

ZERO = Decimal(0)
WEEKLY_TARGET = Decimal(15)


@dataclass(frozen=True)
class Week:
    start: date  # Monday

    @property
    def end(self) -> date:  # Sunday
        return self.start + timedelta(days=6)

    def shift(self, weeks: int) -> "Week":
        return Week(self.start + timedelta(weeks=weeks))

    @classmethod
    def of(cls, day: date) -> "Week":
        return cls(day - timedelta(days=day.weekday()))


def local_today(young_person, now: datetime | None = None) -> date:
    """Today's date where the young person's structure is (overseas agencies included)."""
    return local_date(young_person, now or timezone.now())


def local_date(young_person, moment: datetime) -> date:
    zone = zoneinfo.ZoneInfo(young_person.structure.time_zone)
    return moment.astimezone(zone).date()


@dataclass(frozen=True)
class Hours:
    declared: Decimal = ZERO
    validated: Decimal = ZERO

    def __add__(self, other: "Hours") -> "Hours":
        return Hours(self.declared + other.declared, self.validated + other.validated)

    @property
    def encouragement(self) -> str:
        return encouragement(self.declared)


def encouragement(hours: Decimal) -> str:
    if hours < 5:
        return "C'est parti ! Chaque action compte : ajoutez ce que vous faites cette semaine."
    if hours < 10:
        return "Beau début de semaine, continuez sur cette lancée."
    if hours < WEEKLY_TARGET:
        return "Très bien, vous y êtes presque !"
    if hours == WEEKLY_TARGET:
        return "Bravo, vous avez atteint vos 15 heures cette semaine !"
    return "Excellent, vous dépassez l'objectif de la semaine !"


def _default_hours_case():
    return Case(
        *[When(category=code, then=Value(hours)) for code, hours in DEFAULT_HOURS.items()],
        default=Value(ZERO),
        output_field=DecimalField(max_digits=4, decimal_places=1),
    )


def action_hours(young_person_ids, week: Week) -> dict:
    """Declared: done this week, or in progress and due this week (qualified hours, else the
    category default). Validated: qualified done actions only."""
    decimal = DecimalField(max_digits=6, decimal_places=1)
    hours = Coalesce("qualified_hours", _default_hours_case(), output_field=decimal)
    rows = (
        Action.objects.filter(young_person_id__in=young_person_ids)
        .filter(
            Q(status=ActionStatus.DONE, end_date__range=(week.start, week.end))
            | Q(status=ActionStatus.IN_PROGRESS, due_date__range=(week.start, week.end))
        )
        .values("young_person_id")
        .annotate(
            declared=Sum(hours, output_field=decimal),
            validated=Sum(
                Case(
                    When(
                        status=ActionStatus.DONE,
                        qualified_at__isnull=False,
                        then="qualified_hours",
                    ),
                    default=Value(ZERO),
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


SOURCES = [action_hours]


def hours_for(young_person_ids, week: Week) -> dict:
    """{young_person_id: Hours} for many young people: one query per source, whatever the count."""
    ids = list(young_person_ids)
    totals = {pk: Hours() for pk in ids}
    for source in SOURCES:
        for pk, hours in source(ids, week).items():
            totals[pk] = totals[pk] + hours
    return totals


def hours_of(young_person, week: Week | None = None) -> Hours:
    week = week or Week.of(local_today(young_person))
    return hours_for([young_person.pk], week)[young_person.pk]
