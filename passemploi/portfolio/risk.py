"""Dropout early warning (alerte décrochage): simple, explainable rules over a few signals.

Each rule of settings.DROPOUT_RISK adds its weight to a score when its threshold is reached and
gives one plain French reason; the score gives the level. docs/dropout-risk.md explains the rules.
Computed in bulk (a fixed number of queries per time zone, whatever the number of young people)
by `refresh_risks` (nightly, command `compute_dropout_risk`) and on demand for one file.
"""

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from passemploi.accounts.models import YoungPerson
from passemploi.actions.counter import Week, hours_for
from passemploi.portfolio.enums import RiskLevel
from passemploi.portfolio.models import DropoutRisk
from passemploi.portfolio.signals import with_risk_signals


@dataclass
class Assessment:
    level: str
    score: int
    reasons: list[str] = field(default_factory=list)
    signals: dict = field(default_factory=dict)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def _days_since(moment: datetime | None, fallback: datetime, now: datetime) -> tuple[int, bool]:
    """Whole days since `moment`, else since `fallback` (True when it never happened)."""
    return max(0, (now - (moment or fallback)).days), moment is None


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f} h".replace(".", ",")


def assess(young_person, *, today: date, now: datetime, weekly_hours: list[Decimal]) -> Assessment:
    """The level of one young person annotated by `signals.with_risk_signals`.
    `weekly_hours`: declared hours of the last four complete weeks, oldest first."""
    rules = settings.DROPOUT_RISK
    hits: list[tuple[int, str]] = []
    created = young_person.user.date_joined

    days, never = _days_since(young_person.last_sign_in, created, now)
    if days >= rules["no_sign_in"]["days"]:
        reason = (
            f"Aucune connexion depuis la création du compte, il y a {_plural(days, 'jour')}"
            if never
            else f"Aucune connexion depuis {_plural(days, 'jour')}"
        )
        hits.append((rules["no_sign_in"]["weight"], reason))
    silent, never_wrote = _days_since(young_person.last_message_at, created, now)
    if silent >= rules["no_message"]["days"]:
        reason = (
            f"Aucun message de sa part depuis son arrivée, il y a {_plural(silent, 'jour')}"
            if never_wrote
            else f"Aucun message de sa part depuis {_plural(silent, 'jour')}"
        )
        hits.append((rules["no_message"]["weight"], reason))
    if young_person.unanswered >= rules["unanswered_messages"]["count"]:
        hits.append(
            (
                rules["unanswered_messages"]["weight"],
                f"{_plural(young_person.unanswered, 'message')} du conseiller sans réponse",
            )
        )
    missed_rule = rules["missed_appointments"]
    if young_person.missed >= missed_rule["count"]:
        counted = min(young_person.missed, missed_rule["max_count"])
        noun = "rendez-vous manqué" + ("s" if young_person.missed > 1 else "")
        hits.append(
            (
                missed_rule["weight"] * counted,
                f"{young_person.missed} {noun} en {missed_rule['days'] // 7} semaines",
            )
        )
    if young_person.late >= rules["late_actions"]["count"]:
        hits.append(
            (rules["late_actions"]["weight"], f"{_plural(young_person.late, 'action')} en retard")
        )
    earlier, recent = sum(weekly_hours[:2], Decimal(0)), sum(weekly_hours[2:], Decimal(0))
    if (
        young_person.hour_counter_enabled
        and earlier > 0
        and recent <= earlier * Decimal(str(1 - rules["hours_drop"]["ratio"]))
    ):
        hits.append(
            (
                rules["hours_drop"]["weight"],
                f"Heures déclarées en baisse : {_hours(earlier)} puis {_hours(recent)} "
                "sur deux semaines",
            )
        )
    weeks_left = None
    if young_person.planned_end_date:
        days_left = (young_person.planned_end_date - today).days
        weeks_left = days_left // 7 if days_left >= 0 else None
        if weeks_left is not None and days_left <= rules["end_near"]["weeks"] * 7:
            left = "moins d'une semaine" if weeks_left == 0 else _plural(weeks_left, "semaine")
            hits.append((rules["end_near"]["weight"], f"Fin d'accompagnement dans {left}"))

    hits.sort(key=lambda hit: -hit[0])
    score = sum(weight for weight, _ in hits)
    levels = rules["levels"]
    level = (
        RiskLevel.HIGH
        if score >= levels["high"]
        else RiskLevel.MEDIUM
        if score >= levels["medium"]
        else RiskLevel.LOW
    )
    return Assessment(
        level=level,
        score=score,
        reasons=[reason for _, reason in hits],
        signals={
            "days_since_sign_in": days,
            "days_since_message": silent,
            "unanswered_messages": young_person.unanswered,
            "missed_appointments": young_person.missed,
            "late_actions": young_person.late,
            "weekly_hours": [float(hours) for hours in weekly_hours],
            "weeks_left": weeks_left,
        },
    )


def assess_many(young_people, now: datetime | None = None) -> dict:
    """{young_person_id: Assessment} for a YoungPerson queryset: a fixed number of queries per
    time zone of their structures (one for the signals, four weeks of hours)."""
    now = now or timezone.now()
    missed_days = settings.DROPOUT_RISK["missed_appointments"]["days"]
    by_zone = defaultdict(list)
    for pk, zone in young_people.values_list("pk", "structure__time_zone"):
        by_zone[zone].append(pk)
    results = {}
    for zone, ids in by_zone.items():
        today = now.astimezone(zoneinfo.ZoneInfo(zone)).date()
        rows = list(
            with_risk_signals(
                YoungPerson.objects.filter(pk__in=ids).select_related("user"),
                today=today,
                now=now,
                missed_days=missed_days,
            )
        )
        current = Week.of(today)
        weeks = [hours_for(ids, current.shift(-back)) for back in (4, 3, 2, 1)]
        for row in rows:
            hours = [week[row.pk].declared for week in weeks]
            results[row.pk] = assess(row, today=today, now=now, weekly_hours=hours)
    return results


def refresh_risks(young_people=None, now: datetime | None = None) -> int:
    """Recompute and store the level of every active young person (or of the given queryset);
    archived people lose theirs. Idempotent. Returns the number of rows written."""
    now = now or timezone.now()
    active = YoungPerson.objects.filter(is_archived=False)
    if young_people is not None:
        active = active.filter(pk__in=young_people.values("pk"))
    results = assess_many(active, now)
    with transaction.atomic():
        if young_people is None:
            DropoutRisk.objects.exclude(young_person_id__in=list(results)).delete()
        DropoutRisk.objects.bulk_create(
            [
                DropoutRisk(
                    young_person_id=pk,
                    level=result.level,
                    score=result.score,
                    reasons=result.reasons,
                    signals=result.signals,
                    computed_at=now,
                )
                for pk, result in results.items()
            ],
            update_conflicts=True,
            unique_fields=["young_person"],
            update_fields=["level", "score", "reasons", "signals", "computed_at"],
        )
    return len(results)


def refresh_one(young_person) -> DropoutRisk | None:
    """On demand for one file: recompute, store and return the young person's level (None
    once archived)."""
    refresh_risks(YoungPerson.objects.filter(pk=young_person.pk))
    return DropoutRisk.objects.filter(young_person=young_person).first()
