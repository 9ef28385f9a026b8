"""Who sees and edits which action. Missing and forbidden are the same 404."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from passemploi.actions.access import actions_visible_to, can_edit, get_action_for_user
from tests.factories import (
    ActionFactory,
    CounselorFactory,
    StructureFactory,
    UserFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(young_person):
    return ActionFactory(young_person=young_person)


@pytest.fixture
def counselor_action(young_person):
    return ActionFactory(young_person=young_person, by_counselor=True)


@pytest.fixture
def neighbour(counselor):
    """Another young person of the same counselor, with an action."""
    young_person = YoungPersonFactory(counselor=counselor)
    ActionFactory(young_person=young_person)
    return young_person


@pytest.fixture
def colleague_young_person(structure):
    """A young person of a colleague in the same structure, with an action."""
    young_person = YoungPersonFactory(counselor=CounselorFactory(structure=structure))
    ActionFactory(young_person=young_person)
    return young_person


def qualify(action):
    action.status = "done"
    action.end_date = action.due_date
    action.qualification_code = action.category
    action.qualified_hours = Decimal(3)
    action.qualified_at = datetime(2026, 1, 14, tzinfo=UTC)
    action.save()
    return action


class TestVisible:
    def test_young_person_sees_only_their_own(self, young_person, action, neighbour):
        ActionFactory(young_person=young_person, by_counselor=True)
        visible = actions_visible_to(young_person.user)
        assert visible.count() == 2
        assert set(visible.values_list("young_person_id", flat=True)) == {young_person.pk}

    def test_counselor_sees_their_portfolio(
        self, counselor, action, neighbour, colleague_young_person, other_structure_counselor
    ):
        visible = set(actions_visible_to(counselor.user).values_list("young_person_id", flat=True))
        assert visible == {action.young_person_id, neighbour.pk}

    def test_counselor_still_sees_archived_young_people(self, counselor, young_person, action):
        young_person.is_archived = True
        young_person.save()
        assert list(actions_visible_to(counselor.user)) == [action]

    def test_supervisor_sees_the_structure(
        self, supervisor, action, neighbour, colleague_young_person, other_structure_counselor
    ):
        visible = set(actions_visible_to(supervisor.user).values_list("young_person_id", flat=True))
        assert visible == {action.young_person_id, neighbour.pk, colleague_young_person.pk}

    def test_staff_and_anonymous_see_nothing(self, action):
        assert not actions_visible_to(UserFactory(is_staff=True)).exists()
        assert not actions_visible_to(AnonymousUser()).exists()


class TestGetAction:
    def test_the_young_person_opens_their_action(self, young_person, action, counselor_action):
        assert get_action_for_user(young_person.user, action.pk) == action
        assert get_action_for_user(young_person.user, str(counselor_action.pk)) == counselor_action

    def test_another_young_person_gets_404(self, neighbour, action):
        with pytest.raises(Http404):
            get_action_for_user(neighbour.user, action.pk)

    def test_the_counselor_opens_their_young_persons_action(self, counselor, action):
        found = get_action_for_user(counselor.user, action.pk)
        assert found == action
        assert found.young_person.structure.time_zone == "Europe/Paris"

    def test_a_colleague_of_the_same_structure_gets_404(self, structure, action):
        colleague = CounselorFactory(structure=structure)
        with pytest.raises(Http404):
            get_action_for_user(colleague.user, action.pk)

    def test_the_supervisor_opens_any_action_of_the_structure(
        self, supervisor, action, colleague_young_person
    ):
        assert get_action_for_user(supervisor.user, action.pk) == action
        other = colleague_young_person.actions.get()
        assert get_action_for_user(supervisor.user, other.pk) == other

    def test_a_supervisor_of_another_structure_gets_404(self, action):
        elsewhere = CounselorFactory(structure=StructureFactory(), supervisor=True)
        with pytest.raises(Http404):
            get_action_for_user(elsewhere.user, action.pk)

    def test_a_counselor_of_another_structure_gets_404(self, other_structure_counselor, action):
        with pytest.raises(Http404):
            get_action_for_user(other_structure_counselor.user, action.pk)

    def test_staff_and_anonymous_get_404(self, action):
        for user in (UserFactory(is_staff=True), AnonymousUser()):
            with pytest.raises(Http404):
                get_action_for_user(user, action.pk)

    @pytest.mark.parametrize("pk", ["abc", None, "", 42, "1' OR '1'='1", [], uuid.uuid4()])
    def test_bad_or_unknown_ids_get_404(self, young_person, counselor, action, pk):
        for user in (young_person.user, counselor.user):
            with pytest.raises(Http404):
                get_action_for_user(user, pk)


class TestCanEdit:
    def test_young_person_edits_what_they_created(self, young_person, action):
        assert can_edit(young_person.user, action) is True

    def test_young_person_not_a_counselor_action(self, young_person, counselor_action):
        assert can_edit(young_person.user, counselor_action) is False

    def test_young_person_not_an_action_created_by_someone_else_as_young_person(self, young_person):
        # Belt and braces: the creator must be this very user, not just "a young person".
        action = ActionFactory(
            young_person=young_person, created_by=UserFactory(), creator_role="young_person"
        )
        assert can_edit(young_person.user, action) is False

    def test_counselors_edit_any_action_they_can_open(
        self, counselor, supervisor, action, counselor_action
    ):
        for user in (counselor.user, supervisor.user):
            assert can_edit(user, action) is True
            assert can_edit(user, counselor_action) is True

    def test_nobody_edits_a_qualified_action(
        self, young_person, counselor, supervisor, action, counselor_action
    ):
        qualify(action)
        qualify(counselor_action)
        for user in (young_person.user, counselor.user, supervisor.user):
            assert can_edit(user, action) is False
            assert can_edit(user, counselor_action) is False
