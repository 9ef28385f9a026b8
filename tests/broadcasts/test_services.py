"""Broadcast lists, the multi-recipient message and the pinned notice: rules of the services."""

import uuid
from datetime import date, datetime
from unittest import mock

import pytest
import time_machine
from django.db import IntegrityError

from passemploi.broadcasts import services
from passemploi.broadcasts.models import BroadcastList, GroupMessage, GroupRecipient
from passemploi.chat import attachments
from passemploi.chat import services as chat_services
from passemploi.chat.models import Attachment, Message
from passemploi.core.errors import ServiceError
from tests.chat.files import image_bytes, pdf_bytes, upload
from tests.factories import CounselorFactory, StructureFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def refused(code, status=400):
    class Refused:
        def __init__(self):
            self.context = pytest.raises(ServiceError)

        def __enter__(self):
            self.info = self.context.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.context.__exit__(*exc)
            assert self.info.value.code == code, self.info.value.code
            assert self.info.value.status == status
            return handled

    return Refused()


def bodies(young_person) -> list[str]:
    conversation = chat_services.conversation_of(young_person)
    return [chat_services.body_of(m) for m in Message.objects.filter(conversation=conversation)]


# --- lists ---------------------------------------------------------------------------------------


class TestLists:
    def test_create_rename_members_delete(self, counselor, young_person):
        other = YoungPersonFactory(counselor=counselor)
        created = services.create_list(counselor.user, "  Atelier   CV ", [young_person.pk])
        assert created.name == "Atelier CV"
        assert list(services.members_of(created)) == [young_person]
        services.update_list(counselor.user, created, name="Atelier CV jeudi")
        services.update_list(counselor.user, created, young_person_ids=[other.pk])
        created.refresh_from_db()
        assert created.name == "Atelier CV jeudi"
        assert list(services.members_of(created)) == [other]
        services.delete_list(counselor.user, created)
        assert not BroadcastList.objects.exists()

    def test_name_unique_per_owner_case_insensitive(self, counselor):
        services.create_list(counselor.user, "Atelier")
        with refused("name_taken", 409):
            services.create_list(counselor.user, "ATELIER")
        # Another counselor may use the same name.
        services.create_list(CounselorFactory(structure=counselor.structure).user, "Atelier")

    def test_rename_to_own_name_is_fine_and_to_another_is_refused(self, counselor):
        first = services.create_list(counselor.user, "Un")
        services.create_list(counselor.user, "Deux")
        services.update_list(counselor.user, first, name="un")
        with refused("name_taken", 409):
            services.update_list(counselor.user, first, name="deux")

    @pytest.mark.parametrize(
        ("name", "code"), [("  ", "name_required"), ("x" * 101, "name_too_long")]
    )
    def test_bad_names(self, counselor, name, code):
        with refused(code):
            services.create_list(counselor.user, name)

    def test_members_only_from_own_current_portfolio(self, counselor, young_person):
        colleague_young = YoungPersonFactory(
            counselor=CounselorFactory(structure=counselor.structure)
        )
        archived = YoungPersonFactory(counselor=counselor, is_archived=True)
        for stranger in (colleague_young, archived, uuid.uuid4()):
            with refused("not_found", 404):
                services.create_list(
                    counselor.user, "Liste", [young_person.pk, getattr(stranger, "pk", stranger)]
                )
        assert not BroadcastList.objects.exists()

    def test_another_counselor_cannot_change_my_list(self, counselor):
        mine = services.create_list(counselor.user, "Mienne")
        other = CounselorFactory(structure=counselor.structure, supervisor=True)
        with refused("not_found", 404):
            services.update_list(other.user, mine, name="Volée")
        with refused("not_found", 404):
            services.delete_list(other.user, mine)

    def test_young_person_cannot_create(self, young_person):
        with refused("forbidden", 403):
            services.create_list(young_person.user, "Liste")

    def test_reassigned_or_archived_member_is_filtered_out(self, counselor, young_person):
        moved = YoungPersonFactory(counselor=counselor)
        archived = YoungPersonFactory(counselor=counselor)
        created = services.create_list(
            counselor.user, "L", [young_person.pk, moved.pk, archived.pk]
        )
        moved.counselor = CounselorFactory(structure=counselor.structure)
        moved.save()
        archived.is_archived = True
        archived.save()
        assert list(services.members_of(created)) == [young_person]


# --- group message -------------------------------------------------------------------------------


class TestGroupMessage:
    def test_each_recipient_once_in_own_conversation(self, counselor, young_person, published):
        second = YoungPersonFactory(counselor=counselor)
        third = YoungPersonFactory(counselor=counselor)
        listed = services.create_list(counselor.user, "L", [young_person.pk, second.pk])
        group, created = services.send_group_message(
            counselor.user,
            client_id=uuid.uuid4(),
            body=" Atelier jeudi ",
            young_person_ids=[young_person.pk, third.pk],
            list_ids=[listed.pk],
        )
        assert created and group.recipient_count == 3
        for person in (young_person, second, third):
            assert bodies(person) == ["Atelier jeudi"]
        message = Message.objects.get(conversation__young_person=second)
        assert message.sender == counselor.user and message.sender_role == "counselor"
        assert message.client_id == services.recipient_client_id(group.client_id, second.pk)
        assert GroupRecipient.objects.filter(group_message=group).count() == 3
        created_events = [e for _, e in published if e["type"] == "message.created"]
        assert len(created_events) == 3

    def test_retry_sends_nothing_twice(self, counselor, young_person):
        client_id = uuid.uuid4()
        first, created = services.send_group_message(
            counselor.user, client_id=client_id, body="Bonjour", young_person_ids=[young_person.pk]
        )
        again, created_again = services.send_group_message(
            counselor.user, client_id=client_id, body="Bonjour", young_person_ids=[young_person.pk]
        )
        assert created and not created_again and again.pk == first.pk
        assert bodies(young_person) == ["Bonjour"]
        assert GroupMessage.objects.count() == 1

    def test_retry_after_a_partial_send_completes_without_duplicates(self, counselor, young_person):
        """Had a first attempt delivered to one recipient only (say, before this service kept a
        record), the retry reuses that recipient's message and writes to the others."""
        second = YoungPersonFactory(counselor=counselor)
        client_id = uuid.uuid4()
        chat_services.send_message(
            counselor.user,
            chat_services.conversation_of(young_person),
            "Bonjour",
            client_id=services.recipient_client_id(client_id, young_person.pk),
        )
        group, _ = services.send_group_message(
            counselor.user,
            client_id=client_id,
            body="Bonjour",
            young_person_ids=[young_person.pk, second.pk],
        )
        assert bodies(young_person) == ["Bonjour"] and bodies(second) == ["Bonjour"]
        assert group.recipients.filter(message__isnull=False).count() == 2

    def test_failure_midway_rolls_back_everything(self, counselor, young_person):
        second = YoungPersonFactory(counselor=counselor)
        real = chat_services.send_message
        calls = []

        def flaky(*args, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("panne")
            return real(*args, **kwargs)

        with mock.patch.object(chat_services, "send_message", flaky), pytest.raises(RuntimeError):
            services.send_group_message(
                counselor.user,
                client_id=uuid.uuid4(),
                body="Bonjour",
                young_person_ids=[young_person.pk, second.pk],
            )
        assert not Message.objects.exists() and not GroupMessage.objects.exists()

    def test_client_id_reused_for_another_text(self, counselor, young_person):
        client_id = uuid.uuid4()
        services.send_group_message(
            counselor.user, client_id=client_id, body="Un", young_person_ids=[young_person.pk]
        )
        with refused("client_id_reused", 409):
            services.send_group_message(
                counselor.user, client_id=client_id, body="Deux", young_person_ids=[young_person.pk]
            )

    def test_no_digest_of_a_guessable_kind(self, counselor, young_person):
        import hashlib

        group, _ = services.send_group_message(
            counselor.user, client_id=uuid.uuid4(), body="Oui", young_person_ids=[young_person.pk]
        )
        assert group.body_digest != hashlib.sha256(b"Oui").hexdigest()
        assert "Oui" not in group.body_digest

    def test_only_current_portfolio_from_lists(self, counselor, young_person):
        moved = YoungPersonFactory(counselor=counselor)
        archived = YoungPersonFactory(counselor=counselor)
        listed = services.create_list(counselor.user, "L", [young_person.pk, moved.pk, archived.pk])
        moved.counselor = CounselorFactory(structure=counselor.structure)
        moved.save()
        archived.is_archived = True
        archived.save()
        group, _ = services.send_group_message(
            counselor.user, client_id=uuid.uuid4(), body="Salut", list_ids=[listed.pk]
        )
        assert group.recipient_count == 1
        assert bodies(young_person) == ["Salut"]
        assert bodies(moved) == [] and bodies(archived) == []

    def test_young_person_not_mine_is_404_and_nothing_sent(self, counselor, young_person):
        stranger = YoungPersonFactory()
        with refused("not_found", 404) as info:
            services.send_group_message(
                counselor.user,
                client_id=uuid.uuid4(),
                body="Salut",
                young_person_ids=[young_person.pk, stranger.pk],
            )
        assert info.value.message == services.NOT_YOURS
        assert not Message.objects.exists()

    def test_someone_elses_list_is_404(self, counselor, young_person):
        colleague = CounselorFactory(structure=counselor.structure)
        theirs = services.create_list(colleague.user, "L")
        with refused("not_found", 404):
            services.send_group_message(
                counselor.user, client_id=uuid.uuid4(), body="Salut", list_ids=[theirs.pk]
            )

    @pytest.mark.parametrize(
        ("body", "code"), [("   ", "message_empty"), ("x" * 10_001, "message_too_long")]
    )
    def test_bad_bodies(self, counselor, young_person, body, code):
        with refused(code):
            services.send_group_message(
                counselor.user,
                client_id=uuid.uuid4(),
                body=body,
                young_person_ids=[young_person.pk],
            )

    def test_no_recipient(self, counselor):
        empty = services.create_list(counselor.user, "Vide")
        with refused("no_recipient"):
            services.send_group_message(
                counselor.user, client_id=uuid.uuid4(), body="Salut", list_ids=[empty.pk]
            )

    def test_concurrent_retry_returns_the_winner(self, counselor, young_person):
        client_id = uuid.uuid4()
        winner, _ = services.send_group_message(
            counselor.user, client_id=client_id, body="Salut", young_person_ids=[young_person.pk]
        )
        real_filter = GroupMessage.objects.filter
        seen = []

        def blind(*args, **kwargs):
            # The first look-up misses the winner, as a concurrent request would.
            seen.append(1)
            return GroupMessage.objects.none() if len(seen) == 1 else real_filter(*args, **kwargs)

        with mock.patch.object(GroupMessage.objects, "filter", blind):
            again, created = services.send_group_message(
                counselor.user,
                client_id=client_id,
                body="Salut",
                young_person_ids=[young_person.pk],
            )
        assert not created and again.pk == winner.pk
        assert bodies(young_person) == ["Salut"]

    def test_database_refuses_a_second_record(self, counselor):
        client_id = uuid.uuid4()
        GroupMessage.objects.create(sender=counselor.user, client_id=client_id, body_digest="x")
        with pytest.raises(IntegrityError):
            GroupMessage.objects.create(sender=counselor.user, client_id=client_id, body_digest="y")


# --- pinned notice -------------------------------------------------------------------------------


class TestNotice:
    def test_set_replace_remove(self, counselor, young_person):
        services.set_notice(counselor.user, "Absent", date(2026, 4, 6), date(2026, 4, 10))
        notice = services.set_notice(
            counselor.user, "Absent lundi", date(2026, 4, 6), date(2026, 4, 6)
        )
        assert notice.text == "Absent lundi" and notice.ends_on == date(2026, 4, 6)
        assert services.remove_notice(counselor.user)
        assert not services.remove_notice(counselor.user)

    @pytest.mark.parametrize(
        ("text", "start", "end", "code"),
        [
            ("", date(2026, 4, 6), date(2026, 4, 6), "text_required"),
            ("x" * 1001, date(2026, 4, 6), date(2026, 4, 6), "text_too_long"),
            ("Absent", date(2026, 4, 6), date(2026, 4, 5), "ends_before_start"),
        ],
    )
    def test_bad_input(self, counselor, text, start, end, code):
        with refused(code):
            services.set_notice(counselor.user, text, start, end)

    def test_window_in_the_structure_time_zone(self):
        """At 21:30 UTC on 5 April it is already 6 April in La Réunion (UTC+4), not in Paris
        (UTC+2): the notice starting on the 6th shows there only."""
        paris = YoungPersonFactory()
        reunion = YoungPersonFactory(
            counselor=CounselorFactory(structure=StructureFactory(overseas=True))
        )
        for person in (paris, reunion):
            services.set_notice(person.counselor.user, "Absent", date(2026, 4, 6), date(2026, 4, 6))
        with time_machine.travel(datetime.fromisoformat("2026-04-05T21:30:00+00:00"), tick=False):
            assert services.active_notice_for(paris) is None
            assert services.active_notice_for(reunion) is not None
        # The last day is included, up to local midnight.
        with time_machine.travel(datetime.fromisoformat("2026-04-06T21:59:00+00:00"), tick=False):
            assert services.active_notice_for(paris) is not None
        with time_machine.travel(datetime.fromisoformat("2026-04-06T22:01:00+00:00"), tick=False):
            assert services.active_notice_for(paris) is None

    def test_follows_the_current_counselor(self, counselor, young_person):
        services.set_notice(counselor.user, "Absent", date(2000, 1, 1), date(2999, 1, 1))
        assert services.active_notice_for(young_person).text == "Absent"
        young_person.counselor = CounselorFactory(structure=counselor.structure)
        young_person.save()
        assert services.active_notice_for(young_person) is None


# --- with an attachment --------------------------------------------------------------------------


class TestAttachment:
    def test_each_conversation_gets_its_own_copy(self, counselor, young_person, attachment_storage):
        second = YoungPersonFactory(counselor=counselor)
        checked = attachments.check_upload(upload("cv.png", image_bytes("PNG")))
        group, _ = services.send_group_message(
            counselor.user,
            client_id=uuid.uuid4(),
            body="",
            young_person_ids=[young_person.pk, second.pk],
            upload=checked,
        )
        stored = Attachment.objects.filter(message__isnull=False)
        assert stored.count() == 2
        assert {a.conversation.young_person_id for a in stored} == {young_person.pk, second.pk}
        assert len({a.storage_key for a in stored}) == 2
        for attachment in stored:
            assert attachments.read(attachment) == checked.content
            assert attachment.message.kind == "attachment"
        # A retry stores nothing more.
        services.send_group_message(
            counselor.user,
            client_id=group.client_id,
            body="",
            young_person_ids=[young_person.pk, second.pk],
            upload=checked,
        )
        assert Attachment.objects.count() == 2

    def test_api_upload_joins_its_conversation_and_is_copied_to_others(
        self, counselor, young_person, attachment_storage
    ):
        second = YoungPersonFactory(counselor=counselor)
        conversation = chat_services.conversation_of(young_person)
        checked = attachments.check_upload(upload("note.pdf", pdf_bytes()))
        uploaded = attachments.store(conversation, counselor.user, checked)
        services.send_group_message(
            counselor.user,
            client_id=uuid.uuid4(),
            body="Le programme",
            young_person_ids=[young_person.pk, second.pk],
            attachment_id=uploaded.pk,
        )
        uploaded.refresh_from_db()
        assert uploaded.message.conversation == conversation
        copy = Attachment.objects.get(conversation__young_person=second)
        assert attachments.read(copy) == pdf_bytes()
        assert Attachment.objects.count() == 2

    def test_api_upload_of_someone_else_or_already_sent(
        self, counselor, young_person, attachment_storage
    ):
        conversation = chat_services.conversation_of(young_person)
        checked = attachments.check_upload(upload("note.pdf", pdf_bytes()))
        theirs = attachments.store(conversation, young_person.user, checked)
        for attachment_id in (theirs.pk, uuid.uuid4()):
            with refused("attachment_unavailable"):
                services.send_group_message(
                    counselor.user,
                    client_id=uuid.uuid4(),
                    body="",
                    young_person_ids=[young_person.pk],
                    attachment_id=attachment_id,
                )
        assert not Message.objects.exists()
