from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from passemploi.accounts.models import ApiToken
from passemploi.chat import services as chat
from passemploi.chat.models import Message
from passemploi.portfolio.models import DropoutRisk
from passemploi.portfolio.risk import assess_many, refresh_risks
from tests.factories import (
    ActionFactory,
    AppointmentFactory,
    ParticipationFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def young(counselor, *, signed_in_days_ago=0, **kwargs):
    now = timezone.now()
    kwargs.setdefault("user__last_login", now - signed_in_days_ago * DAY)
    return YoungPersonFactory(counselor=counselor, user__date_joined=now - 90 * DAY, **kwargs)


def say(young_person, sender, days_ago, body="Bonjour"):
    message, _ = chat.send_message(sender, chat.conversation_of(young_person), body)
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - days_ago * DAY)


def missed(young_person, days_ago):
    ParticipationFactory(
        young_person=young_person,
        appointment=AppointmentFactory(
            counselor=young_person.counselor, starts_at=timezone.now() - days_ago * DAY
        ),
        attendance="absent",
    )


def assessment(young_person):
    return assess_many(type(young_person).objects.filter(pk=young_person.pk))[young_person.pk]


def test_an_active_young_person_is_low(counselor):
    yp = young(counselor)
    say(yp, yp.user, 1)
    say(yp, counselor.user, 0)
    result = assessment(yp)
    assert (result.level, result.score, result.reasons) == ("low", 0, [])


def test_silent_three_weeks_with_a_missed_appointment_is_high(counselor):
    yp = young(counselor, signed_in_days_ago=21)
    say(yp, yp.user, 21)
    missed(yp, 10)
    result = assessment(yp)
    assert result.level == "high"
    assert result.reasons == [
        "Aucune connexion depuis 21 jours",
        "1 rendez-vous manqué en 4 semaines",
        "Aucun message de sa part depuis 21 jours",
    ]
    assert result.score == 8


def test_medium_from_unanswered_messages_and_late_actions(counselor):
    yp = young(counselor)
    say(yp, yp.user, 3)
    say(yp, counselor.user, 2)
    say(yp, counselor.user, 1)
    for _ in range(3):
        ActionFactory(young_person=yp, due_date=timezone.localdate() - 5 * DAY)
    ActionFactory(young_person=yp, due_date=timezone.localdate() - 5 * DAY, done=True)
    result = assessment(yp)
    assert result.level == "medium"
    assert result.reasons == ["2 messages du conseiller sans réponse", "3 actions en retard"]


def test_latest_api_token_counts_as_a_sign_in(counselor):
    yp = young(counselor, signed_in_days_ago=30)
    say(yp, yp.user, 1)
    ApiToken.objects.create(
        user=yp.user,
        kind="access",
        token_hash="x" * 64,
        family="6f1c2a52-1111-4a4a-9a9a-000000000001",
        expires_at=timezone.now() + DAY,
    )
    assert assessment(yp).reasons == []


def test_never_signed_in_and_old_missed_appointments(counselor):
    yp = young(counselor, user__last_login=None)
    missed(yp, 40)  # outside the 4 weeks
    result = assessment(yp)
    assert result.reasons == [
        "Aucune connexion depuis la création du compte, il y a 90 jours",
        "Aucun message de sa part depuis son arrivée, il y a 90 jours",
    ]
    assert result.level == "medium"


def test_hours_drop_and_end_near(counselor):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    yp = young(counselor, hour_counter_enabled=True, planned_end_date=today + 15 * DAY)
    say(yp, yp.user, 0)
    for weeks_back in (4, 3):
        ActionFactory(young_person=yp, done=True, due_date=monday - timedelta(weeks=weeks_back))
    result = assessment(yp)
    assert result.reasons[0].startswith("Heures déclarées en baisse : ")
    assert result.reasons[1] == "Fin d'accompagnement dans 2 semaines"
    assert result.signals["weeks_left"] == 2


def test_weights_and_thresholds_come_from_settings(counselor, settings):
    settings.DROPOUT_RISK = {
        **settings.DROPOUT_RISK,
        "no_sign_in": {"days": 3, "weight": 9},
    }
    yp = young(counselor, signed_in_days_ago=4)
    say(yp, yp.user, 0)
    result = assessment(yp)
    assert (result.level, result.reasons) == ("high", ["Aucune connexion depuis 4 jours"])


def test_refresh_stores_rows_in_constant_queries(counselor, django_assert_max_num_queries):
    people = [young(counselor, signed_in_days_ago=20) for _ in range(3)]
    archived = young(counselor, is_archived=True)
    DropoutRisk.objects.create(
        young_person=archived, level="high", score=9, computed_at=timezone.now()
    )
    with django_assert_max_num_queries(16) as small:
        refresh_risks()
    for _ in range(20):
        young(counselor)
    with django_assert_max_num_queries(16) as large:
        refresh_risks()
    assert len(small.captured_queries) == len(large.captured_queries)
    stored = DropoutRisk.objects.get(young_person=people[0])
    assert stored.level == "medium"
    assert stored.reasons[0] == "Aucune connexion depuis 20 jours"
    assert not DropoutRisk.objects.filter(young_person=archived).exists()
    assert DropoutRisk.objects.count() == 23


def test_command(counselor):
    young(counselor)
    call_command("compute_dropout_risk")
    assert DropoutRisk.objects.get().level == "low"
