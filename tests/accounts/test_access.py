"""Unit tests of passemploi.accounts.access: the one place objects are fetched for a user."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from passemploi.accounts import access
from passemploi.accounts.models import YoungPerson
from tests.factories import CounselorFactory, StructureFactory, UserFactory, YoungPersonFactory

BAD_IDS = ["", "not-a-uuid", "123", "0" * 40, "../", None, 42, "'; DROP TABLE x;--"]


@pytest.fixture
def other_structure(db):
    return StructureFactory()


@pytest.fixture
def colleague(structure):
    """A non-supervisor counselor of the same structure."""
    return CounselorFactory(structure=structure)


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def no_role_user(db):
    return UserFactory()


# --- counselor_of / young_person_of ---------------------------------------------------------


def test_counselor_of(counselor, supervisor, young_person, staff_user, no_role_user):
    assert access.counselor_of(counselor.user) == counselor
    assert access.counselor_of(supervisor.user) == supervisor
    assert access.counselor_of(young_person.user) is None
    assert access.counselor_of(staff_user) is None
    assert access.counselor_of(no_role_user) is None
    assert access.counselor_of(AnonymousUser()) is None


def test_young_person_of(counselor, young_person, staff_user, no_role_user):
    assert access.young_person_of(young_person.user) == young_person
    assert access.young_person_of(counselor.user) is None
    assert access.young_person_of(staff_user) is None
    assert access.young_person_of(no_role_user) is None
    assert access.young_person_of(AnonymousUser()) is None


# --- get_young_person_for_user ----------------------------------------------------------------


def test_young_person_gets_themself(young_person):
    assert access.get_young_person_for_user(young_person.user, young_person.pk) == young_person
    assert access.get_young_person_for_user(young_person.user, str(young_person.pk)) == young_person


def test_young_person_cannot_get_another_young_person(young_person, counselor):
    sibling = YoungPersonFactory(counselor=counselor)  # same counselor, same structure
    with pytest.raises(Http404):
        access.get_young_person_for_user(young_person.user, sibling.pk)


def test_own_counselor_gets_the_young_person(counselor, young_person):
    found = access.get_young_person_for_user(counselor.user, young_person.pk)
    assert found == young_person
    assert access.get_young_person_for_user(counselor.user, str(young_person.pk)) == young_person


def test_own_counselor_gets_an_archived_young_person(counselor):
    archived = YoungPersonFactory(counselor=counselor, is_archived=True)
    assert access.get_young_person_for_user(counselor.user, archived.pk) == archived


def test_other_counselor_of_the_same_structure_gets_404(colleague, young_person):
    with pytest.raises(Http404):
        access.get_young_person_for_user(colleague.user, young_person.pk)


def test_supervisor_of_the_structure_gets_every_young_person(supervisor, young_person, colleague):
    of_colleague = YoungPersonFactory(counselor=colleague)
    assert access.get_young_person_for_user(supervisor.user, young_person.pk) == young_person
    assert access.get_young_person_for_user(supervisor.user, of_colleague.pk) == of_colleague


def test_counselor_and_supervisor_of_another_structure_get_404(young_person, other_structure):
    for is_supervisor in (False, True):
        outsider = CounselorFactory(structure=other_structure, is_supervisor=is_supervisor)
        with pytest.raises(Http404):
            access.get_young_person_for_user(outsider.user, young_person.pk)


def test_users_without_a_counselor_role_get_404(young_person, staff_user, no_role_user):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for user in (staff_user, no_role_user, superuser, AnonymousUser()):
        with pytest.raises(Http404):
            access.get_young_person_for_user(user, young_person.pk)


def test_missing_young_person_is_404(counselor, supervisor, young_person):
    for user in (counselor.user, supervisor.user, young_person.user):
        with pytest.raises(Http404):
            access.get_young_person_for_user(user, uuid.uuid4())


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_are_404_for_every_role(bad, counselor, supervisor, young_person, staff_user):
    for user in (counselor.user, supervisor.user, young_person.user, staff_user):
        with pytest.raises(Http404):
            access.get_young_person_for_user(user, bad)


def test_fetched_young_person_comes_with_its_users(
    counselor, young_person, django_assert_num_queries
):
    found = access.get_young_person_for_user(counselor.user, young_person.pk)
    with django_assert_num_queries(0):
        assert found.user.email == young_person.user.email
        assert found.counselor.user.email == counselor.user.email


# --- young_people_visible_to / portfolio_of ----------------------------------------------------


def test_young_people_visible_to_a_counselor_is_their_portfolio(
    counselor, colleague, young_person, other_structure_counselor
):
    archived = YoungPersonFactory(counselor=counselor, is_archived=True)
    YoungPersonFactory(counselor=colleague)
    visible = access.young_people_visible_to(counselor.user)
    assert set(visible) == {young_person, archived}


def test_young_people_visible_to_a_supervisor_is_their_structure(
    supervisor, counselor, colleague, young_person, other_structure_counselor
):
    of_colleague = YoungPersonFactory(counselor=colleague)
    own = YoungPersonFactory(counselor=supervisor)
    visible = access.young_people_visible_to(supervisor.user)
    assert set(visible) == {young_person, of_colleague, own}
    assert not visible.filter(structure=other_structure_counselor.structure).exists()


def test_young_people_visible_to_other_roles_is_empty(young_person, staff_user, no_role_user):
    for user in (young_person.user, staff_user, no_role_user, AnonymousUser()):
        visible = access.young_people_visible_to(user)
        assert visible.model is YoungPerson
        assert list(visible) == []


def test_portfolio_of_excludes_archived_and_others(counselor, colleague, young_person):
    YoungPersonFactory(counselor=counselor, is_archived=True)
    YoungPersonFactory(counselor=colleague)
    assert list(access.portfolio_of(counselor)) == [young_person]


def test_portfolio_of_a_supervisor_is_only_their_own(supervisor, young_person):
    own = YoungPersonFactory(counselor=supervisor)
    YoungPersonFactory(counselor=supervisor, is_archived=True)
    assert list(access.portfolio_of(supervisor)) == [own]


# --- get_counselor_for_supervisor --------------------------------------------------------------


def test_supervisor_gets_counselors_of_their_structure(supervisor, counselor, colleague):
    for target in (counselor, colleague, supervisor):
        assert access.get_counselor_for_supervisor(supervisor.user, target.pk) == target
    assert access.get_counselor_for_supervisor(supervisor.user, str(counselor.pk)) == counselor


def test_supervisor_cannot_get_a_counselor_of_another_structure(
    supervisor, other_structure_counselor
):
    with pytest.raises(Http404):
        access.get_counselor_for_supervisor(supervisor.user, other_structure_counselor.pk)


def test_non_supervisors_cannot_get_counselors(counselor, colleague, young_person, staff_user):
    for user in (counselor.user, young_person.user, staff_user, AnonymousUser()):
        for target in (colleague, counselor):
            with pytest.raises(Http404):
                access.get_counselor_for_supervisor(user, target.pk)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_get_counselor_for_supervisor_bad_ids_are_404(bad, supervisor):
    with pytest.raises(Http404):
        access.get_counselor_for_supervisor(supervisor.user, bad)


def test_get_counselor_for_supervisor_missing_is_404(supervisor):
    with pytest.raises(Http404):
        access.get_counselor_for_supervisor(supervisor.user, uuid.uuid4())


# --- role decorators ---------------------------------------------------------------------------


def _ok(request, *args, **kwargs):
    """A view answering 200 with the args it got."""
    return HttpResponse(f"{args}{kwargs}")


@pytest.mark.parametrize(
    ("decorator", "allowed"),
    [
        (access.counselor_required, {"counselor", "supervisor"}),
        (access.supervisor_required, {"supervisor"}),
        (access.young_person_required, {"young_person"}),
    ],
)
def test_role_decorators(decorator, allowed, counselor, supervisor, young_person, staff_user):
    users = {
        "counselor": counselor.user,
        "supervisor": supervisor.user,
        "young_person": young_person.user,
        "staff": staff_user,
        "no_role": UserFactory(),
    }
    view = decorator(_ok)
    assert view.__name__ == "_ok"
    for name, user in users.items():
        request = RequestFactory().get("/")
        request.user = user
        if name in allowed:
            assert view(request, 1, pk="x").content == b"(1,){'pk': 'x'}"
        else:
            with pytest.raises(PermissionDenied):
                view(request)
