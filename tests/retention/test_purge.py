"""The retention rules, with the clock moved forward: each deletion and each survivor."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from passemploi.accounts.models import User, YoungPerson
from passemploi.actions.models import Action
from passemploi.agenda.models import Appointment, AppointmentChange
from passemploi.audit.models import AuditEvent, AuditKind
from passemploi.retention import services
from passemploi.retention.models import DeletionWarning
from tests.factories import (
    ActionFactory,
    AppointmentFactory,
    CounselorFactory,
    UserFactory,
    YoungPersonFactory,
)

T0 = dt.datetime(2024, 1, 15, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def people(db):
    with at(T0):
        counselor = CounselorFactory()
        quiet = YoungPersonFactory(counselor=counselor)
        active = YoungPersonFactory(counselor=counselor)
        staff = UserFactory(is_staff=True)
    return counselor, quiet, active, staff


def sign_in(user, moment):
    user.last_login = moment
    user.save(update_fields=["last_login"])


class TestInactiveAccounts:
    def test_warned_a_month_before_then_deleted(self, people):
        counselor, quiet, active, staff = people
        sign_in(active.user, T0 + 400 * DAY)
        # 700 days after creation: not yet within a month of the two years.
        services.purge_all(T0 + 699 * DAY)
        assert mail.outbox == []
        services.purge_all(T0 + 701 * DAY)
        warned = {m.to[0] for m in mail.outbox}
        # The quiet young person and the counselor (no sign-in since creation); never staff.
        assert warned == {quiet.user.email, counselor.user.email}
        body = next(m.body for m in mail.outbox if m.to == [quiet.user.email])
        assert "15/01/2026" in body  # two years after the last activity
        services.purge_all(T0 + 702 * DAY)
        assert len(mail.outbox) == 2  # warned once
        # Two years passed, but the warning is not a month old yet: kept.
        services.purge_all(T0 + 730 * DAY + DAY / 2)
        assert YoungPerson.objects.filter(pk=quiet.pk).exists()
        report = services.purge_all(T0 + 732 * DAY)
        assert not User.objects.filter(pk=quiet.user.pk).exists()
        assert not YoungPerson.objects.filter(pk=quiet.pk).exists()
        # The counselor still follows young people: kept until they are reassigned.
        assert User.objects.filter(pk=counselor.user.pk).exists()
        assert report["Comptes inactifs supprimés"] == 1
        assert User.objects.filter(pk=active.user.pk).exists()
        assert User.objects.filter(pk=staff.pk).exists()
        event = AuditEvent.objects.get(kind=AuditKind.ACCOUNT_DELETED)
        assert event.target_id == str(quiet.user.pk)
        assert quiet.user.email not in str(event.details)

    def test_a_sign_in_after_the_warning_cancels_the_deletion(self, people):
        _, quiet, _, _ = people
        services.purge_all(T0 + 701 * DAY)
        assert DeletionWarning.objects.filter(user=quiet.user).exists()
        sign_in(quiet.user, T0 + 710 * DAY)
        services.purge_all(T0 + 735 * DAY)
        assert User.objects.filter(pk=quiet.user.pk).exists()
        assert not DeletionWarning.objects.filter(user=quiet.user).exists()

    def test_the_mobile_app_counts_as_activity(self, people):
        from passemploi.accounts import tokens

        _, quiet, _, _ = people
        with at(T0 + 500 * DAY):
            tokens.issue_token_pair(quiet.user)
        services.purge_all(T0 + 735 * DAY)
        assert not DeletionWarning.objects.filter(user=quiet.user).exists()
        assert User.objects.filter(pk=quiet.user.pk).exists()


class TestAccompanimentData:
    def test_actions_two_years_after_their_due_date(self, people):
        _, quiet, _, _ = people
        old = ActionFactory(young_person=quiet, due_date=dt.date(2024, 1, 10))
        recent = ActionFactory(young_person=quiet, due_date=dt.date(2024, 3, 1))
        services.purge_actions(dt.datetime(2026, 1, 20, tzinfo=dt.UTC))
        assert not Action.objects.filter(pk=old.pk).exists()
        assert Action.objects.filter(pk=recent.pk).exists()

    def test_appointments_and_their_change_log(self, people):
        counselor, *_ = people
        old = AppointmentFactory(counselor=counselor, starts_at=T0)
        recent = AppointmentFactory(counselor=counselor, starts_at=T0 + 100 * DAY)
        change_old = AppointmentChange.objects.create(
            appointment=recent, at=T0 + 100 * DAY, event="updated"
        )
        change_new = AppointmentChange.objects.create(
            appointment=recent, at=T0 + 500 * DAY, event="updated"
        )
        report = services.purge_all(T0 + 731 * DAY)
        assert not Appointment.objects.filter(pk=old.pk).exists()
        assert Appointment.objects.filter(pk=recent.pk).exists()
        assert not AppointmentChange.objects.filter(pk=change_old.pk).exists()
        assert AppointmentChange.objects.filter(pk=change_new.pk).exists()
        assert report["Rendez-vous et sessions (après leur date)"] == 1

    def test_a_second_run_finds_nothing(self, people):
        _, quiet, _, _ = people
        ActionFactory(young_person=quiet, due_date=dt.date(2020, 1, 1))
        now = timezone.now()
        first = services.purge_all(now)
        second = services.purge_all(now)
        assert first["Actions (après leur échéance)"] == 1
        assert all(count == 0 for count in second.values()), second


def test_a_failing_rule_does_not_stop_the_others(people, monkeypatch):
    _, quiet, _, _ = people
    ActionFactory(young_person=quiet, due_date=dt.date(2020, 1, 1))

    def broken(now):
        raise RuntimeError("boom")

    rules = [services.Rule("audit", "Cassée", broken), *services.RULES]
    monkeypatch.setattr(services, "RULES", rules)
    report = services.purge_all()
    assert report["Cassée"] == -1
    assert report["Actions (après leur échéance)"] == 1


def test_every_rule_has_a_period_and_a_documented_basis(settings):
    from pathlib import Path

    doc = (Path(settings.BASE_DIR) / "docs" / "data-retention.md").read_text()
    for rule in services.RULES:
        assert rule.key in settings.DATA_RETENTION_DAYS
        assert f"`{rule.key}`" in doc, rule.key


def test_command_prints_the_report(people, capsys):
    call_command("purge_data")
    assert "Journal de sécurité: 0" in capsys.readouterr().out


class TestOffersAndStatistics:
    def test_favourites_after_six_months_alerts_after_two_years(self, people):
        from passemploi.offers.models import Favourite
        from passemploi.offers.models_alerts import Alert
        from tests.offers.factories import OfferFactory

        _, quiet, _, _ = people
        now = timezone.now()
        old_favourite = Favourite.objects.create(young_person=quiet, offer=OfferFactory())
        new_favourite = Favourite.objects.create(young_person=quiet, offer=OfferFactory())
        Favourite.objects.filter(pk=old_favourite.pk).update(updated_at=now - 190 * DAY)
        Favourite.objects.filter(pk=new_favourite.pk).update(updated_at=now - 100 * DAY)
        old_alert = Alert.objects.create(young_person=quiet, name="Vieille", criteria={"q": "x"})
        new_alert = Alert.objects.create(young_person=quiet, name="Récente", criteria={"q": "y"})
        Alert.objects.filter(pk=old_alert.pk).update(created_at=now - 740 * DAY)
        services.purge_all(now)
        assert list(Favourite.objects.values_list("pk", flat=True)) == [new_favourite.pk]
        assert list(Alert.objects.values_list("pk", flat=True)) == [new_alert.pk]

    def test_engagement_events_are_anonymised_after_13_months(self, people):
        from passemploi.stats.models import EngagementEvent

        _, quiet, _, _ = people
        now = timezone.now()
        old = EngagementEvent.objects.create(
            occurred_at=now - 400 * DAY,
            actor_kind="young_person",
            actor_id=quiet.user.pk,
            kind="sign_in",
        )
        recent = EngagementEvent.objects.create(
            occurred_at=now - 300 * DAY,
            actor_kind="young_person",
            actor_id=quiet.user.pk,
            kind="sign_in",
        )
        assert services.purge_all(now)["Événements d'usage anonymisés"] == 1
        old.refresh_from_db()
        recent.refresh_from_db()
        assert old.actor_id == services.ANONYMOUS
        assert old.kind == "sign_in"  # the fact stays, not whose it was
        assert recent.actor_id == quiet.user.pk
