"""The messaging API: every operation, bad input, authorization, idempotent send and resync
after a missed sequence. Every answer is checked against the published OpenAPI document."""

import uuid

import pytest

from passemploi.chat import services
from passemploi.chat.models import Conversation, Message, MessageVersion
from tests.accounts.test_api import documented, openapi  # noqa: F401  (openapi: a fixture)
from tests.actions.test_api import call  # noqa: F401 (a fixture)
from tests.factories import CounselorFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

CONVERSATIONS = "/api/v1/conversations"
CONVERSATION = "/api/v1/conversations/{conversation_id}"
MESSAGES = CONVERSATION + "/messages"
READ = CONVERSATION + "/read"
FLAG = CONVERSATION + "/flag"
MESSAGE = "/api/v1/messages/{message_id}"


@pytest.fixture
def young_person():
    return YoungPersonFactory()


@pytest.fixture
def counselor(young_person):
    return young_person.counselor.user


@pytest.fixture
def conversation(young_person):
    return services.conversation_of(young_person)


def send(call, user, conversation, body="Bonjour", **extra):
    return call(user, "post", MESSAGES, {"body": body, **extra}, conversation_id=conversation.pk)


# --- conversations -------------------------------------------------------------------------------


def test_young_person_conversation_is_created_on_first_list(call, young_person):
    assert not Conversation.objects.exists()
    status, body = call(young_person.user, "get", CONVERSATIONS)
    assert status == 200
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["young_person"]["id"] == str(young_person.user.pk)
    assert item["counselor"]["id"] == str(young_person.counselor.user.pk)
    assert item["last_seq"] == 0 and item["unread_count"] == 0
    assert item["last_message_at"] is None
    # A second call finds the same one.
    assert call(young_person.user, "get", CONVERSATIONS)[1]["items"][0]["id"] == item["id"]
    assert Conversation.objects.count() == 1


def test_counselor_lists_portfolio_by_last_message_with_unread_and_flag(call, counselor):
    first = YoungPersonFactory(counselor=counselor.counselor)
    second = YoungPersonFactory(counselor=counselor.counselor)
    YoungPersonFactory(counselor=counselor.counselor, is_archived=True)
    YoungPersonFactory()  # someone else's
    send(call, first.user, services.conversation_of(first), "Premier")
    send(call, second.user, services.conversation_of(second), "Deux")
    send(call, second.user, services.conversation_of(second), "Trois")
    services.set_flag(counselor, services.conversation_of(first), True)

    status, body = call(counselor, "get", CONVERSATIONS)
    assert status == 200
    names = [item["young_person"]["id"] for item in body["items"]]
    # The portfolio's conversation without message (the fixture's young person) comes last.
    assert names[:2] == [str(second.user.pk), str(first.user.pk)]
    assert body["count"] == 3
    unread = {item["young_person"]["id"]: item["unread_count"] for item in body["items"]}
    assert unread[str(second.user.pk)] == 2 and unread[str(first.user.pk)] == 1

    status, body = call(counselor, "get", CONVERSATIONS, query={"flagged": "true"})
    assert [item["young_person"]["id"] for item in body["items"]] == [str(first.user.pk)]

    status, body = call(counselor, "get", CONVERSATIONS, query={"limit": 2})
    assert len(body["items"]) == 2 and body["next"].endswith("limit=2&offset=2")


def test_get_conversation(call, young_person, counselor, conversation):
    for user in (young_person.user, counselor):
        status, body = call(user, "get", CONVERSATION, conversation_id=conversation.pk)
        assert status == 200 and body["id"] == str(conversation.pk)


@pytest.mark.parametrize(
    "outsider",
    [
        lambda yp: YoungPersonFactory().user,  # another young person
        lambda yp: CounselorFactory(structure=yp.structure).user,  # a colleague
        lambda yp: CounselorFactory(structure=yp.structure, supervisor=True).user,
        lambda yp: CounselorFactory().user,
    ],
)
def test_outsiders_get_404_everywhere(call, young_person, conversation, outsider):
    message, _ = services.send_message(young_person.user, conversation, "Secret")
    user = outsider(young_person)
    ids = {"conversation_id": conversation.pk}
    assert call(user, "get", CONVERSATION, **ids)[0] == 404
    assert call(user, "get", MESSAGES, **ids)[0] == 404
    status, body = call(user, "post", MESSAGES, {"body": "Intrus"}, **ids)
    assert (status, body["code"]) == (404, "not_found")
    assert call(user, "post", READ, {}, **ids)[0] == 404
    assert call(user, "patch", MESSAGE, {"body": "x"}, message_id=message.pk)[0] == 404
    assert call(user, "delete", MESSAGE, message_id=message.pk)[0] == 404
    assert Message.objects.count() == 1
    assert services.body_of(Message.objects.get()) == "Secret"


def test_unknown_ids_are_404(call, young_person):
    assert call(young_person.user, "get", CONVERSATION, conversation_id=uuid.uuid4())[0] == 404
    assert call(young_person.user, "delete", MESSAGE, message_id=uuid.uuid4())[0] == 404


def test_anonymous_and_other_roles(call, conversation):
    status, body = call(None, "get", CONVERSATIONS)
    assert (status, body["code"]) == (401, "not_authenticated")
    assert call(UserFactory(is_staff=True), "get", CONVERSATIONS)[0] == 403
    assert call(UserFactory(), "get", CONVERSATION, conversation_id=conversation.pk)[0] == 403


# --- messages ------------------------------------------------------------------------------------


def test_send_and_list_messages(call, young_person, counselor, conversation):
    status, body = send(call, young_person.user, conversation, "  Bonjour !  ")
    assert status == 201
    assert body["seq"] == 1 and body["body"] == "Bonjour !" and body["kind"] == "text"
    assert body["sender_role"] == "young_person"
    assert body["sender_name"] == young_person.user.get_full_name()
    assert body["read"] is False and body["shared"] is None
    assert body["created_at"][-6] in "+-"  # ISO 8601 with an offset
    send(call, counselor, conversation, "Bonjour, comment ça va ?")

    status, page = call(counselor, "get", MESSAGES, conversation_id=conversation.pk)
    assert status == 200
    assert [m["seq"] for m in page["items"]] == [1, 2]
    assert [m["sender_role"] for m in page["items"]] == ["young_person", "counselor"]
    assert page["last_seq"] == 2 and page["count"] == 2 and page["next"] is None
    # The counselor answered, so they read the first message: the young person sees "Lu".
    status, page = call(young_person.user, "get", MESSAGES, conversation_id=conversation.pk)
    assert [m["read"] for m in page["items"]] == [True, False]
    # Stored encrypted.
    assert b"Bonjour" not in bytes(Message.objects.get(seq=1).body_encrypted)


def test_send_is_idempotent_by_client_id(call, young_person, conversation):
    client_id = str(uuid.uuid4())
    status, first = send(call, young_person.user, conversation, "Une fois", client_id=client_id)
    assert status == 201
    status, again = send(call, young_person.user, conversation, "Une fois", client_id=client_id)
    assert status == 200 and again["id"] == first["id"] and again["seq"] == 1
    assert Message.objects.count() == 1


def test_resync_after_missed_sequence(call, young_person, counselor, conversation):
    for n in range(5):
        send(call, counselor, conversation, f"Message {n + 1}")
    status, page = call(
        young_person.user, "get", MESSAGES, query={"after_seq": 2}, conversation_id=conversation.pk
    )
    assert status == 200
    assert [m["seq"] for m in page["items"]] == [3, 4, 5]
    assert [m["body"] for m in page["items"]] == ["Message 3", "Message 4", "Message 5"]
    assert page["last_seq"] == 5
    # In pages: follow `next` until the end.
    status, page = call(
        young_person.user,
        "get",
        MESSAGES,
        query={"after_seq": 0, "limit": 2},
        conversation_id=conversation.pk,
    )
    assert [m["seq"] for m in page["items"]] == [1, 2] and page["count"] == 5
    assert "after_seq=2" in page["next"]
    status, page = call(
        young_person.user, "get", MESSAGES, query={"after_seq": 5}, conversation_id=conversation.pk
    )
    assert page["items"] == [] and page["next"] is None


@pytest.mark.parametrize(
    ("body", "code"),
    [("", "message_empty"), ("   ", "message_empty"), ("x" * 10_001, "message_too_long")],
)
def test_bad_messages_are_refused(call, young_person, conversation, body, code):
    status, answer = send(call, young_person.user, conversation, body)
    assert status == 400
    assert answer["code"] == code and "body" in answer["fields"]
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("query", "field"), [({"after_seq": -1}, "after_seq"), ({"limit": 1000}, "limit")]
)
def test_bad_message_queries_are_422(call, young_person, conversation, query, field):
    status, answer = call(
        young_person.user, "get", MESSAGES, query=query, conversation_id=conversation.pk
    )
    assert status == 422 and field in answer["fields"]


def test_edit_own_message(call, young_person, counselor, conversation):
    _, sent = send(call, young_person.user, conversation, "Bonjuor")
    edit = {"body": "Bonjour"}
    status, body = call(young_person.user, "patch", MESSAGE, edit, message_id=sent["id"])
    assert status == 200 and body["body"] == "Bonjour" and body["edited"] is True
    assert MessageVersion.objects.filter(message_id=sent["id"]).count() == 1
    status, body = call(young_person.user, "patch", MESSAGE, {"body": ""}, message_id=sent["id"])
    assert (status, body["code"]) == (400, "message_empty")
    # The counselor sees the message but may not edit or delete it.
    status, body = call(counselor, "patch", MESSAGE, {"body": "Non"}, message_id=sent["id"])
    assert (status, body["code"]) == (403, "not_allowed")
    status, body = call(counselor, "delete", MESSAGE, message_id=sent["id"])
    assert (status, body["code"]) == (403, "not_allowed")


def test_delete_own_message(call, young_person, counselor, conversation):
    _, sent = send(call, counselor, conversation, "Oups")
    assert call(counselor, "delete", MESSAGE, message_id=sent["id"]) == (204, None)
    _, page = call(young_person.user, "get", MESSAGES, conversation_id=conversation.pk)
    (message,) = page["items"]
    assert message["deleted"] is True and message["body"] == ""
    status, body = call(counselor, "delete", MESSAGE, message_id=sent["id"])
    assert (status, body["code"]) == (409, "message_deleted")


def test_system_messages_cannot_be_edited(call, young_person, conversation):
    message = services.post_system_message(conversation, "Vous avez un nouveau conseiller")
    status, page = call(young_person.user, "get", MESSAGES, conversation_id=conversation.pk)
    assert page["items"][0]["sender_role"] == "system" and page["items"][0]["kind"] == "system"
    status, _ = call(young_person.user, "patch", MESSAGE, {"body": "x"}, message_id=message.pk)
    assert status == 403


# --- read markers and flag -----------------------------------------------------------------------


def test_mark_read(call, young_person, counselor, conversation):
    for n in range(3):
        send(call, young_person.user, conversation, f"Message {n}")
    status, body = call(counselor, "get", CONVERSATION, conversation_id=conversation.pk)
    assert body["unread_count"] == 3
    status, body = call(counselor, "post", READ, {"seq": 2}, conversation_id=conversation.pk)
    assert status == 200 and body["counselor_read_seq"] == 2 and body["unread_count"] == 1
    status, body = call(counselor, "post", READ, {}, conversation_id=conversation.pk)
    assert body["counselor_read_seq"] == 3 and body["unread_count"] == 0
    _, page = call(young_person.user, "get", MESSAGES, conversation_id=conversation.pk)
    assert all(m["read"] for m in page["items"])
    status, body = call(counselor, "post", READ, {"seq": -1}, conversation_id=conversation.pk)
    assert status == 422


def test_flag_is_for_the_counselor(call, young_person, counselor, conversation):
    status, body = call(counselor, "post", FLAG, {"flagged": True}, conversation_id=conversation.pk)
    assert status == 200 and body["flagged"] is True
    conversation.refresh_from_db()
    assert conversation.flagged
    status, body = call(
        young_person.user, "post", FLAG, {"flagged": False}, conversation_id=conversation.pk
    )
    assert status == 403
    colleague = CounselorFactory(structure=young_person.structure).user
    status, _ = call(colleague, "post", FLAG, {"flagged": False}, conversation_id=conversation.pk)
    assert status == 404
    conversation.refresh_from_db()
    assert conversation.flagged


def test_operations_are_documented_in_french(openapi):  # noqa: F811
    paths = [CONVERSATIONS, CONVERSATION, MESSAGES, READ, FLAG, MESSAGE]
    for path in paths:
        for operation in openapi["paths"][path].values():
            assert operation["tags"] == ["Messagerie"]
            assert operation["summary"] and operation["description"]


def test_sending_is_rate_limited_per_user(call, young_person, conversation, settings):
    settings.API_RATE_MESSAGES = "3/min"
    statuses = [send(call, young_person.user, conversation, f"n° {i}")[0] for i in range(4)]
    assert statuses == [201, 201, 201, 429]
    status, body = send(call, young_person.user, conversation, "encore")
    assert (status, body["code"]) == (429, "rate_limited")
    assert Message.objects.count() == 3
    # Reading is not counted against the sending allowance.
    assert call(young_person.user, "get", MESSAGES, conversation_id=conversation.pk)[0] == 200
