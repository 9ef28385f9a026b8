"""Attachments in the conversation pages (a plain multipart form, no script needed) and in the
API (upload, then send with `attachment_id`; download)."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passemploi.accounts import tokens
from passemploi.chat import attachments, services
from passemploi.chat.models import Attachment, Message
from tests.accounts.test_api import documented, openapi  # noqa: F401  (openapi: a fixture)
from tests.actions.test_api import call  # noqa: F401 (a fixture)
from tests.chat.files import image_bytes, pdf_bytes, upload
from tests.factories import CounselorFactory, YoungPersonFactory
from tests.helpers import text

pytestmark = pytest.mark.django_db

UPLOAD = "/api/v1/conversations/{conversation_id}/attachments"
MESSAGES = "/api/v1/conversations/{conversation_id}/messages"
CONTENT = "/api/v1/attachments/{attachment_id}/content"


@pytest.fixture
def conversation(young_person):
    return services.conversation_of(young_person)


# --- pages ---------------------------------------------------------------------------------------


def test_young_person_sends_a_file_and_counselor_downloads_it(
    young_client, counselor_client, conversation
):
    page = reverse("youth:messages")
    form = text(young_client.get(page))
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    response = young_client.post(
        page,
        {"body": "", "client_id": str(uuid.uuid4()), "file": upload("mon cv.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.message.conversation == conversation
    counselor_page = text(
        counselor_client.get(reverse("chat_counselor:conversation", args=[conversation.pk]))
    )
    link = reverse("chat_counselor:attachment", args=[attachment.pk])
    assert link in counselor_page and "Télécharger mon cv.pdf" in counselor_page
    assert counselor_client.get(link).content == pdf_bytes()


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("facture.pdf", b"MZ\x90\x00" + b"\x00" * 64, "Ce type de fichier n'est pas accepté"),
        ("photo.png", image_bytes("PNG", (200, 200))[:-100], "Cette image est incomplète"),
    ],
)
def test_bad_file_shows_french_error_and_keeps_text(
    counselor_client, conversation, name, data, error
):
    page = reverse("chat_counselor:conversation", args=[conversation.pk])
    response = counselor_client.post(
        page, {"body": "Voici le document", "file": upload(name, data)}
    )
    assert response.status_code == 400
    body = text(response)
    assert error in body
    assert "Voici le document" in body  # nothing typed is lost
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_empty_message_without_file_refused(young_client, conversation):
    response = young_client.post(reverse("youth:messages"), {"body": "  "})
    assert response.status_code == 400
    assert "Le message est vide." in text(response)


def test_thread_query_count_is_constant(
    counselor, counselor_client, conversation, young_person, django_assert_max_num_queries
):
    def add(count):
        for index in range(count):
            sender = young_person.user if index % 2 else counselor.user
            checked = None
            if index % 3 == 0:
                checked = attachments.check_upload(upload(f"f{index}.png", image_bytes("PNG")))
            services.send_message(sender, conversation, f"Message {index}", upload=checked)

    url = reverse("chat_counselor:thread", args=[conversation.pk])
    add(3)
    counselor_client.get(url)  # marks read: the measured calls have nothing to mark
    with CaptureQueriesContext(connection) as few:
        counselor_client.get(url)
    few = len(few)  # counted now: the next request resets the query log
    add(30)
    counselor_client.get(url)
    with django_assert_max_num_queries(few):
        assert counselor_client.get(url).status_code == 200


# --- API -----------------------------------------------------------------------------------------


def _upload(user, conversation, name, data, openapi):  # noqa: F811
    token = tokens.issue_token_pair(user)["access_token"]
    response = Client().post(
        UPLOAD.format(conversation_id=conversation.pk),
        {"file": upload(name, data)},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code, documented(openapi, "post", UPLOAD, response)


def test_api_upload_send_and_download(call, openapi, young_person, conversation):  # noqa: F811
    status, attachment = _upload(young_person.user, conversation, "cv.pdf", pdf_bytes(), openapi)
    assert status == 201
    assert attachment["filename"] == "cv.pdf" and attachment["state"] == "clean"
    assert attachment["content_type"] == "application/pdf"
    assert attachment["size"] == len(pdf_bytes())
    status, message = call(
        young_person.user,
        "post",
        MESSAGES,
        {"body": "", "attachment_id": attachment["id"], "client_id": str(uuid.uuid4())},
        conversation_id=conversation.pk,
    )
    assert status == 201
    assert message["kind"] == "attachment"
    assert message["attachment"]["id"] == attachment["id"]
    # Sent once: it cannot be attached again.
    status, error = call(
        young_person.user,
        "post",
        MESSAGES,
        {"body": "Encore", "attachment_id": attachment["id"]},
        conversation_id=conversation.pk,
    )
    assert status == 400 and error["code"] == "attachment_unavailable"
    # The counselor lists it and downloads it.
    counselor = young_person.counselor.user
    status, page = call(counselor, "get", MESSAGES, conversation_id=conversation.pk)
    assert page["items"][0]["attachment"]["filename"] == "cv.pdf"
    token = tokens.issue_token_pair(counselor)["access_token"]
    response = Client().get(
        CONTENT.format(attachment_id=attachment["id"]),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response.content == pdf_bytes()
    assert response["Content-Disposition"] == 'attachment; filename="cv.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("setup.pdf", b"\x7fELF" + b"\x00" * 64, 415, "attachment_type_not_allowed"),
        ("vide.pdf", b"", 400, "attachment_empty"),
        ("coupe.png", image_bytes("PNG", (200, 200))[:-100], 400, "attachment_corrupt"),
    ],
)
def test_api_upload_refused(openapi, young_person, conversation, name, data, status, code):  # noqa: F811
    got, error = _upload(young_person.user, conversation, name, data, openapi)
    assert (got, error["code"]) == (status, code)
    assert error["fields"]["file"]
    assert not Attachment.objects.exists()


def test_api_upload_too_large(openapi, young_person, conversation):  # noqa: F811
    big = pdf_bytes() + b" " * (5 * 1024 * 1024)
    got, error = _upload(young_person.user, conversation, "gros.pdf", big, openapi)
    assert (got, error["code"]) == (413, "attachment_too_large")


def test_api_unsent_upload_is_the_uploaders_alone(call, openapi, young_person, conversation):  # noqa: F811
    _, attachment = _upload(young_person.user, conversation, "cv.pdf", pdf_bytes(), openapi)
    counselor = young_person.counselor.user
    status, _ = call(counselor, "get", CONTENT, attachment_id=attachment["id"])
    assert status == 404
    # Nor can the counselor send it as theirs.
    status, error = call(
        counselor,
        "post",
        MESSAGES,
        {"body": "", "attachment_id": attachment["id"]},
        conversation_id=conversation.pk,
    )
    assert status == 400 and error["code"] == "attachment_unavailable"


def test_api_download_by_others_not_found(call, openapi, young_person, conversation):  # noqa: F811
    _, attachment = _upload(young_person.user, conversation, "cv.pdf", pdf_bytes(), openapi)
    services.send_message(young_person.user, conversation, "", attachment=Attachment.objects.get())
    for user in (
        YoungPersonFactory(counselor=young_person.counselor).user,
        CounselorFactory(structure=young_person.structure).user,
    ):
        status, error = call(user, "get", CONTENT, attachment_id=attachment["id"])
        assert status == 404
