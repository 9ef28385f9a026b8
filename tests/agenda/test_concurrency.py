"""The last seat of a session is decided in the database: 20 young people, 5 seats, all at once.

Only PostgreSQL can show it: each thread has its own connection and transaction, and register()
locks the session row (SELECT … FOR UPDATE) while it counts the seats taken. SQLite serialises
every write anyway and Django ignores select_for_update() there.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from passemploi.agenda import registrations
from passemploi.agenda.enums import Attendance
from passemploi.agenda.models import Participation
from passemploi.core.errors import ServiceError
from tests.factories import AppointmentFactory, CounselorFactory, YoungPersonFactory

SEATS = 5
CANDIDATES = 20

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent transactions and row locks (SQLite has neither)",
    ),
    pytest.mark.django_db(transaction=True),
]


def register_all_at_once(session, young_people) -> list[str]:
    """Each young person registers in their own thread, released together by a barrier.
    Returns one outcome per thread: "ok" or the refusal's code."""
    barrier = threading.Barrier(len(young_people))
    outcomes = []
    lock = threading.Lock()

    def attempt(young_person):
        try:
            barrier.wait(timeout=30)
            try:
                registrations.register(young_person.user, session, young_person)
                outcome = "ok"
            except ServiceError as error:
                outcome = error.code
            except Exception as error:  # noqa: BLE001 - reported below, not swallowed
                outcome = f"{type(error).__name__}: {error}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(yp,)) for yp in young_people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a registration hung"
    return outcomes


def test_twenty_young_people_five_seats_exactly_five_registered():
    counselor = CounselorFactory()
    session = AppointmentFactory(
        counselor=counselor,
        session=True,
        max_participants=SEATS,
        starts_at=timezone.now() + timedelta(days=7),
    )
    young_people = [
        YoungPersonFactory(counselor=CounselorFactory(structure=counselor.structure))
        for _ in range(CANDIDATES)
    ]
    for young_person in young_people:  # fetched in the threads: load it now
        assert young_person.user.young_person == young_person

    outcomes = register_all_at_once(session, young_people)

    assert len(outcomes) == CANDIDATES
    assert outcomes.count("ok") == SEATS, outcomes
    assert outcomes.count("session_full") == CANDIDATES - SEATS, outcomes
    participations = Participation.objects.filter(appointment=session)
    assert participations.count() == SEATS
    assert participations.filter(attendance=Attendance.EXPECTED).count() == SEATS
    assert session.changes.filter(event="registered").count() == SEATS
