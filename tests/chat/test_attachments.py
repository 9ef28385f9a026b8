"""Attachments: type sniffing and limits, encryption at rest, a real clamd (clean, infected,
unreachable then rescanned), one copy per conversation, download rules and expiry."""

from contextlib import contextmanager
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from passemploi.chat import attachments, clamd, services
from passemploi.chat.checks import clamd_configured
from passemploi.chat.enums import MessageKind
from passemploi.chat.models import Attachment, AttachmentState
from passemploi.core.errors import ServiceError
from tests.chat.conftest import EICAR
from tests.chat.files import eicar_pdf, image_bytes, pdf_bytes, upload
from tests.conftest import client_for
from tests.factories import CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@contextmanager
def refused(code, status=400):
    with pytest.raises(ServiceError) as info:
        yield info
    assert info.value.code == code, info.value.code
    assert info.value.status == status
    assert info.value.field == "file"


@pytest.fixture
def conversation(young_person):
    return services.conversation_of(young_person)


def send_file(user, conversation, name="cv.pdf", data=None, body=""):
    checked = attachments.check_upload(upload(name, data or pdf_bytes()))
    message, _ = services.send_message(user, conversation, body, upload=checked)
    return message


def stored_bytes(storage_dir: Path, attachment) -> bytes:
    return (storage_dir / attachment.storage_key).read_bytes()


class TestSniffing:
    @pytest.mark.parametrize(
        ("name", "kind", "content_type", "filename"),
        [
            ("CV final.pdf", "PDF", "application/pdf", "CV final.pdf"),
            ("photo.png", "PNG", "image/png", "photo.png"),
            ("photo.JPG", "JPEG", "image/jpeg", "photo.jpg"),
            ("photo.webp", "WEBP", "image/webp", "photo.webp"),
            # The name does not decide: a PNG called .pdf is a PNG, renamed accordingly.
            ("scan.pdf", "PNG", "image/png", "scan.pdf.png"),
            ("../../etc/passwd", "PNG", "image/png", "passwd.png"),
            ("...", "JPEG", "image/jpeg", "piece-jointe.jpg"),
        ],
    )
    def test_accepted(self, name, kind, content_type, filename):
        data = pdf_bytes() if kind == "PDF" else image_bytes(kind)
        checked = attachments.check_upload(upload(name, data))
        assert checked.content_type == content_type
        assert checked.filename == filename
        assert checked.size == len(data)
        # No clamd configured: accepted as clean, never scanned.
        assert checked.state == AttachmentState.CLEAN and checked.scanned_at is None

    @pytest.mark.parametrize(
        ("name", "data", "code", "status"),
        [
            ("facture.pdf", ELF, "attachment_type_not_allowed", 415),
            ("facture.pdf", WINDOWS_EXE, "attachment_type_not_allowed", 415),
            ("notes.txt", b"Bonjour", "attachment_type_not_allowed", 415),
            ("image.gif", image_bytes("GIF"), "attachment_type_not_allowed", 415),
            ("vide.pdf", b"", "attachment_empty", 400),
            ("coupe.png", image_bytes("PNG", (300, 300))[:-200], "attachment_corrupt", 400),
            ("coupe.jpg", image_bytes("JPEG", (300, 300))[:400], "attachment_corrupt", 400),
            ("coupe.pdf", pdf_bytes()[:-200], "attachment_corrupt", 400),
            ("faux.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "attachment_corrupt", 400),
        ],
    )
    def test_refused(self, name, data, code, status):
        with refused(code, status):
            attachments.check_upload(upload(name, data))

    def test_over_five_megabytes(self):
        data = pdf_bytes()
        big = data[:-6] + b" " * (attachments.MAX_SIZE - len(data) + 1) + b"%%EOF\n"
        assert len(big) > attachments.MAX_SIZE
        with refused("attachment_too_large", 413):
            attachments.check_upload(upload("gros.pdf", big))
        # Exactly 5 MB passes.
        exact = data[:-6] + b" " * (attachments.MAX_SIZE - len(data)) + b"%%EOF\n"
        assert len(exact) == attachments.MAX_SIZE
        assert attachments.check_upload(upload("juste.pdf", exact)).size == attachments.MAX_SIZE

    def test_control_characters_removed_from_name(self):
        checked = attachments.check_upload(upload("re\u202egnp.pdf\x00", pdf_bytes()))
        assert checked.filename == "regnp.pdf"


class TestSend:
    def test_stored_encrypted_with_its_message(
        self, conversation, young_person, attachment_storage
    ):
        data = pdf_bytes()
        message = send_file(young_person.user, conversation, "cv.pdf", data, body="Mon CV")
        attachment = Attachment.objects.get()
        assert message.kind == MessageKind.ATTACHMENT
        assert attachment.message == message and attachment.uploader == young_person.user
        assert attachment.expires_at - attachment.created_at == timedelta(days=122)
        raw = stored_bytes(attachment_storage, attachment)
        assert data not in raw and b"%PDF" not in raw
        assert "cv" not in attachment.storage_key
        assert attachments.read(attachment) == data

    def test_body_may_be_empty_with_a_file(self, conversation, counselor):
        message = send_file(counselor.user, conversation, body="")
        assert services.body_of(message) == ""

    def test_one_copy_per_conversation(self, counselor, attachment_storage):
        """A multi-recipient send passes one CheckedUpload to each conversation."""
        first, second = (
            services.conversation_of(YoungPersonFactory(counselor=counselor)) for _ in range(2)
        )
        checked = attachments.check_upload(upload("atelier.png", image_bytes("PNG")))
        for conversation in (first, second):
            services.send_message(counselor.user, conversation, "", upload=checked)
        one, two = Attachment.objects.order_by("created_at")
        assert {one.conversation_id, two.conversation_id} == {first.pk, second.pk}
        assert one.storage_key != two.storage_key
        assert stored_bytes(attachment_storage, one) != stored_bytes(attachment_storage, two)
        assert attachments.read(one) == attachments.read(two) == checked.content

    def test_idempotent_send_stores_once(self, conversation, young_person):
        checked = attachments.check_upload(upload("cv.pdf", pdf_bytes()))
        client_id = "2b1f1c4e-8d8a-4a53-9f9e-1d7c2a0b3e4f"
        for _ in range(2):
            services.send_message(
                young_person.user, conversation, "", client_id=client_id, upload=checked
            )
        assert Attachment.objects.count() == 1

    def test_third_party_cannot_send(self, conversation, structure):
        stranger = CounselorFactory(structure=structure)
        with pytest.raises(ServiceError) as info:
            send_file(stranger.user, conversation)
        assert info.value.status == 404
        assert not Attachment.objects.exists()


class TestClamd:
    def test_clean_and_infected(self, clamd_socket, conversation, young_person):
        assert clamd.ping()
        assert clamd.scan(EICAR) == "Eicar-Test-Signature.UNOFFICIAL"
        clean = attachments.check_upload(upload("cv.pdf", pdf_bytes()))
        assert clean.state == AttachmentState.CLEAN and clean.scanned_at is not None
        infected = attachments.check_upload(upload("cv.pdf", eicar_pdf()))
        assert infected.state == AttachmentState.INFECTED
        services.send_message(young_person.user, conversation, "", upload=infected)
        attachment = Attachment.objects.get()
        with pytest.raises(ServiceError) as info:
            attachments.content_for_download(attachment)
        assert info.value.code == "attachment_infected"

    def test_unreachable_then_rescanned(self, clamd_socket, settings, tmp_path, conversation):
        young = conversation.young_person.user
        settings.CLAMD_SOCKET = str(tmp_path / "absent.sock")
        send_file(young, conversation, "cv.pdf", pdf_bytes())
        send_file(young, conversation, "virus.pdf", eicar_pdf())
        assert set(Attachment.objects.values_list("state", flat=True)) == {"pending"}
        with pytest.raises(ServiceError) as info:
            attachments.content_for_download(Attachment.objects.first())
        assert info.value.code == "attachment_pending" and info.value.status == 409
        # Still down: nothing changes.
        assert attachments.scan_pending_attachments()["pending"] == 2
        settings.CLAMD_SOCKET = str(clamd_socket)
        out = StringIO()
        call_command("scan_pending_attachments", stdout=out)
        states = dict(Attachment.objects.values_list("filename", "state"))
        assert states == {"cv.pdf": "clean", "virus.pdf": "infected"}
        assert "1 saine(s), 1 infectée(s), 0 encore" in out.getvalue()

    def test_tcp_unreachable(self, settings):
        settings.CLAMD_HOST, settings.CLAMD_PORT, settings.CLAMD_TIMEOUT = "127.0.0.1", 9, 1
        with pytest.raises(clamd.ClamdUnavailable):
            clamd.scan(b"x")
        assert not clamd.ping()


class TestDownload:
    @pytest.fixture
    def attachment(self, conversation, young_person):
        send_file(young_person.user, conversation, "cv.pdf", pdf_bytes())
        return Attachment.objects.get()

    def test_both_parties(self, attachment, young_client, counselor_client):
        for client, name in (
            (young_client, "chat_young:attachment"),
            (counselor_client, "chat_counselor:attachment"),
        ):
            response = client.get(reverse(name, args=[attachment.pk]))
            assert response.status_code == 200
            assert response.content == pdf_bytes()
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"] == 'attachment; filename="cv.pdf"'
            assert response["X-Content-Type-Options"] == "nosniff"

    def test_others_get_not_found(self, attachment, counselor, other_structure_counselor):
        other_young = YoungPersonFactory(counselor=counselor)
        colleague = CounselorFactory(structure=counselor.structure)
        for user, name in (
            (other_young.user, "chat_young:attachment"),
            (colleague.user, "chat_counselor:attachment"),
            (other_structure_counselor.user, "chat_counselor:attachment"),
        ):
            response = client_for(user).get(reverse(name, args=[attachment.pk]))
            assert response.status_code == 404

    def test_gone_with_its_deleted_message(self, attachment, young_person, counselor_client):
        services.delete_message(young_person.user, attachment.message)
        url = reverse("chat_counselor:attachment", args=[attachment.pk])
        assert counselor_client.get(url).status_code == 404

    def test_expired(self, attachment, young_client, attachment_storage):
        path = attachment_storage / attachment.storage_key
        assert path.exists()
        assert attachments.expire_attachments()["expired"] == 0
        later = timezone.now() + timedelta(days=123)
        out = StringIO()
        call_command("expire_attachments", stdout=out, now=later.isoformat())
        attachment.refresh_from_db()
        assert attachment.state == AttachmentState.EXPIRED and not path.exists()
        url = reverse("chat_young:attachment", args=[attachment.pk])
        assert young_client.get(url).status_code == 410
        page = young_client.get(reverse("youth:messages")).content.decode()
        assert "Pièce jointe expirée" in page
        assert url not in page

    def test_orphan_upload_dropped_after_a_day(
        self, conversation, young_person, attachment_storage
    ):
        checked = attachments.check_upload(upload("cv.pdf", pdf_bytes()))
        orphan = attachments.store(conversation, young_person.user, checked)
        assert attachments.expire_attachments()["orphans"] == 0
        later = timezone.now() + timedelta(days=2)
        assert attachments.expire_attachments(later)["orphans"] == 1
        assert not Attachment.objects.filter(pk=orphan.pk).exists()
        assert not (attachment_storage / orphan.storage_key).exists()


def test_deploy_check_warns_without_clamd(settings):
    assert [w.id for w in clamd_configured(None)] == ["chat.W001"]
    settings.CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    assert clamd_configured(None) == []
