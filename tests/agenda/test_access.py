"""Who sees and who manages which appointment; missing and forbidden are both 404."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from passemploi.agenda import registrations, services
from passemploi.agenda.access import (
    appointments_visible_to,
    can_manage,
    get_appointment_for_user,
    get_feed_by_token,
    participation_of,
)
from tests.factories import (
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    StructureFactory,
    UserFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db


class World:
    """One structure (organiser, colleague, supervisor, a young person of each counselor) and
    another structure (its counselor, supervisor and young person), with:

    - individual: the organiser's appointment with their young person `mine`;
    - for_theirs: the supervisor's appointment with `theirs`, the colleague's young person;
    - open_session: a session visible to the structure's young people, nobody registered;
    - hidden_session: a session not visible, `theirs` registered by a counselor;
    - elsewhere: an appointment of the other structure with its young person.
    """

    def __init__(self):
        structure = StructureFactory()
        self.organiser = CounselorFactory(structure=structure)
        self.colleague = CounselorFactory(structure=structure)
        self.supervisor = CounselorFactory(structure=structure, supervisor=True)
        self.mine = YoungPersonFactory(counselor=self.organiser)
        self.theirs = YoungPersonFactory(counselor=self.colleague)
        other = StructureFactory()
        self.other_counselor = CounselorFactory(structure=other)
        self.other_supervisor = CounselorFactory(structure=other, supervisor=True)
        self.stranger = YoungPersonFactory(counselor=self.other_counselor)

        self.individual = AppointmentFactory(counselor=self.organiser)
        ParticipationFactory(appointment=self.individual, young_person=self.mine)
        self.for_theirs = AppointmentFactory(counselor=self.supervisor)
        ParticipationFactory(appointment=self.for_theirs, young_person=self.theirs)
        self.open_session = AppointmentFactory(counselor=self.organiser, session=True)
        self.hidden_session = AppointmentFactory(
            counselor=self.organiser, session=True, visible=False, self_registration=False
        )
        ParticipationFactory(appointment=self.hidden_session, young_person=self.theirs)
        self.elsewhere = AppointmentFactory(counselor=self.other_counselor)
        ParticipationFactory(appointment=self.elsewhere, young_person=self.stranger)

    @property
    def appointments(self):
        return [
            self.individual,
            self.for_theirs,
            self.open_session,
            self.hidden_session,
            self.elsewhere,
        ]


@pytest.fixture
def world():
    return World()


# Who sees what: (user attribute, the appointments they see).
VISIBLE = [
    ("mine", {"individual", "open_session"}),
    ("theirs", {"for_theirs", "open_session", "hidden_session"}),
    ("stranger", {"elsewhere"}),
    ("organiser", {"individual", "open_session", "hidden_session"}),
    ("colleague", {"for_theirs", "open_session", "hidden_session"}),
    ("supervisor", {"individual", "for_theirs", "open_session", "hidden_session"}),
    ("other_counselor", {"elsewhere"}),
    ("other_supervisor", {"elsewhere"}),
]

# Who manages what (edit, cancel, register others, close).
MANAGES = [
    ("mine", set()),
    ("theirs", set()),
    ("stranger", set()),
    ("organiser", {"individual", "open_session", "hidden_session"}),
    ("colleague", {"open_session", "hidden_session"}),
    ("supervisor", {"individual", "for_theirs", "open_session", "hidden_session"}),
    ("other_counselor", {"elsewhere"}),
    ("other_supervisor", {"elsewhere"}),
]

NAMES = ["individual", "for_theirs", "open_session", "hidden_session", "elsewhere"]


def user_of(world, who):
    return getattr(world, who).user


@pytest.mark.parametrize(("who", "expected"), VISIBLE)
def test_appointments_visible_to(world, who, expected):
    visible = appointments_visible_to(user_of(world, who))
    assert {a.pk for a in visible} == {getattr(world, name).pk for name in expected}
    assert visible.count() == len(expected)  # no duplicate through the participations join


@pytest.mark.parametrize(("who", "expected"), VISIBLE)
def test_get_appointment_for_user(world, who, expected):
    user = user_of(world, who)
    for name in NAMES:
        appointment = getattr(world, name)
        if name in expected:
            assert get_appointment_for_user(user, appointment.pk) == appointment
            assert get_appointment_for_user(user, str(appointment.pk)) == appointment
        else:
            with pytest.raises(Http404):
                get_appointment_for_user(user, appointment.pk)


@pytest.mark.parametrize(("who", "expected"), MANAGES)
def test_can_manage(world, who, expected):
    user = user_of(world, who)
    managed = {name for name in NAMES if can_manage(user, getattr(world, name))}
    assert managed == expected


@pytest.mark.parametrize("bad", ["pas-un-id", "", None, 42, "' OR 1=1 --", uuid.uuid4()])
@pytest.mark.parametrize("who", ["organiser", "supervisor", "mine"])
def test_bad_ids_are_not_found(world, who, bad):
    with pytest.raises(Http404):
        get_appointment_for_user(user_of(world, who), bad)


def test_a_young_person_registered_on_a_hidden_session_sees_it_but_others_do_not(world):
    assert get_appointment_for_user(world.theirs.user, world.hidden_session.pk)
    with pytest.raises(Http404):
        get_appointment_for_user(world.mine.user, world.hidden_session.pk)


def test_a_young_person_keeps_seeing_a_session_they_left(world):
    participation = registrations.register(world.mine.user, world.open_session, world.mine)
    world.open_session.visible = False
    world.open_session.save()
    # Unregistered from a session no longer visible: still their history.
    participation.attendance = "unregistered"
    participation.save()
    assert get_appointment_for_user(world.mine.user, world.open_session.pk)


def test_cancelled_appointments_stay_visible(world):
    services.cancel_appointment(world.organiser.user, world.individual, "Absent")
    assert get_appointment_for_user(world.mine.user, world.individual.pk)
    assert get_appointment_for_user(world.organiser.user, world.individual.pk)


def test_a_colleague_sees_appointments_of_a_young_person_who_joins_their_portfolio(world):
    with pytest.raises(Http404):
        get_appointment_for_user(world.colleague.user, world.individual.pk)
    world.mine.counselor = world.colleague
    world.mine.save()
    assert get_appointment_for_user(world.colleague.user, world.individual.pk)
    assert not can_manage(world.colleague.user, world.individual)


@pytest.mark.parametrize("kind", ["anonymous", "support", "no_role"])
def test_users_without_a_role_see_nothing(world, kind):
    user = {
        "anonymous": AnonymousUser,
        "support": lambda: UserFactory(is_staff=True),
        "no_role": UserFactory,
    }[kind]()
    assert not appointments_visible_to(user).exists()
    for appointment in world.appointments:
        assert can_manage(user, appointment) is False
        with pytest.raises(Http404):
            get_appointment_for_user(user, appointment.pk)


def test_participation_of(world):
    assert participation_of(world.mine, world.individual).young_person == world.mine
    assert participation_of(world.theirs, world.individual) is None


class TestFeedByToken:
    def test_finds_the_user(self, young_person):
        feed = registrations.feed_for(young_person.user)
        found = get_feed_by_token(feed.token)
        assert found == feed
        assert found.user == young_person.user

    def test_a_revoked_token_is_not_found(self, counselor):
        old = registrations.feed_for(counselor.user).token
        new = registrations.revoke_feed(counselor.user).token
        with pytest.raises(Http404):
            get_feed_by_token(old)
        assert get_feed_by_token(new).user == counselor.user

    def test_a_deactivated_user_has_no_feed(self, young_person):
        token = registrations.feed_for(young_person.user).token
        young_person.user.is_active = False
        young_person.user.save()
        with pytest.raises(Http404):
            get_feed_by_token(token)

    @pytest.mark.parametrize("token", ["", "x", "a" * 43, "a" * 200])
    def test_unknown_tokens(self, young_person, token):
        registrations.feed_for(young_person.user)
        with pytest.raises(Http404):
            get_feed_by_token(token)


def test_another_structures_supervisor_manages_nothing_here(world):
    for appointment in (world.individual, world.open_session, world.hidden_session):
        assert not can_manage(world.other_supervisor.user, appointment)
    other_counselor_of_world = CounselorFactory(structure=world.elsewhere.structure)
    assert not can_manage(other_counselor_of_world.user, world.elsewhere)
