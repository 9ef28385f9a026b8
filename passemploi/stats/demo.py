"""Twelve weeks of demo engagement history, so the charts of a fresh demo mean something.

The demo accounts are few; pseudonymous synthetic people (random identifiers, no account, no
name) are added in demo structures' kinds and in several regions. Rerunning replaces them."""

import random
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from passemploi.accounts.enums import StructureKind
from passemploi.accounts.models import Counselor, Structure, YoungPerson
from passemploi.stats.enums import ActorKind, EventKind
from passemploi.stats.models import EngagementEvent
from passemploi.stats.regions import region_of

DEMO_TYPE = "demo"
WEEKS = 12
DEPARTEMENTS = ["75", "93", "69", "13", "59", "33", "31", "35", "67", "974"]
YOUNG_KINDS = [
    EventKind.SIGN_IN,
    EventKind.SIGN_IN,
    EventKind.MESSAGE_SENT,
    EventKind.MESSAGE_SENT,
    EventKind.ACTION_CREATED,
    EventKind.ACTION_DONE,
    EventKind.OFFER_SAVED,
    EventKind.APPOINTMENT_ATTENDED,
    EventKind.OFFER_APPLIED,
]
COUNSELOR_KINDS = [
    EventKind.SIGN_IN,
    EventKind.MESSAGE_SENT,
    EventKind.MESSAGE_SENT,
    EventKind.ACTION_CREATED,
    EventKind.APPOINTMENT_CREATED,
]


def _people(rng):
    """(actor kind, id, structure id, kind, département, weekly activity probability)."""
    people = []
    for yp in YoungPerson.objects.filter(is_archived=False).select_related("structure"):
        s = yp.structure
        people.append((ActorKind.YOUNG_PERSON, yp.pk, s.pk, s.kind, s.departement, 0.8))
    for c in Counselor.objects.select_related("structure"):
        s = c.structure
        people.append((ActorKind.COUNSELOR, c.pk, s.pk, s.kind, s.departement, 0.95))
    structures = list(Structure.objects.values_list("pk", "kind", "departement"))
    kinds = list(StructureKind.values)
    for n in range(360):
        departement = DEPARTEMENTS[n % len(DEPARTEMENTS)]
        kind = kinds[n % len(kinds)]
        structure_id = next((pk for pk, k, _ in structures if k == kind), None)
        people.append(
            (
                ActorKind.YOUNG_PERSON,
                uuid.UUID(int=rng.getrandbits(128)),
                structure_id,
                kind,
                departement,
                rng.uniform(0.3, 0.9),
            )
        )
        if n % 9 == 0:
            people.append(
                (
                    ActorKind.COUNSELOR,
                    uuid.UUID(int=rng.getrandbits(128)),
                    structure_id,
                    kind,
                    departement,
                    0.95,
                )
            )
    return people


@transaction.atomic
def seed_history(now=None) -> int:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    now = now or timezone.now()
    EngagementEvent.objects.filter(object_type=DEMO_TYPE).delete()
    events = []
    for actor_kind, actor_id, structure_id, kind, departement, activity in _people(rng):
        # Later weeks a little busier: the service is growing.
        for week in range(WEEKS):
            if rng.random() > activity * (0.7 + 0.3 * week / WEEKS):
                continue
            choices = YOUNG_KINDS if actor_kind == ActorKind.YOUNG_PERSON else COUNSELOR_KINDS
            for _ in range(rng.randint(1, 5)):
                at = now - timedelta(
                    days=7 * (WEEKS - 1 - week) + rng.randint(0, 6), minutes=rng.randint(0, 600)
                )
                if at > now:
                    at = now
                events.append(
                    EngagementEvent(
                        occurred_at=at,
                        actor_kind=actor_kind,
                        actor_id=actor_id,
                        kind=rng.choice(choices),
                        object_type=DEMO_TYPE,
                        structure_id=structure_id,
                        structure_kind=kind,
                        departement=departement,
                        region=region_of(departement),
                    )
                )
    EngagementEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)
