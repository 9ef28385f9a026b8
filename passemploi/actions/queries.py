"""Reads behind the counselor's pages: each a fixed number of queries, whatever the row count."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from passemploi.accounts.access import portfolio_of
from passemploi.actions.counter import Week
from passemploi.actions.enums import ActionStatus
from passemploi.actions.models import Action

CLOSED = (ActionStatus.DONE, ActionStatus.CANCELED)


def today_in(structure, now=None) -> date:
    """Today's date in a structure's time zone (the counselor's, for their portfolio)."""
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(structure.time_zone)).date()


def late_counts(young_person_ids, today: date) -> dict:
    """{young_person_id: number of late actions}, in one aggregate query."""
    rows = (
        Action.objects.filter(young_person_id__in=list(young_person_ids), due_date__lt=today)
        .exclude(status__in=CLOSED)
        .values("young_person_id")
        .annotate(late=Count("id"))
        .order_by()
    )
    return {row["young_person_id"]: row["late"] for row in rows}


def actions_of(young_person, *, status: str = "", category: str = ""):
    """A young person's actions, most recent first, by the day each falls on: its actual end
    date once done, else its due date (the day the hour counter counts it in)."""
    actions = (
        Action.objects.filter(young_person=young_person)
        .select_related("created_by")
        .annotate(day=Coalesce(F("end_date"), F("due_date")), comment_count=Count("comments"))
        .order_by("-day", "-created_at", "-id")
    )
    if status:
        actions = actions.filter(status=status)
    if category:
        actions = actions.filter(category=category)
    return actions


def to_qualify(counselor):
    """Every done, unqualified action of the counselor's portfolio, oldest end date first."""
    return (
        Action.objects.filter(
            young_person__in=portfolio_of(counselor),
            status=ActionStatus.DONE,
            qualified_at__isnull=True,
        )
        .select_related("young_person__user")
        .order_by("end_date", "young_person__user__last_name", "created_at", "id")
    )


def week_label(week: Week, today: date) -> str:
    current = Week.of(today)
    if week == current:
        prefix = "Cette semaine, "
    elif week == current.shift(1):
        prefix = "Semaine prochaine, "
    elif week == current.shift(-1):
        prefix = "Semaine dernière, "
    else:
        prefix = ""
    if week.start.month == week.end.month:
        span = f"du {date_format(week.start, 'j')} au {date_format(week.end, 'j F Y')}"
    elif week.start.year == week.end.year:
        span = f"du {date_format(week.start, 'j F')} au {date_format(week.end, 'j F Y')}"
    else:
        span = f"du {date_format(week.start, 'j F Y')} au {date_format(week.end, 'j F Y')}"
    label = f"{prefix}{span}" if prefix else f"Semaine {span}"
    return label[0].upper() + label[1:]


@dataclass
class WeekGroup:
    week: Week
    label: str
    actions: list = field(default_factory=list)


def group_by_week(actions, today: date) -> list[WeekGroup]:
    """Consecutive actions (already sorted by day, most recent first) grouped by their week;
    each action gets `is_late` for today."""
    groups: list[WeekGroup] = []
    for action in actions:
        action.late = action.is_late(today)
        week = Week.of(action.day)
        if not groups or groups[-1].week != week:
            groups.append(WeekGroup(week, week_label(week, today)))
        groups[-1].actions.append(action)
    return groups
