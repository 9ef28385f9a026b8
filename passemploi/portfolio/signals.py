"""Per young person figures read in bulk: every one is a correlated subquery annotated on a
YoungPerson queryset, so a portfolio of any size costs one query (the hour counter adds one per
source and week). Shared by the dropout early warning, the portfolio and the file."""

from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest

from passemploi.accounts.models import ApiToken
from passemploi.actions.enums import ActionStatus
from passemploi.actions.models import Action, ActionHistory
from passemploi.agenda.enums import Attendance
from passemploi.agenda.models import Participation
from passemploi.chat.enums import SenderRole
from passemploi.chat.models import Message

CLOSED_ACTIONS = (ActionStatus.DONE, ActionStatus.CANCELED)


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated queryset, as an integer annotation (0 when empty)."""

    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def _latest(queryset, field: str):
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def _own_messages():
    return Message.objects.filter(
        conversation__young_person=OuterRef("pk"), sender_role=SenderRole.YOUNG_PERSON
    )


def with_activity(young_people):
    """last_sign_in, last_message_at (from the young person), last_action_at (their own changes
    to actions) and last_activity, the latest of the three."""
    young_people = young_people.annotate(
        last_sign_in=Greatest(
            F("user__last_login"),
            _latest(ApiToken.objects.filter(user_id=OuterRef("user_id")), "created_at"),
        ),
        last_message_at=_latest(_own_messages(), "created_at"),
        last_action_at=_latest(
            ActionHistory.objects.filter(
                action__young_person=OuterRef("pk"), actor_id=OuterRef("user_id")
            ),
            "at",
        ),
    )
    # PostgreSQL's GREATEST skips NULLs: null only when there was no activity at all.
    return young_people.annotate(
        last_activity=Greatest("last_sign_in", "last_message_at", "last_action_at")
    )


def with_risk_signals(young_people, *, today: date, now: datetime, missed_days: int):
    """The dropout early warning's signals, except the hours (see counter.hours_for)."""
    last_own_seq = Subquery(
        Message.objects.filter(
            conversation=OuterRef("conversation"), sender_role=SenderRole.YOUNG_PERSON
        )
        .order_by("-seq")
        .values("seq")[:1]
    )
    return with_activity(young_people).annotate(
        unanswered=SubqueryCount(
            Message.objects.filter(
                conversation__young_person=OuterRef("pk"), sender_role=SenderRole.COUNSELOR
            )
            .filter(seq__gt=Coalesce(last_own_seq, 0))
            .values("pk")
        ),
        missed=SubqueryCount(
            Participation.objects.filter(
                young_person=OuterRef("pk"),
                attendance=Attendance.ABSENT,
                appointment__canceled_at__isnull=True,
                appointment__starts_at__gte=now - timedelta(days=missed_days),
                appointment__starts_at__lte=now,
            ).values("pk")
        ),
        late=late_count(today),
    )


def late_count(today: date):
    return SubqueryCount(
        Action.objects.filter(young_person=OuterRef("pk"), due_date__lt=today)
        .exclude(status__in=CLOSED_ACTIONS)
        .values("pk")
    )


def with_portfolio_figures(young_people, *, today: date, now: datetime, since: datetime):
    """Unread messages each side, actions created since `since` and late, next appointment."""
    return with_activity(young_people).annotate(
        unread_mine=SubqueryCount(
            Message.objects.filter(
                conversation__young_person=OuterRef("pk"),
                sender_role=SenderRole.YOUNG_PERSON,
                seq__gt=F("conversation__counselor_read_seq"),
            ).values("pk")
        ),
        unread_theirs=SubqueryCount(
            Message.objects.filter(conversation__young_person=OuterRef("pk"))
            .exclude(sender_role=SenderRole.YOUNG_PERSON)
            .filter(seq__gt=F("conversation__young_person_read_seq"))
            .values("pk")
        ),
        actions_created=SubqueryCount(
            Action.objects.filter(young_person=OuterRef("pk"), created_at__gte=since).values("pk")
        ),
        late=late_count(today),
        next_appointment=Subquery(
            Participation.objects.filter(
                young_person=OuterRef("pk"),
                attendance=Attendance.EXPECTED,
                appointment__canceled_at__isnull=True,
                appointment__starts_at__gte=now,
            )
            .order_by("appointment__starts_at")
            .values("appointment__starts_at")[:1]
        ),
        risk_level=F("dropout_risk__level"),
        risk_score=F("dropout_risk__score"),
        risk_reasons=F("dropout_risk__reasons"),
    )


def period_indicators(young_person, *, start: datetime, end: datetime, today: date, zone) -> dict:
    """The file's indicators over [start, end): one aggregate query per source."""
    start_day, end_day = start.astimezone(zone).date(), end.astimezone(zone).date()
    actions = Action.objects.filter(young_person=young_person).aggregate(
        created=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        done=Count(
            "pk",
            filter=Q(status=ActionStatus.DONE, end_date__gte=start_day, end_date__lt=end_day),
        ),
        late=Count(
            "pk",
            filter=Q(due_date__gte=start_day, due_date__lt=min(end_day, today))
            & ~Q(status__in=CLOSED_ACTIONS),
        ),
    )
    in_period = Q(
        appointment__starts_at__gte=start,
        appointment__starts_at__lt=end,
        appointment__canceled_at__isnull=True,
    )
    appointments = Participation.objects.filter(young_person=young_person).aggregate(
        planned=Count("pk", filter=in_period & ~Q(attendance=Attendance.UNREGISTERED)),
        attended=Count("pk", filter=in_period & Q(attendance=Attendance.PRESENT)),
        missed=Count("pk", filter=in_period & Q(attendance=Attendance.ABSENT)),
    )
    messages = Message.objects.filter(
        conversation__young_person=young_person, created_at__gte=start, created_at__lt=end
    ).aggregate(
        from_young_person=Count("pk", filter=Q(sender_role=SenderRole.YOUNG_PERSON)),
        from_counselor=Count("pk", filter=Q(sender_role=SenderRole.COUNSELOR)),
    )
    return {"actions": actions, "appointments": appointments, "messages": messages}
