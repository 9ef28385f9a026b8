"""What the young person's pages show of their actions: Mon suivi's weeks and Accueil's summary.
Mon suivi's days also list the young person's appointments and sessions (agenda.young).

Read-only helpers over counter.Week: a week runs Monday to Sunday in the young person's
structure time zone, and "today" is counter.local_today, never the server's date.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import formats

from passemploi.actions.counter import Hours, Week, hours_of, local_today
from passemploi.actions.enums import ActionStatus
from passemploi.actions.models import Action
from passemploi.agenda.young import by_local_date

# ?semaine= further than this from today falls back to the current week.
MAX_WEEKS_AWAY = 52 * 5
CLOSED = [ActionStatus.DONE, ActionStatus.CANCELED]


def _day(day: date, month: bool = True, year: bool = False) -> str:
    """ "lundi 2 mars", "mardi 1er avril 2026" (French ordinal for the first of the month)."""
    text = f"{formats.date_format(day, 'l')} {'1er' if day.day == 1 else day.day}"
    if month:
        text += f" {formats.date_format(day, 'F')}"
    if year:
        text += f" {day.year}"
    return text


def long_day(day: date) -> str:
    """ "lundi 1er décembre 2026"."""
    return _day(day, year=True)


def day_label(day: date) -> str:
    """ "Lundi 2 mars"."""
    return _day(day).capitalize()


def span_label(week: Week) -> str:
    """ "du lundi 2 au dimanche 8 mars 2026", the months and years said only when they change."""
    start, end = week.start, week.end
    first = _day(start, month=start.month != end.month, year=start.year != end.year)
    return f"du {first} au {_day(end, year=True)}"


def week_label(week: Week, current: Week) -> str:
    offset = (week.start - current.start).days // 7
    if offset == 0:
        return "Cette semaine"
    if offset == 1:
        return "Semaine prochaine"
    if offset == -1:
        return "Semaine dernière"
    return "Semaine " + span_label(week)


def parse_week(value: str | None, today: date) -> Week:
    """The week of ?semaine=YYYY-MM-DD (any day of it); the current week when absent or odd."""
    current = Week.of(today)
    if not value:
        return current
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return current
    if abs((day - today).days) > MAX_WEEKS_AWAY * 7:
        return current
    return Week.of(day)


@dataclass
class Day:
    date: date
    label: str
    is_today: bool
    actions: list = field(default_factory=list)
    appointments: list = field(default_factory=list)


@dataclass
class WeekView:
    week: Week
    label: str
    span: str
    is_current: bool
    days: list[Day]

    @property
    def count(self) -> int:
        return sum(len(day.actions) for day in self.days)

    @property
    def appointment_count(self) -> int:
        return sum(len(day.appointments) for day in self.days)


def weeks(young_person, first: Week, today: date, count: int = 2) -> list[WeekView]:
    """`count` weeks from `first`, day by day, with their actions and appointments: two queries
    whatever their number. Each action gets `late` (Action.is_late on the local today)."""
    last = first.shift(count - 1)
    by_day = defaultdict(list)
    for action in Action.objects.filter(
        young_person=young_person, due_date__range=(first.start, last.end)
    ).order_by("due_date", "created_at", "pk"):
        action.late = action.is_late(today)
        by_day[action.due_date].append(action)
    appointments = by_local_date(young_person, first.start, last.end)
    current = Week.of(today)
    views = []
    for offset in range(count):
        week = first.shift(offset)
        days = []
        for index in range(7):
            day = week.start + timedelta(days=index)
            days.append(
                Day(
                    day,
                    day_label(day),
                    day == today,
                    by_day.get(day, []),
                    appointments.get(day, []),
                )
            )
        views.append(
            WeekView(week, week_label(week, current), span_label(week), week == current, days)
        )
    return views


@dataclass(frozen=True)
class WeekSummary:
    week: Week
    due: int  # due this week, not cancelled
    done: int  # of those, done
    late: int  # due before today, neither done nor cancelled (any week)
    hours: Hours | None  # only when the counselor has switched the counter on


def week_summary(young_person, today: date | None = None) -> WeekSummary:
    """Accueil's "Cette semaine": one query (two with the hour counter)."""
    today = today or local_today(young_person)
    week = Week.of(today)
    this_week = Q(due_date__range=(week.start, week.end)) & ~Q(status=ActionStatus.CANCELED)
    counts = Action.objects.filter(young_person=young_person).aggregate(
        due=Count("pk", filter=this_week),
        done=Count("pk", filter=this_week & Q(status=ActionStatus.DONE)),
        late=Count("pk", filter=Q(due_date__lt=today) & ~Q(status__in=CLOSED)),
    )
    hours = hours_of(young_person, week) if young_person.hour_counter_enabled else None
    return WeekSummary(week, counts["due"], counts["done"], counts["late"], hours)
