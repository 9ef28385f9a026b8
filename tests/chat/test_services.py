"""Domain rules of the chat: sending, idempotency, encryption at rest, edits and deletions kept
for the record, read markers, real-time notices (never content) and master key rotation."""

import base64
import os
import uuid
from contextlib import contextmanager
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection

from passemploi.chat import crypto, services
from passemploi.chat.enums import MessageKind, SenderRole
from passemploi.chat.models import Conversation, Message, MessageVersion
from passemploi.core.errors import ServiceError
from tests.factories import ActionFactory, CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

TEST_KEY = "test:dGVzdC1vbmx5LWNoYXQtbWFzdGVyLWtleS0zMmJ5dGU="
SECRET = "Mon numéro de sécurité sociale est 1 85 05 78 006 084 36"


@contextmanager
def refused(code, status=400, field=None):
    with pytest.raises(ServiceError) as info:
        yield info
    assert info.value.code == code, info.value.code
    assert info.value.status == status
    if field is not None:
        assert info.value.field == field


@pytest.fixture
def conversation(young_person):
    return services.conversation_of(young_person)


def send(user, conversation, body="Bonjour", **kwargs):
    message, created = services.send_message(user, conversation, body, **kwargs)
    return message


def raw_bodies(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body_encrypted FROM {table}")  # noqa: S608 - fixed table names
        return [bytes(row[0]) for row in cursor.fetchall()]


def new_master(key_id):
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


class TestConversation:
    def test_created_once(self, young_person):
        first = services.conversation_of(young_person)
        second = services.conversation_of(young_person)
        assert first.pk == second.pk
        assert Conversation.objects.filter(young_person=young_person).count() == 1
        assert first.wrapped_key.startswith("test:")
        assert len(services.data_key(first)) == 32

    def test_race_safe(self, young_person):
        """Two requests both see no conversation; the second create loses and reads the first."""
        existing = services.conversation_of(young_person)
        with mock.patch("django.db.models.query.QuerySet.first", return_value=None):
            again = services.conversation_of(young_person)
        assert again.pk == existing.pk
        assert Conversation.objects.filter(young_person=young_person).count() == 1
        # The database is still usable after the refused insert (savepoint rolled back).
        assert send(young_person.user, again).seq == 1

    def test_each_young_person_has_own_data_key(self, young_person, counselor):
        other = services.conversation_of(YoungPersonFactory(counselor=counselor))
        mine = services.conversation_of(young_person)
        assert services.data_key(mine) != services.data_key(other)


class TestSend:
    def test_both_parties_send(self, conversation, young_person, counselor):
        from_young = send(young_person.user, conversation, "Bonjour")
        from_counselor = send(counselor.user, conversation, "Bonjour, ça va ?")
        assert from_young.sender_role == SenderRole.YOUNG_PERSON
        assert from_counselor.sender_role == SenderRole.COUNSELOR
        assert from_young.kind == MessageKind.TEXT
        assert services.body_of(from_young) == "Bonjour"
        assert services.body_of(Message.objects.get(pk=from_counselor.pk)) == "Bonjour, ça va ?"

    def test_sequence_without_gaps(self, conversation, young_person, counselor):
        seqs = [
            send(young_person.user, conversation).seq,
            send(counselor.user, conversation).seq,
            send(young_person.user, conversation).seq,
        ]
        assert seqs == [1, 2, 3]
        conversation.refresh_from_db()
        assert conversation.last_seq == 3
        assert conversation.last_message_at is not None
        assert list(conversation.messages.values_list("seq", flat=True)) == [1, 2, 3]

    def test_sender_read_marker_moves_with_own_send(self, conversation, young_person, counselor):
        send(young_person.user, conversation)
        send(young_person.user, conversation)
        conversation.refresh_from_db()
        assert conversation.young_person_read_seq == 2
        assert conversation.counselor_read_seq == 0
        send(counselor.user, conversation)
        conversation.refresh_from_db()
        assert conversation.counselor_read_seq == 3
        assert conversation.young_person_read_seq == 2

    def test_empty_refused(self, conversation, young_person):
        for body in ["", "   \n\t ", None]:
            with refused("message_empty", field="body"):
                services.send_message(young_person.user, conversation, body)
        assert not Message.objects.exists()

    def test_length_limit(self, conversation, young_person):
        with refused("message_too_long", field="body"):
            services.send_message(young_person.user, conversation, "a" * 10_001)
        assert not Message.objects.exists()
        message, created = services.send_message(young_person.user, conversation, "a" * 10_000)
        assert created
        assert services.body_of(message) == "a" * 10_000

    def test_body_trimmed(self, conversation, young_person):
        assert services.body_of(send(young_person.user, conversation, "  Salut \n")) == "Salut"

    @pytest.mark.parametrize("who", ["other_young", "other_counselor", "colleague", "supervisor"])
    def test_third_party_gets_not_found(self, conversation, structure, counselor, who):
        third = {
            "other_young": lambda: YoungPersonFactory(counselor=counselor).user,
            "other_counselor": lambda: CounselorFactory().user,
            "colleague": lambda: CounselorFactory(structure=structure).user,
            "supervisor": lambda: CounselorFactory(structure=structure, supervisor=True).user,
        }[who]()
        with refused("not_found", status=404):
            services.send_message(third, conversation, "Intrusion")
        with refused("not_found", status=404):
            services.mark_read(third, conversation)
        assert not Message.objects.exists()

    def test_shared_item(self, conversation, counselor, young_person):
        shared_id = ActionFactory(young_person=young_person).pk
        message = send(counselor.user, conversation, "", shared_type="action", shared_id=shared_id)
        assert message.kind == MessageKind.SHARED
        assert message.shared_id == shared_id
        with refused("invalid_shared_type", field="shared_type"):
            services.send_message(counselor.user, conversation, "", shared_type="virus")
        with refused("shared_unavailable", field="shared_id"):
            send(counselor.user, conversation, "", shared_type="action", shared_id=uuid.uuid4())


class TestIdempotentSend:
    def test_same_client_id_twice(self, conversation, young_person):
        client_id = uuid.uuid4()
        first, created = services.send_message(
            young_person.user, conversation, "Bonjour", client_id=client_id
        )
        assert created
        again, created_again = services.send_message(
            young_person.user, conversation, "Bonjour", client_id=client_id
        )
        assert not created_again
        assert again.pk == first.pk
        assert Message.objects.count() == 1
        conversation.refresh_from_db()
        assert conversation.last_seq == 1

    def test_same_client_id_two_senders(self, conversation, young_person, counselor):
        client_id = uuid.uuid4()
        a, created_a = services.send_message(
            young_person.user, conversation, "Un", client_id=client_id
        )
        b, created_b = services.send_message(
            counselor.user, conversation, "Deux", client_id=client_id
        )
        assert created_a and created_b
        assert a.pk != b.pk
        assert Message.objects.count() == 2

    def test_concurrent_retry_returns_first(self, conversation, young_person):
        """A retry that passed the lookup before the first send committed hits the unique
        constraint and returns the first message."""
        client_id = uuid.uuid4()
        first = send(young_person.user, conversation, "Bonjour", client_id=client_id)
        real_filter = Message.objects.filter

        def blind_filter(*args, **kwargs):
            if "client_id" in kwargs:
                return Message.objects.none()
            return real_filter(*args, **kwargs)

        with mock.patch.object(Message.objects, "filter", side_effect=blind_filter):
            again, created = services.send_message(
                young_person.user, conversation, "Bonjour", client_id=client_id
            )
        assert not created
        assert again.pk == first.pk
        assert Message.objects.count() == 1
        conversation.refresh_from_db()
        assert conversation.last_seq == 1


class TestEncryptionAtRest:
    def test_no_plaintext_in_raw_rows(self, conversation, young_person):
        message = send(young_person.user, conversation, SECRET)
        services.edit_message(young_person.user, message, "Autre texte confidentiel")
        messages, versions = raw_bodies("chat_message"), raw_bodies("chat_messageversion")
        assert len(messages) == 1 and len(versions) == 1
        fragments = ["sécurité", "1 85 05", "numéro", "Autre texte", "confidentiel"]
        for raw in messages + versions:
            assert raw
            for fragment in fragments:
                assert fragment.encode() not in raw
                assert fragment.encode("latin-1", "ignore") not in raw
        stored = Message.objects.get(pk=message.pk)
        assert services.body_of(stored) == "Autre texte confidentiel"
        version = stored.versions.get()
        key = services.data_key(conversation)
        assert crypto.decrypt(key, version.body_encrypted, str(message.pk)) == SECRET

    def test_wrapped_key_is_not_the_data_key(self, conversation):
        key = services.data_key(conversation)
        assert base64.b64encode(key).decode() not in conversation.wrapped_key
        assert key.hex() not in conversation.wrapped_key

    def test_body_moved_to_another_row_does_not_decrypt(self, conversation, young_person):
        from cryptography.exceptions import InvalidTag

        a = send(young_person.user, conversation, "Un")
        b = send(young_person.user, conversation, "Deux")
        Message.objects.filter(pk=b.pk).update(body_encrypted=a.body_encrypted)
        with pytest.raises(InvalidTag):
            services.body_of(Message.objects.get(pk=b.pk))


class TestEditDelete:
    def test_edit_keeps_previous_version(self, conversation, young_person):
        message = send(young_person.user, conversation, "Premier jet")
        services.edit_message(young_person.user, message, "Version corrigée")
        services.edit_message(young_person.user, message, "Version finale")
        stored = Message.objects.get(pk=message.pk)
        assert stored.edited_at is not None
        assert services.body_of(stored) == "Version finale"
        key = services.data_key(conversation)
        assert [
            crypto.decrypt(key, v.body_encrypted, str(message.pk)) for v in stored.versions.all()
        ] == ["Premier jet", "Version corrigée"]
        assert stored.seq == 1

    def test_edit_validates_body(self, conversation, young_person):
        message = send(young_person.user, conversation, "Texte")
        with refused("message_empty"):
            services.edit_message(young_person.user, message, "  ")
        with refused("message_too_long"):
            services.edit_message(young_person.user, message, "a" * 10_001)
        assert not MessageVersion.objects.exists()

    def test_edit_or_delete_another_message_forbidden(self, conversation, young_person, counselor):
        message = send(young_person.user, conversation, "Texte")
        with refused("not_allowed", status=403):
            services.edit_message(counselor.user, message, "Réécrit")
        with refused("not_allowed", status=403):
            services.delete_message(counselor.user, message)
        system = services.post_system_message(conversation, "Vous avez un nouveau conseiller")
        with refused("not_allowed", status=403):
            services.edit_message(counselor.user, system, "Réécrit")
        assert not MessageVersion.objects.exists()
        assert services.body_of(Message.objects.get(pk=message.pk)) == "Texte"

    def test_delete_keeps_version(self, conversation, young_person):
        message = send(young_person.user, conversation, "À effacer")
        services.delete_message(young_person.user, message)
        stored = Message.objects.get(pk=message.pk)
        assert stored.deleted_at is not None
        assert services.body_of(stored) == ""
        version = stored.versions.get()
        key = services.data_key(conversation)
        assert crypto.decrypt(key, version.body_encrypted, str(message.pk)) == "À effacer"

    def test_deleted_message_cannot_change(self, conversation, young_person):
        message = send(young_person.user, conversation, "À effacer")
        services.delete_message(young_person.user, message)
        with refused("message_deleted", status=409):
            services.edit_message(young_person.user, message, "Revenu")
        with refused("message_deleted", status=409):
            services.delete_message(young_person.user, message)
        assert MessageVersion.objects.count() == 1

    def test_stale_copy_sees_the_deletion(self, conversation, young_person):
        """Another tab deleted the message: an edit from an older copy is refused, and the
        deleted row keeps no body."""
        message = send(young_person.user, conversation, "Texte")
        stale = Message.objects.get(pk=message.pk)
        services.delete_message(young_person.user, message)
        with refused("message_deleted", status=409):
            services.edit_message(young_person.user, stale, "Revenu")
        assert bytes(Message.objects.get(pk=message.pk).body_encrypted) == b""

    def test_stale_copy_keeps_every_version(self, conversation, young_person):
        message = send(young_person.user, conversation, "Un")
        stale = Message.objects.get(pk=message.pk)
        services.edit_message(young_person.user, message, "Deux")
        services.edit_message(young_person.user, stale, "Trois")
        key = services.data_key(conversation)
        assert [
            crypto.decrypt(key, v.body_encrypted, str(message.pk))
            for v in MessageVersion.objects.filter(message=message)
        ] == ["Un", "Deux"]


class TestReadMarkers:
    def test_mark_read_moves_forward_only_and_clamps(self, conversation, young_person, counselor):
        for _ in range(3):
            send(young_person.user, conversation)
        assert services.unread_count(conversation, SenderRole.COUNSELOR) == 3
        assert services.unread_count(conversation, SenderRole.YOUNG_PERSON) == 0
        assert services.mark_read(counselor.user, conversation, 2).counselor_read_seq == 2
        assert services.mark_read(counselor.user, conversation, 1).counselor_read_seq == 2
        assert services.mark_read(counselor.user, conversation, 99).counselor_read_seq == 3
        assert services.mark_read(counselor.user, conversation, -5).counselor_read_seq == 3
        conversation.refresh_from_db()
        assert conversation.counselor_read_seq == 3
        assert services.unread_count(conversation, SenderRole.COUNSELOR) == 0

    def test_unread_both_sides(self, conversation, young_person, counselor):
        send(young_person.user, conversation)
        send(counselor.user, conversation)
        send(counselor.user, conversation)
        conversation.refresh_from_db()
        assert services.unread_count(conversation, SenderRole.YOUNG_PERSON) == 2
        assert services.unread_count(conversation, SenderRole.COUNSELOR) == 0
        services.mark_read(young_person.user, conversation)
        conversation.refresh_from_db()
        assert conversation.young_person_read_seq == 3
        assert services.unread_count(conversation, SenderRole.YOUNG_PERSON) == 0

    def test_mark_read_emits_event_only_when_moving(
        self, conversation, young_person, counselor, listen, django_capture_on_commit_callbacks
    ):
        send(young_person.user, conversation)
        young_inbox = listen(young_person.user)
        counselor_inbox = listen(counselor.user)
        with django_capture_on_commit_callbacks(execute=True):
            services.mark_read(counselor.user, conversation)
        expected = {
            "type": "conversation.read",
            "conversation_id": str(conversation.pk),
            "reader": SenderRole.COUNSELOR,
            "seq": 1,
        }
        assert young_inbox.events() == [expected]
        assert counselor_inbox.events() == [expected]
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.mark_read(counselor.user, conversation)
        assert callbacks == []


class TestFlagAndSystem:
    def test_flag_counselor_only(self, conversation, young_person, counselor):
        assert services.set_flag(counselor.user, conversation, True).flagged
        conversation.refresh_from_db()
        assert conversation.flagged
        with refused("not_allowed", status=403):
            services.set_flag(young_person.user, conversation, False)
        conversation.refresh_from_db()
        assert conversation.flagged
        with refused("not_found", status=404):
            colleague = CounselorFactory(structure=counselor.structure)
            services.set_flag(colleague.user, conversation, False)

    def test_system_message(self, conversation, young_person):
        send(young_person.user, conversation)
        message = services.post_system_message(conversation, "Vous avez un nouveau conseiller")
        assert message.seq == 2
        assert message.sender is None
        assert message.sender_role == SenderRole.SYSTEM
        assert message.kind == MessageKind.SYSTEM
        assert services.body_of(message) == "Vous avez un nouveau conseiller"
        conversation.refresh_from_db()
        assert services.unread_count(conversation, SenderRole.YOUNG_PERSON) == 1
        assert services.unread_count(conversation, SenderRole.COUNSELOR) == 2


class TestEvents:
    def test_created_event_on_commit_without_body(
        self, conversation, young_person, counselor, listen, django_capture_on_commit_callbacks
    ):
        young_inbox, counselor_inbox = listen(young_person.user), listen(counselor.user)
        stranger_inbox = listen(CounselorFactory(structure=counselor.structure).user)
        with django_capture_on_commit_callbacks() as callbacks:
            message = send(young_person.user, conversation, SECRET)
        # Nothing before the commit.
        assert young_inbox.events() == []
        for callback in callbacks:
            callback()
        for inbox in (young_inbox, counselor_inbox):
            (event,) = inbox.events()
            assert event["type"] == "message.created"
            assert event["conversation_id"] == str(conversation.pk)
            assert event["seq"] == message.seq == 1
            assert "body" not in event
            assert "sécurité" not in repr(event)
        assert stranger_inbox.events() == []

    def test_edit_and_delete_events_without_body(
        self, conversation, young_person, counselor, listen, django_capture_on_commit_callbacks
    ):
        message = send(young_person.user, conversation, "Premier")
        counselor_inbox = listen(counselor.user)
        with django_capture_on_commit_callbacks(execute=True):
            services.edit_message(young_person.user, message, SECRET)
        with django_capture_on_commit_callbacks(execute=True):
            services.delete_message(young_person.user, message)
        events = counselor_inbox.events()
        assert [e["type"] for e in events] == ["message.updated", "message.deleted"]
        for event in events:
            assert event["seq"] == 1
            assert event["conversation_id"] == str(conversation.pk)
            assert "sécurité" not in repr(event) and "Premier" not in repr(event)

    def test_refused_send_emits_nothing(
        self, conversation, young_person, listen, django_capture_on_commit_callbacks
    ):
        inbox = listen(young_person.user)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(ServiceError):
                services.send_message(young_person.user, conversation, "")
        assert callbacks == []
        assert inbox.events() == []


class TestKeyRotation:
    def test_rotate_rewraps_and_old_key_can_go(
        self, settings, conversation, young_person, counselor
    ):
        other = services.conversation_of(YoungPersonFactory(counselor=counselor))
        message = send(young_person.user, conversation, SECRET)
        services.edit_message(young_person.user, message, "Corrigé")
        other_message = send(counselor.user, other, "Bienvenue")
        new = new_master("new")
        settings.CHAT_MASTER_KEYS = [new, TEST_KEY]
        assert services.rotate_master_key() == 2
        for c in Conversation.objects.all():
            assert c.wrapped_key.startswith("new:")
        # Nothing left to do the second time.
        assert services.rotate_master_key() == 0
        settings.CHAT_MASTER_KEYS = [new]
        stored = Message.objects.select_related("conversation").get(pk=message.pk)
        assert services.body_of(stored) == "Corrigé"
        key = services.data_key(stored.conversation)
        assert crypto.decrypt(key, stored.versions.get().body_encrypted, str(message.pk)) == SECRET
        assert (
            services.body_of(
                Message.objects.select_related("conversation").get(pk=other_message.pk)
            )
            == "Bienvenue"
        )
        # New conversations and messages use the new key.
        fresh = services.conversation_of(YoungPersonFactory(counselor=counselor))
        assert fresh.wrapped_key.startswith("new:")
        assert services.body_of(send(counselor.user, fresh, "Salut")) == "Salut"

    def test_management_command(self, settings, conversation):
        settings.CHAT_MASTER_KEYS = [new_master("new"), TEST_KEY]
        out = StringIO()
        call_command("rotate_chat_key", stdout=out)
        assert "1 clé(s) de conversation rechiffrée(s)" in out.getvalue()
        conversation.refresh_from_db()
        assert conversation.wrapped_key.startswith("new:")
        out = StringIO()
        call_command("rotate_chat_key", stdout=out)
        assert out.getvalue().startswith("0 ")
