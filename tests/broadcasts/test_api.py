"""The broadcast API: lists, members, group messages and the pinned notice. Every answer is
checked against the published OpenAPI document."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from passemploi.broadcasts import services
from passemploi.chat import attachments
from passemploi.chat import services as chat_services
from passemploi.chat.models import Message
from tests.accounts.test_api import documented, openapi  # noqa: F401  (openapi: a fixture)
from tests.actions.test_api import call  # noqa: F401 (a fixture)
from tests.chat.files import pdf_bytes, upload
from tests.factories import CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

LISTS = "/api/v1/broadcast-lists"
LIST = LISTS + "/{list_id}"
MEMBERS = LIST + "/members"
GROUP = "/api/v1/group-messages"
NOTICE = "/api/v1/pinned-notice"


@pytest.fixture
def me(counselor):
    return counselor.user


def test_list_crud(call, me, counselor, young_person):
    other = YoungPersonFactory(counselor=counselor)
    status, created = call(
        me, "post", LISTS, {"name": "Atelier", "young_person_ids": [str(young_person.pk)]}
    )
    assert status == 201
    assert created["member_count"] == 1 and created["members"][0]["id"] == str(young_person.pk)
    list_id = created["id"]
    status, body = call(me, "patch", LIST, {"name": "Atelier jeudi"}, list_id=list_id)
    assert status == 200 and body["name"] == "Atelier jeudi"
    status, body = call(me, "put", MEMBERS, {"young_person_ids": [str(other.pk)]}, list_id=list_id)
    assert [m["id"] for m in body["members"]] == [str(other.pk)]
    status, page = call(me, "get", LISTS)
    assert page["count"] == 1 and page["items"][0]["name"] == "Atelier jeudi"
    assert call(me, "get", LIST, list_id=list_id)[0] == 200
    assert call(me, "delete", LIST, list_id=list_id) == (204, None)
    assert call(me, "get", LIST, list_id=list_id)[0] == 404


def test_list_errors(call, me, counselor, young_person):
    services.create_list(me, "Atelier")
    status, body = call(me, "post", LISTS, {"name": "atelier"})
    assert (status, body["code"], list(body["fields"])) == (409, "name_taken", ["name"])
    status, body = call(me, "post", LISTS, {"name": "x" * 101})
    assert (status, body["code"]) == (400, "name_too_long")
    stranger = YoungPersonFactory()
    status, body = call(me, "post", LISTS, {"name": "B", "young_person_ids": [str(stranger.pk)]})
    assert (status, body["code"]) == (404, "not_found")


def test_members_reassigned_are_not_listed(call, me, counselor, young_person):
    moved = YoungPersonFactory(counselor=counselor)
    listed = services.create_list(me, "L", [young_person.pk, moved.pk])
    moved.counselor = CounselorFactory(structure=counselor.structure)
    moved.save()
    _, body = call(me, "get", LIST, list_id=listed.pk)
    assert body["member_count"] == 1 and [m["id"] for m in body["members"]] == [
        str(young_person.pk)
    ]


def test_lists_are_their_owners_only(call, counselor, young_person):
    listed = services.create_list(counselor.user, "L")
    supervisor = CounselorFactory(structure=counselor.structure, supervisor=True)
    assert call(supervisor.user, "get", LIST, list_id=listed.pk)[0] == 404
    assert call(supervisor.user, "get", LISTS)[1]["count"] == 0
    assert call(young_person.user, "get", LISTS)[0] == 403


def test_group_message_and_retry(call, me, counselor, young_person):
    second = YoungPersonFactory(counselor=counselor)
    listed = services.create_list(me, "L", [second.pk])
    payload = {
        "client_id": str(uuid.uuid4()),
        "young_person_ids": [str(young_person.pk), str(second.pk)],
        "list_ids": [str(listed.pk)],
        "body": "Atelier jeudi",
    }
    status, first = call(me, "post", GROUP, payload)
    assert status == 201 and first["recipient_count"] == 2
    by_person = {r["young_person_id"]: r["message_id"] for r in first["recipients"]}
    assert set(by_person) == {str(young_person.pk), str(second.pk)}
    message = Message.objects.get(pk=by_person[str(second.pk)])
    assert message.conversation.young_person == second
    status, again = call(me, "post", GROUP, payload)
    assert status == 200 and again == first
    assert Message.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"young_person_ids": []}, 400, "no_recipient"),
        ({"body": ""}, 400, "message_empty"),
        ({"body": "x" * 10_001}, 400, "message_too_long"),
        ({"list_ids": [str(uuid.uuid4())]}, 404, "not_found"),
    ],
)
def test_group_message_bad_input(call, me, young_person, change, status, code):
    payload = {
        "client_id": str(uuid.uuid4()),
        "young_person_ids": [str(young_person.pk)],
        "body": "Bonjour",
    } | change
    answer = call(me, "post", GROUP, payload)
    assert (answer[0], answer[1]["code"]) == (status, code)
    assert not Message.objects.exists()


def test_group_message_to_someone_not_mine_leaks_nothing(call, me, young_person):
    stranger = YoungPersonFactory()
    answers = [
        call(
            me,
            "post",
            GROUP,
            {"client_id": str(uuid.uuid4()), "young_person_ids": [str(pk)], "body": "Bonjour"},
        )
        for pk in (stranger.pk, uuid.uuid4())
    ]
    assert answers[0] == answers[1]
    assert answers[0][0] == 404
    assert not Message.objects.exists()


def test_group_message_with_an_uploaded_attachment(
    call, me, counselor, young_person, attachment_storage
):
    second = YoungPersonFactory(counselor=counselor)
    conversation = chat_services.conversation_of(young_person)
    uploaded = attachments.store(
        conversation, me, attachments.check_upload(upload("programme.pdf", pdf_bytes()))
    )
    status, body = call(
        me,
        "post",
        GROUP,
        {
            "client_id": str(uuid.uuid4()),
            "young_person_ids": [str(young_person.pk), str(second.pk)],
            "attachment_id": str(uploaded.pk),
        },
    )
    assert status == 201
    for recipient in body["recipients"]:
        assert (
            Message.objects.get(pk=recipient["message_id"]).attachment.filename == "programme.pdf"
        )


def test_notice_put_get_delete(call, me, counselor, young_person):
    today = timezone.localdate()
    assert call(me, "get", NOTICE) == (200, {"notice": None})
    status, body = call(
        me, "put", NOTICE, {"text": "Absent", "starts_on": str(today), "ends_on": str(today)}
    )
    assert status == 200 and body["notice"]["active"] is True
    _, seen = call(young_person.user, "get", NOTICE)
    assert seen["notice"]["text"] == "Absent"
    assert seen["notice"]["counselor_name"] == me.get_full_name()
    assert call(me, "delete", NOTICE) == (204, None)
    assert call(young_person.user, "get", NOTICE) == (200, {"notice": None})


def test_notice_outside_its_window_is_hidden_from_the_young_person(call, me, young_person):
    later = timezone.localdate() + timedelta(days=3)
    call(me, "put", NOTICE, {"text": "Absent", "starts_on": str(later), "ends_on": str(later)})
    assert call(young_person.user, "get", NOTICE) == (200, {"notice": None})
    _, mine = call(me, "get", NOTICE)
    assert mine["notice"]["active"] is False


def test_notice_bad_input(call, me, young_person):
    status, body = call(
        me, "put", NOTICE, {"text": "Absent", "starts_on": "2026-04-10", "ends_on": "2026-04-09"}
    )
    assert (status, body["code"], list(body["fields"])) == (400, "ends_before_start", ["ends_on"])
    status, body = call(
        me, "put", NOTICE, {"text": "x" * 1001, "starts_on": "2026-04-10", "ends_on": "2026-04-10"}
    )
    assert (status, body["code"]) == (400, "text_too_long")
    assert (
        call(
            young_person.user,
            "put",
            NOTICE,
            {"text": "A", "starts_on": "2026-04-10", "ends_on": "2026-04-10"},
        )[0]
        == 403
    )
