"""Domain rules of actions: creation, edits, status, comments, qualification, auto-qualification."""

import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from passemploi.actions import services
from passemploi.actions.enums import ActionStatus, CreatorRole
from passemploi.actions.models import Action, ActionComment, ActionHistory
from passemploi.actions.services import months_ago
from passemploi.core.errors import ServiceError
from tests.factories import (
    ActionFactory,
    StructureFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

# A Wednesday, 11:00 in Paris: "today" is 14 January 2026 for a metropolitan young person.
NOW = datetime(2026, 1, 14, 10, 0, tzinfo=UTC)
TODAY = date(2026, 1, 14)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@contextmanager
def refused(code, status=400):
    """Expect a ServiceError with this code and HTTP status."""
    with pytest.raises(ServiceError) as info:
        yield info
    assert info.value.code == code, info.value.code
    assert info.value.status == status


def create(young_person, actor=None, **fields):
    fields.setdefault("title", "Rédiger mon CV")
    fields.setdefault("category", "EMPLOI")
    fields.setdefault("due_date", TODAY)
    return services.create_action(
        actor=actor or young_person.user, young_person=young_person, **fields
    )


def done_action(young_person, **fields):
    return ActionFactory(young_person=young_person, done=True, **fields)


class TestCreateAction:
    def test_creates_with_a_stripped_title_and_records_history(self, young_person):
        action, created = create(young_person, title="  Rédiger mon CV \n", description=" cv ")
        assert created is True
        action.refresh_from_db()
        assert action.title == "Rédiger mon CV"
        assert action.description == "cv"
        assert action.status == ActionStatus.NOT_STARTED
        assert action.creator_role == CreatorRole.YOUNG_PERSON
        assert action.created_by == young_person.user
        assert action.reminder is True
        assert action.start_date is None and action.end_date is None
        (entry,) = action.history.all()
        assert entry.event == "created"
        assert entry.actor == young_person.user
        assert entry.changes == {"status": ["", "À faire"]}

    def test_a_counselor_creates_as_counselor(self, young_person, counselor):
        action, _ = create(young_person, actor=counselor.user)
        assert action.creator_role == CreatorRole.COUNSELOR
        assert action.created_by == counselor.user

    @pytest.mark.parametrize(
        ("title", "code"),
        [("", "title_required"), ("   ", "title_required"), (None, "title_required")]
        + [("x" * 256, "title_too_long")],
    )
    def test_bad_title_refused_and_nothing_saved(self, young_person, title, code):
        with refused(code) as info:
            create(young_person, title=title)
        assert info.value.field == "title"
        assert not Action.objects.exists()
        assert not ActionHistory.objects.exists()

    def test_title_of_exactly_255_characters_accepted(self, young_person):
        action, _ = create(young_person, title="x" * 255)
        assert len(action.title) == 255

    def test_unknown_category_refused(self, young_person):
        with refused("invalid_category"):
            create(young_person, category="NON_SNP")
        with refused("invalid_category"):
            create(young_person, category="emploi")
        assert not Action.objects.exists()

    def test_unknown_status_refused(self, young_person):
        with refused("invalid_status"):
            create(young_person, status="finished")
        assert not Action.objects.exists()

    def test_missing_due_date_refused(self, young_person):
        with refused("due_date_required"):
            create(young_person, due_date=None)

    @pytest.mark.parametrize("days", [730, -730])
    def test_due_date_up_to_two_years_away_accepted(self, young_person, days):
        action, _ = create(young_person, due_date=TODAY + timedelta(days=days))
        assert action.due_date == TODAY + timedelta(days=days)

    @pytest.mark.parametrize("days", [731, -731, 5000])
    def test_due_date_more_than_two_years_away_refused(self, young_person, days):
        with refused("due_date_out_of_range") as info:
            create(young_person, due_date=TODAY + timedelta(days=days))
        assert info.value.field == "due_date"
        assert not Action.objects.exists()

    def test_in_progress_at_creation_starts_today(self, young_person):
        action, _ = create(
            young_person, status=ActionStatus.IN_PROGRESS, due_date=TODAY + timedelta(3)
        )
        assert action.start_date == TODAY
        assert action.end_date is None

    def test_done_at_creation_in_the_past_ends_on_its_due_date(self, young_person):
        past = TODAY - timedelta(days=3)
        action, _ = create(young_person, status=ActionStatus.DONE, due_date=past)
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE
        assert action.end_date == past
        assert action.start_date == past
        assert action.history.get().changes == {"status": ["", "Terminée"]}

    def test_done_at_creation_in_the_future_ends_today(self, young_person):
        action, _ = create(young_person, status=ActionStatus.DONE, due_date=TODAY + timedelta(5))
        assert action.end_date == TODAY
        assert action.start_date == TODAY

    def test_same_client_id_returns_the_first_action(self, young_person):
        client_id = uuid.uuid4()
        first, created = create(young_person, client_id=client_id)
        again, created_again = create(young_person, client_id=client_id, title="Autre titre")
        assert created is True and created_again is False
        assert again.pk == first.pk
        assert again.title == "Rédiger mon CV"
        assert Action.objects.count() == 1
        assert ActionHistory.objects.count() == 1

    def test_client_id_is_per_author(self, young_person, counselor):
        client_id = uuid.uuid4()
        mine, _ = create(young_person, client_id=client_id)
        theirs, created = create(young_person, actor=counselor.user, client_id=client_id)
        assert created is True
        assert theirs.pk != mine.pk

    def test_a_young_person_cannot_create_for_another(self, young_person):
        other = YoungPersonFactory(counselor=young_person.counselor)
        with refused("not_found", status=404):
            create(other, actor=young_person.user)
        assert not Action.objects.exists()

    def test_today_is_the_young_persons_local_date(self):
        # 22:30 UTC on Wednesday 14 January is already Thursday 15 in La Réunion.
        reunion = YoungPersonFactory(counselor__structure=StructureFactory(overseas=True))
        with time_machine.travel(datetime(2026, 1, 14, 22, 30, tzinfo=UTC), tick=False):
            action, _ = create(reunion, status=ActionStatus.DONE, due_date=date(2026, 1, 20))
        assert action.end_date == date(2026, 1, 15)


class TestCreateOnDates:
    def test_one_action_per_date_duplicates_merged(self, young_person):
        days = [TODAY + timedelta(days=n) for n in (2, 0, 1, 2, 0)]
        actions = services.create_actions_on_dates(
            dates=days,
            actor=young_person.user,
            young_person=young_person,
            title="Faire du sport",
            category="CULTURE_SPORT_LOISIRS",
        )
        assert [a.due_date for a in actions] == [TODAY + timedelta(days=n) for n in (0, 1, 2)]
        assert Action.objects.filter(title="Faire du sport").count() == 3

    def test_fourteen_dates_accepted_fifteen_refused(self, young_person):
        fields = {
            "actor": young_person.user,
            "young_person": young_person,
            "title": "Réviser",
            "category": "PROJET_PROFESSIONNEL",
        }
        with refused("too_many_dates"):
            services.create_actions_on_dates(
                dates=[TODAY + timedelta(days=n) for n in range(15)], **fields
            )
        assert not Action.objects.exists()
        actions = services.create_actions_on_dates(
            dates=[TODAY + timedelta(days=n) for n in range(14)] + [TODAY], **fields
        )
        assert len(actions) == 14

    def test_no_date_refused(self, young_person):
        with refused("due_date_required"):
            services.create_actions_on_dates(
                dates=[],
                actor=young_person.user,
                young_person=young_person,
                title="Réviser",
                category="PROJET_PROFESSIONNEL",
            )

    def test_one_bad_date_saves_nothing(self, young_person):
        with refused("due_date_out_of_range"):
            services.create_actions_on_dates(
                dates=[TODAY, TODAY + timedelta(days=800)],
                actor=young_person.user,
                young_person=young_person,
                title="Réviser",
                category="PROJET_PROFESSIONNEL",
            )
        assert not Action.objects.exists()

    def test_a_client_id_makes_the_whole_batch_idempotent(self, young_person):
        client_id = uuid.uuid4()
        fields = {
            "dates": [TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=2)],
            "actor": young_person.user,
            "young_person": young_person,
            "title": "Faire du sport",
            "category": "CULTURE_SPORT_LOISIRS",
            "client_id": client_id,
        }
        first = services.create_actions_on_dates(**fields)
        assert len({a.pk for a in first}) == 3
        again = services.create_actions_on_dates(**fields)
        assert [a.pk for a in again] == [a.pk for a in first]
        assert Action.objects.count() == 3


class TestCreateForMany:
    def test_one_action_per_young_person(self, counselor):
        people = YoungPersonFactory.create_batch(3, counselor=counselor)
        actions = services.create_action_for_many(
            actor=counselor.user,
            young_people=people,
            title="Mettre à jour son CV",
            category="EMPLOI",
            due_date=TODAY,
        )
        assert sorted(a.young_person_id for a in actions) == sorted(p.pk for p in people)
        assert all(a.creator_role == CreatorRole.COUNSELOR for a in actions)
        assert ActionHistory.objects.filter(event="created").count() == 3

    def test_nobody_refused(self, counselor):
        with refused("young_people_required"):
            services.create_action_for_many(
                actor=counselor.user, young_people=[], title="CV", category="EMPLOI", due_date=TODAY
            )

    def test_bad_input_saves_nothing(self, counselor):
        people = YoungPersonFactory.create_batch(2, counselor=counselor)
        with refused("title_required"):
            services.create_action_for_many(
                actor=counselor.user,
                young_people=people,
                title=" ",
                category="EMPLOI",
                due_date=TODAY,
            )
        assert not Action.objects.exists()

    def test_a_client_id_gives_each_young_person_their_action(self, counselor):
        people = YoungPersonFactory.create_batch(3, counselor=counselor)
        fields = {
            "actor": counselor.user,
            "young_people": people,
            "title": "Mettre à jour son CV",
            "category": "EMPLOI",
            "due_date": TODAY,
            "client_id": uuid.uuid4(),
        }
        actions = services.create_action_for_many(**fields)
        assert sorted(a.young_person_id for a in actions) == sorted(p.pk for p in people)
        again = services.create_action_for_many(**fields)
        assert [a.pk for a in again] == [a.pk for a in actions]
        assert Action.objects.count() == 3


class TestUpdateAction:
    def test_changes_are_recorded_with_display_values(self, young_person):
        action = ActionFactory(
            young_person=young_person,
            title="CV",
            category="EMPLOI",
            due_date=date(2026, 1, 20),
            description="",
        )
        services.update_action(
            young_person.user,
            action,
            title=" Mon CV ",
            category="FORMATION",
            due_date=date(2026, 1, 22),
            description="À relire",
            reminder=False,
        )
        action.refresh_from_db()
        assert action.title == "Mon CV"
        assert action.category == "FORMATION"
        assert action.due_date == date(2026, 1, 22)
        assert action.reminder is False
        entry = action.history.get(event="updated")
        assert entry.actor == young_person.user
        assert entry.changes == {
            "title": ["CV", "Mon CV"],
            "category": ["Emploi", "Formation"],
            "due_date": ["20/01/2026", "22/01/2026"],
            "description": ["—", "À relire"],
            "reminder": ["oui", "non"],
        }

    def test_no_change_no_history(self, young_person):
        action = ActionFactory(young_person=young_person, title="CV")
        services.update_action(young_person.user, action, title="  CV  ")
        assert not action.history.exists()

    def test_bad_values_refused(self, young_person):
        action = ActionFactory(young_person=young_person, title="CV")
        with refused("title_required"):
            services.update_action(young_person.user, action, title="")
        with refused("invalid_category"):
            services.update_action(young_person.user, action, category="NON_SNP")
        with refused("due_date_out_of_range"):
            services.update_action(young_person.user, action, due_date=TODAY + timedelta(800))
        action.refresh_from_db()
        assert action.title == "CV"
        assert not action.history.exists()

    def test_qualified_action_refused(self, young_person, counselor):
        action = done_action(young_person)
        services.qualify_action(counselor.user, action)
        for actor in (counselor.user, young_person.user):
            with refused("action_qualified", status=409):
                services.update_action(actor, action, title="Autre")
        action.refresh_from_db()
        assert action.title != "Autre"

    def test_young_person_cannot_edit_a_counselor_action(self, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True, title="CV")
        with refused("not_allowed", status=403):
            services.update_action(young_person.user, action, title="Autre")
        action.refresh_from_db()
        assert action.title == "CV"

    def test_counselor_edits_the_young_persons_action(self, young_person, counselor):
        action = ActionFactory(young_person=young_person)
        services.update_action(counselor.user, action, title="Corrigé")
        assert action.history.get().actor == counselor.user

    @pytest.mark.parametrize("field", ["status", "qualified_hours", "young_person", "end_date"])
    def test_unknown_field_refused(self, young_person, field):
        action = ActionFactory(young_person=young_person, title="CV")
        with refused("unknown_field") as info:
            services.update_action(young_person.user, action, title="Autre", **{field: "x"})
        assert info.value.field == field
        action.refresh_from_db()
        assert action.title == "CV"


class TestChangeStatus:
    def test_in_progress_sets_start_date(self, young_person):
        action = ActionFactory(young_person=young_person, due_date=TODAY + timedelta(days=3))
        services.change_status(young_person.user, action, ActionStatus.IN_PROGRESS)
        action.refresh_from_db()
        assert action.status == ActionStatus.IN_PROGRESS
        assert action.start_date == TODAY
        assert action.end_date is None
        entry = action.history.get()
        assert entry.event == "status"
        assert entry.actor == young_person.user
        assert entry.changes == {"status": ["À faire", "En cours"]}

    def test_done_sets_end_date_today_and_keeps_start(self, young_person):
        action = ActionFactory(
            young_person=young_person, in_progress=True, start_date=date(2026, 1, 10)
        )
        services.change_status(young_person.user, action, ActionStatus.DONE)
        action.refresh_from_db()
        assert action.end_date == TODAY
        assert action.start_date == date(2026, 1, 10)

    def test_done_without_start_starts_at_the_earliest_of_due_and_today(self, young_person):
        late = ActionFactory(young_person=young_person, due_date=date(2026, 1, 5))
        early = ActionFactory(young_person=young_person, due_date=date(2026, 1, 30))
        services.change_status(young_person.user, late, ActionStatus.DONE)
        services.change_status(young_person.user, early, ActionStatus.DONE)
        assert (late.start_date, late.end_date) == (date(2026, 1, 5), TODAY)
        assert (early.start_date, early.end_date) == (TODAY, TODAY)

    @pytest.mark.parametrize(
        ("time_zone", "local_day"),
        [("Europe/Paris", date(2026, 1, 11)), ("Indian/Reunion", date(2026, 1, 12))],
    )
    def test_done_uses_the_young_persons_local_date(self, time_zone, local_day):
        # Sunday 11 January 2026, 22:30 UTC: 23:30 on Sunday in Paris, 02:30 on Monday in
        # La Réunion.
        young_person = YoungPersonFactory(
            counselor__structure=StructureFactory(time_zone=time_zone)
        )
        action = ActionFactory(young_person=young_person, due_date=date(2026, 1, 11))
        with time_machine.travel(datetime(2026, 1, 11, 22, 30, tzinfo=UTC), tick=False):
            services.change_status(young_person.user, action, ActionStatus.DONE)
        action.refresh_from_db()
        assert action.end_date == local_day

    @pytest.mark.parametrize("status", [ActionStatus.IN_PROGRESS, ActionStatus.NOT_STARTED])
    def test_back_from_done_clears_end_date(self, young_person, status):
        action = done_action(young_person, start_date=TODAY)
        services.change_status(young_person.user, action, status)
        action.refresh_from_db()
        assert action.status == status
        assert action.end_date is None
        assert action.history.get().changes == {"status": ["Terminée", ActionStatus(status).label]}

    def test_canceled(self, young_person):
        action = ActionFactory(young_person=young_person, in_progress=True, start_date=TODAY)
        services.change_status(young_person.user, action, ActionStatus.CANCELED)
        action.refresh_from_db()
        assert action.status == ActionStatus.CANCELED
        assert action.end_date is None
        assert action.is_late(TODAY + timedelta(days=30)) is False

    def test_same_status_is_a_no_op(self, young_person):
        action = ActionFactory(young_person=young_person)
        services.change_status(young_person.user, action, ActionStatus.NOT_STARTED)
        assert not action.history.exists()

    def test_unknown_status_refused(self, young_person):
        action = ActionFactory(young_person=young_person)
        with refused("invalid_status"):
            services.change_status(young_person.user, action, "finished")

    def test_qualified_action_refused(self, young_person, counselor):
        action = done_action(young_person)
        services.qualify_action(counselor.user, action)
        with refused("action_qualified", status=409):
            services.change_status(young_person.user, action, ActionStatus.IN_PROGRESS)
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE
        assert not action.history.filter(event="status").exists()

    def test_young_person_may_progress_a_counselor_action(self, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True)
        services.change_status(young_person.user, action, ActionStatus.DONE)
        assert action.status == ActionStatus.DONE

    def test_history_follows_every_transition(self, young_person, counselor):
        action = ActionFactory(young_person=young_person)
        services.change_status(young_person.user, action, ActionStatus.IN_PROGRESS)
        services.change_status(young_person.user, action, ActionStatus.DONE)
        services.change_status(counselor.user, action, ActionStatus.IN_PROGRESS)
        assert [(h.actor, h.changes["status"]) for h in action.history.all()] == [
            (young_person.user, ["À faire", "En cours"]),
            (young_person.user, ["En cours", "Terminée"]),
            (counselor.user, ["Terminée", "En cours"]),
        ]


class TestDuplicate:
    def test_young_person_duplicates_their_action_for_today(self, young_person):
        action = done_action(
            young_person,
            title="Faire du sport",
            category="CULTURE_SPORT_LOISIRS",
            description="Course",
            due_date=date(2026, 1, 2),
            reminder=False,
        )
        copy = services.duplicate_action(young_person.user, action)
        assert copy.pk != action.pk
        assert (copy.title, copy.category, copy.description, copy.reminder) == (
            "Faire du sport",
            "CULTURE_SPORT_LOISIRS",
            "Course",
            False,
        )
        assert copy.status == ActionStatus.NOT_STARTED
        assert copy.due_date == TODAY
        assert copy.end_date is None
        assert copy.creator_role == CreatorRole.YOUNG_PERSON
        assert copy.history.get().event == "created"

    def test_young_person_cannot_duplicate_a_counselor_action(self, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True)
        with refused("not_allowed", status=403):
            services.duplicate_action(young_person.user, action)
        assert Action.objects.count() == 1

    def test_counselor_duplicates_any_action_even_qualified(self, young_person, counselor):
        action = done_action(young_person)
        services.qualify_action(counselor.user, action)
        copy = services.duplicate_action(counselor.user, action)
        assert copy.creator_role == CreatorRole.COUNSELOR
        assert not copy.is_qualified


class TestDelete:
    def test_young_person_deletes_their_action(self, young_person):
        action = ActionFactory(young_person=young_person)
        services.delete_action(young_person.user, action)
        assert not Action.objects.exists()

    def test_young_person_cannot_delete_a_counselor_action(self, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True)
        with refused("not_allowed", status=403):
            services.delete_action(young_person.user, action)
        assert Action.objects.exists()

    def test_counselor_deletes_the_young_persons_action(self, young_person, counselor):
        action = ActionFactory(young_person=young_person)
        services.delete_action(counselor.user, action)
        assert not Action.objects.exists()

    def test_nobody_deletes_a_qualified_action(self, young_person, counselor):
        action = done_action(young_person)
        services.qualify_action(counselor.user, action)
        for actor in (young_person.user, counselor.user):
            with refused("action_qualified", status=409):
                services.delete_action(actor, action)
        assert Action.objects.exists()


class TestComments:
    def test_comment_stripped_and_saved(self, young_person, counselor):
        action = ActionFactory(young_person=young_person)
        comment = services.add_comment(counselor.user, action, "  Bravo !  ")
        assert comment.body == "Bravo !"
        assert comment.author == counselor.user
        assert list(action.comments.all()) == [comment]

    @pytest.mark.parametrize(
        ("body", "code"),
        [("", "comment_required"), ("  \n ", "comment_required"), (None, "comment_required")]
        + [("x" * 2001, "comment_too_long")],
    )
    def test_bad_comment_refused(self, young_person, body, code):
        action = ActionFactory(young_person=young_person)
        with refused(code):
            services.add_comment(young_person.user, action, body)
        assert not ActionComment.objects.exists()

    def test_comment_of_2000_characters_accepted(self, young_person):
        action = ActionFactory(young_person=young_person)
        assert len(services.add_comment(young_person.user, action, "x" * 2000).body) == 2000


class TestQualify:
    def test_defaults_from_the_action(self, young_person, counselor):
        action = done_action(
            young_person,
            category="FORMATION",
            title="Atelier",
            description="CV",
            start_date=date(2026, 1, 12),
            due_date=date(2026, 1, 13),
        )
        services.qualify_action(counselor.user, action)
        action.refresh_from_db()
        assert action.is_qualified
        assert action.qualified_at == NOW
        assert action.qualified_by == counselor.user
        assert action.qualification_code == "FORMATION"
        assert action.qualified_hours == Decimal(3)
        assert action.qualification_comment == "Atelier - CV"
        assert (action.start_date, action.end_date) == (date(2026, 1, 12), date(2026, 1, 13))
        entry = action.history.get()
        assert entry.event == "qualified"
        assert entry.actor == counselor.user
        assert entry.changes["qualification_code"] == ["", "Formation"]

    @pytest.mark.parametrize(("code", "hours"), [("EMPLOI", 3), ("SANTE", 2), ("LOGEMENT", 2)])
    def test_hours_default_to_the_codes(self, young_person, counselor, code, hours):
        action = done_action(young_person, category="EMPLOI")
        services.qualify_action(counselor.user, action, code=code, hours="")
        action.refresh_from_db()
        assert action.qualification_code == code
        assert action.qualified_hours == Decimal(hours)

    @pytest.mark.parametrize("hours", [None, "", "7", "abc", "-1", "150"])
    def test_non_snp_is_always_zero_hours(self, young_person, counselor, hours):
        action = done_action(young_person)
        services.qualify_action(counselor.user, action, code="NON_SNP", hours=hours)
        action.refresh_from_db()
        assert action.qualification_code == "NON_SNP"
        assert action.qualified_hours == Decimal(0)

    @pytest.mark.parametrize(
        ("hours", "expected"),
        [("2.5", "2.5"), (4, "4"), (Decimal("99.9"), "99.9"), ("0", "0"), (1.5, "1.5")],
    )
    def test_posted_hours_kept(self, young_person, counselor, hours, expected):
        action = done_action(young_person)
        services.qualify_action(counselor.user, action, hours=hours)
        action.refresh_from_db()
        assert action.qualified_hours == Decimal(expected)

    @pytest.mark.parametrize(
        "hours", ["-0.5", "100", "99.95", "abc", "1.25", "NaN", "Infinity", "sNaN", "1,5"]
    )
    def test_invalid_hours_refused(self, young_person, counselor, hours):
        action = done_action(young_person)
        with refused("invalid_hours") as info:
            services.qualify_action(counselor.user, action, hours=hours)
        assert info.value.field == "hours"
        action.refresh_from_db()
        assert not action.is_qualified

    @pytest.mark.parametrize(
        "status", [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.CANCELED]
    )
    def test_only_done_actions(self, young_person, counselor, status):
        action = ActionFactory(young_person=young_person, status=status, title="Sport")
        with refused("action_not_done", status=409) as info:
            services.qualify_action(counselor.user, action)
        assert "« Sport »" in info.value.message
        action.refresh_from_db()
        assert not action.is_qualified

    def test_not_twice(self, young_person, counselor):
        action = done_action(young_person)
        services.qualify_action(counselor.user, action, hours="1")
        with refused("action_qualified", status=409):
            services.qualify_action(counselor.user, action, hours="5")
        action.refresh_from_db()
        assert action.qualified_hours == Decimal(1)

    def test_unknown_code_refused(self, young_person, counselor):
        action = done_action(young_person)
        with refused("invalid_code"):
            services.qualify_action(counselor.user, action, code="SPORT")

    def test_comment_defaults_to_title_and_description_truncated(self, young_person, counselor):
        action = done_action(young_person, title="T" * 200, description="D" * 200)
        services.qualify_action(counselor.user, action)
        action.refresh_from_db()
        assert action.qualification_comment == ("T" * 200 + " - " + "D" * 200)[:255]
        assert len(action.qualification_comment) == 255

    def test_comment_without_description_is_the_title(self, young_person, counselor):
        action = done_action(young_person, title="Sport", description="")
        services.qualify_action(counselor.user, action)
        assert action.qualification_comment == "Sport"

    def test_posted_comment_kept_and_too_long_refused(self, young_person, counselor):
        action = done_action(young_person)
        with refused("comment_too_long"):
            services.qualify_action(counselor.user, action, comment="x" * 256)
        services.qualify_action(counselor.user, action, comment="  " + "x" * 255 + " ")
        assert action.qualification_comment == "x" * 255

    def test_dates_posted_and_end_before_start_refused(self, young_person, counselor):
        action = done_action(young_person, due_date=date(2026, 1, 10))
        with refused("invalid_dates"):
            services.qualify_action(
                counselor.user, action, start_date=date(2026, 1, 9), end_date=date(2026, 1, 8)
            )
        with refused("invalid_dates"):
            services.qualify_action(counselor.user, action, start_date=date(2026, 1, 11))
        services.qualify_action(
            counselor.user, action, start_date=date(2026, 1, 6), end_date=date(2026, 1, 9)
        )
        action.refresh_from_db()
        assert (action.start_date, action.end_date) == (date(2026, 1, 6), date(2026, 1, 9))

    def test_start_defaults_to_end_when_never_started(self, young_person, counselor):
        action = done_action(young_person, due_date=date(2026, 1, 10), start_date=None)
        services.qualify_action(counselor.user, action)
        assert action.start_date == date(2026, 1, 10)

    def test_young_person_refused(self, young_person):
        action = done_action(young_person)
        with refused("not_allowed", status=403):
            services.qualify_action(young_person.user, action)
        action.refresh_from_db()
        assert not action.is_qualified

    def test_supervisor_may_qualify(self, young_person, supervisor):
        action = done_action(young_person)
        services.qualify_action(supervisor.user, action)
        assert action.qualified_by == supervisor.user


class TestQualifyMany:
    def test_all_qualified_with_their_defaults(self, young_person, counselor):
        a = done_action(young_person, category="EMPLOI")
        b = done_action(young_person, category="SANTE")
        services.qualify_actions(counselor.user, [a, b])
        a.refresh_from_db()
        b.refresh_from_db()
        assert (a.qualification_code, a.qualified_hours) == ("EMPLOI", Decimal(3))
        assert (b.qualification_code, b.qualified_hours) == ("SANTE", Decimal(2))

    def test_one_code_for_all(self, young_person, counselor):
        actions = [done_action(young_person), done_action(young_person, category="SANTE")]
        services.qualify_actions(counselor.user, actions, code="NON_SNP")
        assert set(Action.objects.values_list("qualification_code", "qualified_hours")) == {
            ("NON_SNP", Decimal(0))
        }

    def test_all_or_nothing(self, young_person, counselor):
        first = done_action(young_person)
        not_done = ActionFactory(young_person=young_person, in_progress=True, title="Pas fini")
        last = done_action(young_person)
        with refused("action_not_done", status=409):
            services.qualify_actions(counselor.user, [first, not_done, last])
        assert not Action.objects.filter(qualified_at__isnull=False).exists()
        assert not ActionHistory.objects.filter(event="qualified").exists()

    def test_the_same_action_twice_qualifies_nothing(self, young_person, counselor):
        action = done_action(young_person)
        with refused("action_qualified", status=409):
            services.qualify_actions(counselor.user, [action, action])
        action.refresh_from_db()
        assert not action.is_qualified

    def test_empty_selection_refused(self, counselor):
        with refused("actions_required"):
            services.qualify_actions(counselor.user, [])


class TestMonthsAgo:
    @pytest.mark.parametrize(
        ("now", "expected"),
        [
            (datetime(2026, 6, 30, 3, tzinfo=UTC), datetime(2026, 2, 28, 3, tzinfo=UTC)),
            (datetime(2028, 6, 30, 3, tzinfo=UTC), datetime(2028, 2, 29, 3, tzinfo=UTC)),
            (datetime(2026, 7, 31, 3, tzinfo=UTC), datetime(2026, 3, 31, 3, tzinfo=UTC)),
            (datetime(2026, 8, 31, 3, tzinfo=UTC), datetime(2026, 4, 30, 3, tzinfo=UTC)),
            (datetime(2026, 2, 15, 3, tzinfo=UTC), datetime(2025, 10, 15, 3, tzinfo=UTC)),
            (datetime(2026, 4, 1, 3, tzinfo=UTC), datetime(2025, 12, 1, 3, tzinfo=UTC)),
            (datetime(2026, 5, 1, 3, tzinfo=UTC), datetime(2026, 1, 1, 3, tzinfo=UTC)),
        ],
    )
    def test_four_calendar_months_clamped(self, now, expected):
        assert months_ago(now, 4) == expected

    def test_more_than_a_year(self):
        assert months_ago(datetime(2026, 3, 31, tzinfo=UTC), 13) == datetime(
            2025, 2, 28, tzinfo=UTC
        )


class TestAutoQualify:
    def test_stale_in_progress_becomes_non_snp(self, young_person):
        threshold = months_ago(NOW, 4)  # 14 September 2025, 10:00 UTC
        stale = ActionFactory(
            young_person=young_person,
            in_progress=True,
            created_at=threshold - timedelta(days=1),
            category="EMPLOI",
        )
        recent = ActionFactory(
            young_person=young_person, in_progress=True, created_at=threshold + timedelta(days=1)
        )
        old_done = ActionFactory(
            young_person=young_person, done=True, created_at=threshold - timedelta(days=60)
        )
        old_todo = ActionFactory(
            young_person=young_person, created_at=threshold - timedelta(days=60)
        )
        old_canceled = ActionFactory(
            young_person=young_person,
            status=ActionStatus.CANCELED,
            created_at=threshold - timedelta(days=60),
        )
        later = NOW + timedelta(hours=1)
        assert services.autoqualify_stale_actions(now=later) == 1
        stale.refresh_from_db()
        assert stale.qualification_code == "NON_SNP"
        assert stale.qualified_hours == Decimal(0)
        assert stale.qualified_at == later
        assert stale.qualified_by is None
        assert stale.status == ActionStatus.IN_PROGRESS
        assert stale.updated_at == later
        assert stale.hours == Decimal(0)
        entry = stale.history.get()
        assert entry.event == "auto_qualified"
        assert entry.actor is None
        assert entry.at == later
        assert entry.changes == {"qualification_code": ["", "Action non SNP"]}
        for untouched in (recent, old_done, old_todo, old_canceled):
            untouched.refresh_from_db()
            assert not untouched.is_qualified
            assert not untouched.history.exists()

    def test_runs_twice_without_requalifying(self, young_person):
        ActionFactory(
            young_person=young_person, in_progress=True, created_at=NOW - timedelta(days=200)
        )
        assert services.autoqualify_stale_actions() == 1
        assert services.autoqualify_stale_actions() == 0
        assert ActionHistory.objects.filter(event="auto_qualified").count() == 1

    def test_end_of_month_threshold(self, young_person):
        now = datetime(2026, 6, 30, 2, 0, tzinfo=UTC)  # threshold 28 February 2026, 02:00
        before = ActionFactory(
            young_person=young_person,
            in_progress=True,
            created_at=datetime(2026, 2, 28, 1, 59, tzinfo=UTC),
        )
        after = ActionFactory(
            young_person=young_person,
            in_progress=True,
            created_at=datetime(2026, 2, 28, 2, 0, tzinfo=UTC),
        )
        assert services.autoqualify_stale_actions(now=now) == 1
        before.refresh_from_db()
        after.refresh_from_db()
        assert before.is_qualified and not after.is_qualified

    def test_management_command(self, young_person):
        ActionFactory.create_batch(
            2, young_person=young_person, in_progress=True, created_at=NOW - timedelta(days=130)
        )
        out = StringIO()
        call_command("autoqualify_actions", stdout=out)
        assert out.getvalue() == "2 action(s) qualifiée(s) automatiquement.\n"
        out = StringIO()
        call_command("autoqualify_actions", stdout=out)
        assert out.getvalue() == "0 action(s) qualifiée(s) automatiquement.\n"
