"""Accueil ("Cette semaine"): every block of the home page, in a constant number of queries."""

from dataclasses import dataclass

from passemploi.actions.timeline import WeekSummary, week_summary
from passemploi.agenda.young import (
    AgendaSummary,
    agenda_summary,
    registration_open,
    seats_left,
    sessions_for,
)
from passemploi.offers.models import Favourite
from passemploi.youth.alerts import alerts_of
from passemploi.youth.models import YouthSettings
from passemploi.youth.toolbox import TOOLS

SESSIONS_SHOWN = 3
FAVOURITES_SHOWN = 3
ALERTS_SHOWN = 3


@dataclass(frozen=True)
class HomeSummary:
    week: WeekSummary
    agenda: AgendaSummary
    sessions: list  # upcoming sessions of the structure open to registration, not joined yet
    favourites: list  # the most recently updated followed offers
    favourite_count: int
    alerts: list  # the young person's offer alerts (saved searches), most recent first
    tools: list
    onboarded: bool


def _worth_joining(young_person) -> list:
    sessions = []
    for session in sessions_for(young_person):
        if session.my_attendance is not None or not registration_open(session):
            continue
        if session.max_participants and not seats_left(session, session.taken):
            continue
        sessions.append(session)
        if len(sessions) == SESSIONS_SHOWN:
            break
    return sessions


def home_summary(young_person) -> HomeSummary:
    favourites = Favourite.objects.filter(young_person=young_person)
    return HomeSummary(
        week=week_summary(young_person),
        agenda=agenda_summary(young_person),
        sessions=_worth_joining(young_person),
        favourites=list(favourites.select_related("offer")[:FAVOURITES_SHOWN]),
        favourite_count=favourites.count(),
        alerts=alerts_of(young_person, ALERTS_SHOWN),
        tools=TOOLS[:3],
        onboarded=YouthSettings.objects.filter(
            young_person=young_person, onboarded_at__isnull=False
        ).exists(),
    )
