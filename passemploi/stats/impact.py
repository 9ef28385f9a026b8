"""The four impact measures of the pilotage dashboard, computed for a set of structures and a
period [start, end) of local dates; docs/impact-measures.md gives each definition."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q

from passemploi.accounts.models import YoungPerson
from passemploi.actions.counter import Week, hours_for
from passemploi.actions.enums import CreatorRole
from passemploi.actions.models import Action
from passemploi.chat.enums import SenderRole
from passemploi.chat.models import Message
from passemploi.portfolio.enums import POSITIVE_REASONS, ArchiveReason
from passemploi.portfolio.models import Archive
from passemploi.stats.enums import ActorKind
from passemploi.stats.models import EngagementEvent
from passemploi.stats.services import ZONE

INACTIVE_DAYS = 30
EXCHANGE_GAP = timedelta(hours=24)
HOURS_WEEKS = 4
DURABLE_REASONS = frozenset(
    {ArchiveReason.LASTING_JOB, ArchiveReason.PERMANENT_CONTRACT, ArchiveReason.LONG_FIXED_TERM}
)


@dataclass
class Period:
    start: date  # included
    end: date  # excluded

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> "Period":
        return Period(self.start - timedelta(days=self.days), self.start)

    def instants(self) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time.min, tzinfo=ZONE),
            datetime.combine(self.end, time.min, tzinfo=ZONE),
        )


@dataclass
class Ratio:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def _scope(queryset, structure_ids, path="structure_id"):
    return queryset if structure_ids is None else queryset.filter(**{f"{path}__in": structure_ids})


def _live_archives(structure_ids):
    return _scope(
        Archive.objects.filter(restored_at__isnull=True),
        structure_ids,
        "young_person__structure_id",
    )


def followed(structure_ids, period: Period):
    """Young people in accompaniment during the period: started before its end, and not
    archived (for good) before its start."""
    start, _ = period.instants()
    archived_before = Archive.objects.filter(
        young_person=OuterRef("pk"), restored_at__isnull=True, archived_at__lt=start
    )
    return _scope(
        YoungPerson.objects.filter(start_date__lt=period.end).exclude(Exists(archived_before)),
        structure_ids,
    )


def _activity(since: datetime, until: datetime):
    return EngagementEvent.objects.filter(
        actor_kind=ActorKind.YOUNG_PERSON,
        actor_id=OuterRef("pk"),
        occurred_at__gte=since,
        occurred_at__lt=until,
    )


def dropout(structure_ids, period: Period) -> Ratio:
    start, end = period.instants()
    people = followed(structure_ids, period)
    quit_ = Archive.objects.filter(
        young_person=OuterRef("pk"),
        restored_at__isnull=True,
        reason=ArchiveReason.DROPOUT,
        archived_at__gte=start,
        archived_at__lt=end,
    )
    archived = Archive.objects.filter(
        young_person=OuterRef("pk"), restored_at__isnull=True, archived_at__lt=end
    )
    silent = (
        Q(start_date__lte=period.end - timedelta(days=INACTIVE_DAYS))
        & ~Exists(archived)
        & ~Exists(_activity(end - timedelta(days=INACTIVE_DAYS), end))
    )
    return Ratio(people.filter(Exists(quit_) | silent).count(), people.count())


def active(structure_ids, period: Period) -> Ratio:
    people = followed(structure_ids, period)
    return Ratio(people.filter(Exists(_activity(*period.instants()))).count(), people.count())


def actions_by_young_people(structure_ids, period: Period) -> Ratio:
    start, end = period.instants()
    actions = _scope(
        Action.objects.filter(created_at__gte=start, created_at__lt=end),
        structure_ids,
        "young_person__structure_id",
    )
    own = actions.filter(creator_role=CreatorRole.YOUNG_PERSON).count()
    return Ratio(own, actions.count())


def exchanges_started_by_young_people(structure_ids, period: Period) -> Ratio:
    """A message starts an exchange when it is the first of its conversation or comes more than
    24 hours after the previous one."""
    start, end = period.instants()
    rows = _scope(
        Message.objects.filter(created_at__gte=start - EXCHANGE_GAP, created_at__lt=end).exclude(
            sender_role=SenderRole.SYSTEM
        ),
        structure_ids,
        "conversation__young_person__structure_id",
    ).values_list("conversation_id", "created_at", "sender_role")
    started = by_young = 0
    previous = {}
    for conversation_id, created_at, role in rows.order_by("conversation_id", "seq"):
        last = previous.get(conversation_id)
        previous[conversation_id] = created_at
        if created_at < start:
            continue
        if last is None or created_at - last > EXCHANGE_GAP:
            started += 1
            by_young += role == SenderRole.YOUNG_PERSON
    return Ratio(by_young, started)


def hours_per_week(structure_ids, period: Period) -> tuple[float | None, int]:
    """Mean hours declared per young person and week, over the last complete weeks of the
    period, for the young people whose hour counter is on. Returns (mean, person-weeks)."""
    ids = list(
        followed(structure_ids, period)
        .filter(hour_counter_enabled=True)
        .values_list("pk", flat=True)
    )
    last = Week.of(period.end - timedelta(days=7))
    weeks = [last.shift(-i) for i in range(HOURS_WEEKS) if last.shift(-i).start >= period.start]
    if not ids or not weeks:
        return None, 0
    total = sum(h.declared for week in weeks for h in hours_for(ids, week).values())
    basis = len(ids) * len(weeks)
    return float(total) / basis, basis


def days_to_durable_job(structure_ids, period: Period) -> tuple[float | None, int]:
    start, end = period.instants()
    rows = _live_archives(structure_ids).filter(
        reason__in=DURABLE_REASONS, archived_at__gte=start, archived_at__lt=end
    )
    days = [
        (end_date - started).days
        for end_date, started in rows.values_list("end_date", "young_person__start_date")
    ]
    return (statistics.median(days) if days else None), len(days)


def positive_exits(structure_ids, period: Period) -> Ratio:
    start, end = period.instants()
    exits = _live_archives(structure_ids).filter(archived_at__gte=start, archived_at__lt=end)
    return Ratio(exits.filter(reason__in=POSITIVE_REASONS).count(), exits.count())
