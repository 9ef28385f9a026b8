"""Reassignment, take back and archiving: rules and effects."""

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from passemploi.accounts import tokens
from passemploi.accounts.models import ApiToken, YoungPerson
from passemploi.chat.models import Message
from passemploi.chat.services import body_of, conversation_of
from passemploi.core.errors import ServiceError
from passemploi.portfolio import services
from passemploi.portfolio.models import Archive, Reassignment
from tests.factories import CounselorFactory, StructureFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(structure):
    return CounselorFactory(structure=structure)


def system_texts(young_person) -> list[str]:
    conversation = conversation_of(young_person)
    return [
        body_of(m)
        for m in Message.objects.filter(conversation=conversation, sender_role="system").order_by(
            "seq"
        )
    ]


def refused(call, code):
    with pytest.raises(ServiceError) as caught:
        call()
    assert caught.value.code == code
    return caught.value


class TestReassign:
    def test_definitive_moves_and_tells(
        self,
        supervisor,
        counselor,
        colleague,
        young_person,
        listen,
        django_capture_on_commit_callbacks,
    ):
        inbox = listen(young_person.user)
        with django_capture_on_commit_callbacks(execute=True):
            rows, created = services.reassign(supervisor.user, [young_person.pk], colleague.pk)
        assert created
        young_person.refresh_from_db()
        assert young_person.counselor == colleague
        assert young_person.initial_counselor is None
        [row] = rows
        assert (row.from_counselor, row.to_counselor, row.kind, row.created_by) == (
            counselor,
            colleague,
            "definitive",
            supervisor.user,
        )
        assert system_texts(young_person) == [
            f"Vous avez un nouveau conseiller : {colleague.user.get_full_name()}."
        ]
        types = [event["type"] for event in inbox.events()]
        assert "young_person.reassigned" in types
        assert "message.created" in types

    def test_temporary_then_take_back(self, supervisor, counselor, colleague, young_person):
        services.reassign(supervisor.user, [young_person.pk], colleague.pk, temporary=True)
        young_person.refresh_from_db()
        assert (young_person.counselor, young_person.initial_counselor) == (colleague, counselor)
        assert young_person.is_temporary
        assert list(services.lent_young_people(counselor)) == [young_person]

        # Only the initial counselor takes back: the temporary one finds nobody to take.
        assert services.take_back(colleague.user) == []
        rows = services.take_back(counselor.user)
        assert [row.kind for row in rows] == ["take_back"]
        young_person.refresh_from_db()
        assert (young_person.counselor, young_person.initial_counselor) == (counselor, None)
        name_t, name_c = colleague.user.get_full_name(), counselor.user.get_full_name()
        assert system_texts(young_person) == [
            f"Vous avez un conseiller temporaire : {name_t}.",
            f"Votre conseiller {name_c} vous suit de nouveau.",
        ]
        history = Reassignment.objects.filter(young_person=young_person)
        assert [r.kind for r in history] == ["temporary", "take_back"]

    def test_lent_twice_still_goes_back_to_the_first(
        self, supervisor, counselor, colleague, structure, young_person
    ):
        third = CounselorFactory(structure=structure)
        services.reassign(supervisor.user, [young_person.pk], colleague.pk, temporary=True)
        services.reassign(supervisor.user, [young_person.pk], third.pk, temporary=True)
        young_person.refresh_from_db()
        assert (young_person.counselor, young_person.initial_counselor) == (third, counselor)

    def test_many_at_once(self, supervisor, counselor, colleague):
        young_people = YoungPersonFactory.create_batch(3, counselor=counselor)
        rows, _ = services.reassign(supervisor.user, [yp.pk for yp in young_people], colleague.pk)
        assert len({row.batch for row in rows}) == 1
        assert YoungPerson.objects.filter(counselor=colleague).count() == 3

    def test_idempotent_by_client_id(self, supervisor, colleague, young_person):
        client_id = uuid.uuid4()
        first, created = services.reassign(
            supervisor.user, [young_person.pk], colleague.pk, client_id=client_id
        )
        again, created_again = services.reassign(
            supervisor.user, [young_person.pk], colleague.pk, client_id=client_id
        )
        assert created and not created_again
        assert [r.pk for r in again] == [r.pk for r in first]
        assert len(system_texts(young_person)) == 1

    def test_target_of_another_structure_refused(self, supervisor, young_person, counselor):
        elsewhere = CounselorFactory(structure=StructureFactory())
        error = refused(
            lambda: services.reassign(supervisor.user, [young_person.pk], elsewhere.pk),
            "invalid_target",
        )
        assert error.field == "target_counselor_id"
        young_person.refresh_from_db()
        assert young_person.counselor == counselor
        assert not Reassignment.objects.exists()

    def test_supervisor_of_another_structure_cannot_move(self, young_person, counselor):
        other = CounselorFactory(structure=StructureFactory(), supervisor=True)
        target = CounselorFactory(structure=other.structure)
        refused(
            lambda: services.reassign(other.user, [young_person.pk], target.pk),
            "young_person_not_found",
        )
        young_person.refresh_from_db()
        assert young_person.counselor == counselor

    def test_plain_counselor_refused(self, counselor, colleague, young_person):
        error = refused(
            lambda: services.reassign(counselor.user, [young_person.pk], colleague.pk),
            "forbidden",
        )
        assert error.status == 403

    def test_same_counselor_refused_and_nothing_moves(
        self, supervisor, counselor, colleague, young_person
    ):
        theirs = YoungPersonFactory(counselor=colleague)
        refused(
            lambda: services.reassign(supervisor.user, [young_person.pk, theirs.pk], colleague.pk),
            "same_counselor",
        )
        young_person.refresh_from_db()
        assert young_person.counselor == counselor
        assert not Message.objects.exists()

    def test_empty_selection_refused(self, supervisor, colleague):
        refused(
            lambda: services.reassign(supervisor.user, [], colleague.pk), "young_people_required"
        )


class TestArchive:
    def archive(self, actor, young_person, **kwargs):
        data = {"reason": "lasting_job", "end_date": timezone.localdate()} | kwargs
        return services.archive_young_person(actor, young_person, **data)

    def test_archive_ends_sign_in_and_keeps_the_record(
        self, counselor, young_person, listen, django_capture_on_commit_callbacks
    ):
        pair = tokens.issue_token_pair(young_person.user)
        with django_capture_on_commit_callbacks(execute=True):
            archive, created = self.archive(counselor.user, young_person)
        assert created and archive.is_positive
        young_person.refresh_from_db()
        assert young_person.is_archived
        assert not young_person.user.is_active
        assert tokens.user_for_access_token(pair["access_token"]) is None
        assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
        assert [m.to for m in mail.outbox] == [[young_person.user.email]]
        assert YoungPerson.objects.filter(pk=young_person.pk).exists()

    def test_other_needs_a_comment(self, counselor, young_person):
        refused(
            lambda: self.archive(counselor.user, young_person, reason="other"), "comment_required"
        )
        archive, _ = self.archive(counselor.user, young_person, reason="other", comment="Parti")
        assert archive.comment == "Parti"

    @pytest.mark.parametrize(
        ("kwargs", "code"),
        [
            ({"reason": "nope"}, "invalid_reason"),
            ({"comment": "x" * 251}, "comment_too_long"),
            ({"end_date": None}, "end_date_required"),
            ({"end_date": dt.date(2000, 1, 1)}, "end_date_before_start"),
        ],
    )
    def test_bad_input(self, counselor, young_person, kwargs, code):
        refused(lambda: self.archive(counselor.user, young_person, **kwargs), code)
        young_person.refresh_from_db()
        assert not young_person.is_archived and young_person.user.is_active

    def test_colleague_refused(self, colleague, young_person):
        refused(lambda: self.archive(colleague.user, young_person), "forbidden")

    def test_twice_conflicts_unless_retried(self, counselor, young_person):
        client_id = uuid.uuid4()
        first, _ = self.archive(counselor.user, young_person, client_id=client_id)
        again, created = self.archive(counselor.user, young_person, client_id=client_id)
        assert again.pk == first.pk and not created
        error = refused(lambda: self.archive(counselor.user, young_person), "already_archived")
        assert error.status == 409

    def test_supervisor_unarchives(self, counselor, supervisor, young_person):
        self.archive(counselor.user, young_person)
        refused(lambda: services.unarchive_young_person(counselor.user, young_person), "forbidden")
        assert services.unarchive_young_person(supervisor.user, young_person)
        young_person.refresh_from_db()
        assert not young_person.is_archived and young_person.user.is_active
        assert Archive.objects.get().restored_by == supervisor.user
        assert not services.unarchive_young_person(supervisor.user, young_person)
