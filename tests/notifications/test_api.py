"""The notifications API: list, read, read-all, preferences; answers match the schema."""

import uuid

import pytest

from passemploi.notifications import services
from passemploi.notifications.enums import Kind, Topic
from passemploi.notifications.models import Notification, NotificationPreferences
from tests.accounts.test_api import documented, openapi  # noqa: F401 (openapi: a fixture)
from tests.actions.test_api import call  # noqa: F401 (a fixture)
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


def notices(user, count):
    for n in range(count):
        services.notify(
            user,
            kind=Kind.NEWS,
            topic=Topic.NEWS,
            title=f"Actualité {n}",
            body="Une nouvelle actualité a été publiée.",
            link="/app/",
            key=f"news:{n}:{user.pk}",
        )
    return list(Notification.objects.filter(recipient=user))


def test_list_read_and_read_all(call, young_person):  # noqa: F811
    user = young_person.user
    rows = notices(user, 3)
    notices(YoungPersonFactory().user, 2)  # someone else's
    status, body = call(user, "get", "/api/v1/notifications", query={"limit": 2})
    assert status == 200
    assert (body["count"], body["unread_count"], len(body["items"])) == (3, 3, 2)
    assert body["next"] == "/api/v1/notifications?limit=2&offset=2"
    assert body["items"][0]["read"] is False

    template = "/api/v1/notifications/{notification_id}/read"
    status, item = call(user, "post", template, notification_id=rows[0].pk)
    assert (status, item["read"]) == (200, True)
    first_read_at = item["read_at"]
    status, again = call(user, "post", template, notification_id=rows[0].pk)
    assert again["read_at"] == first_read_at  # idempotent

    status, body = call(user, "get", "/api/v1/notifications", query={"unread": "true"})
    assert (body["count"], body["unread_count"]) == (2, 2)
    status, body = call(user, "post", "/api/v1/notifications/read-all")
    assert (status, body) == (200, {"updated": 2})
    status, body = call(user, "get", "/api/v1/notifications")
    assert body["unread_count"] == 0


def test_another_persons_notification_is_a_404(call, young_person):  # noqa: F811
    theirs = notices(YoungPersonFactory().user, 1)[0]
    template = "/api/v1/notifications/{notification_id}/read"
    status, body = call(young_person.user, "post", template, notification_id=theirs.pk)
    missing, _ = call(young_person.user, "post", template, notification_id=uuid.uuid4())
    assert (status, missing) == (404, 404)
    assert body["code"] == "not_found"
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_counselors_have_no_notification_centre(call, counselor):  # noqa: F811
    status, body = call(counselor.user, "get", "/api/v1/notifications")
    assert (status, body["code"]) == (403, "forbidden")


def test_young_person_preferences(call, young_person):  # noqa: F811
    user = young_person.user
    status, body = call(user, "get", "/api/v1/preferences/notifications")
    assert status == 200
    assert [item["name"] for item in body["items"]] == [
        "offers",
        "actions",
        "appointments",
        "weekly",
        "news",
        "messages",
    ]
    assert all(item["enabled"] for item in body["items"])
    status, body = call(
        user, "patch", "/api/v1/preferences/notifications", {"messages": False, "news": False}
    )
    assert status == 200
    off = {item["name"] for item in body["items"] if not item["enabled"]}
    assert off == {"messages", "news"}


@pytest.mark.parametrize(
    "payload,code",
    [({"sms": True}, "unknown_preference"), ({"digest": False}, "unknown_preference")],
)
def test_unknown_preference_changes_nothing(call, young_person, payload, code):  # noqa: F811
    services.update_preferences(young_person.user, {"news": False})
    status, body = call(
        young_person.user,
        "patch",
        "/api/v1/preferences/notifications",
        payload | {"messages": False},
    )
    assert (status, body["code"]) == (422, code)
    assert "Préférence inconnue" in body["message"]
    prefs = NotificationPreferences.objects.get(user=young_person.user)
    assert (prefs.messages, prefs.news) == (True, False)


def test_a_switch_must_be_a_boolean(call, young_person):  # noqa: F811
    status, body = call(
        young_person.user, "patch", "/api/v1/preferences/notifications", {"messages": "peut-être"}
    )
    assert (status, body["code"]) == (422, "validation_error")
    assert "messages" in body["fields"]


def test_counselor_preferences(call, counselor):  # noqa: F811
    status, body = call(counselor.user, "get", "/api/v1/preferences/notifications")
    assert [item["name"] for item in body["items"]] == ["digest"]
    status, body = call(
        counselor.user, "patch", "/api/v1/preferences/notifications", {"digest": False}
    )
    assert body["items"][0]["enabled"] is False


def test_anonymous_is_refused(call):  # noqa: F811
    status, body = call(None, "get", "/api/v1/notifications")
    assert (status, body["code"]) == (401, "not_authenticated")
