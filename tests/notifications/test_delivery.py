"""Sending the outbox: push through a real local push service, email through Django's email,
retries with backoff, then `failed`; a send task run twice sends once."""

import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from passemploi.notifications import delivery, jobs, services, tasks
from passemploi.notifications.enums import Channel, DeliveryState, Kind, Topic
from passemploi.notifications.models import Delivery
from passemploi.push.models import PushSubscription
from tests.factories import CounselorFactory, YoungPersonFactory
from tests.push.conftest import make_subscription, vapid  # noqa: F401 (a fixture)
from tests.push.servers import LocalServer, Reply

pytestmark = pytest.mark.django_db

DAYTIME = datetime(2026, 3, 24, 10, 0, tzinfo=UTC)  # a Tuesday, 11:00 in Paris


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(DAYTIME, tick=False) as traveller:
        yield traveller


def a_notice(user, key="test:1", channels=(Channel.IN_APP, Channel.PUSH)):
    return services.notify(
        user,
        kind=Kind.MESSAGE,
        topic=Topic.MESSAGES,
        title="Nouveau message",
        body="Nouveau message de votre conseiller",
        link="/app/messages/",
        key=key,
        channels=channels,
    )


def push_row():
    return Delivery.objects.get(channel=Channel.PUSH)


def test_push_reaches_the_push_service_once(young_person, sent, vapid):  # noqa: F811
    with LocalServer(lambda request: Reply(201)) as service:
        make_subscription(young_person.user, f"{service.origin}/push/abc")
        sent(a_notice, young_person.user)
        # The same task again (a duplicate message on the queue): nothing more is sent.
        assert delivery.deliver(push_row().key) == ""
        tasks.send_urgent(push_row().key)
    assert len(service.requests) == 1
    request = service.requests[0]
    assert request.headers["content-encoding"] == "aes128gcm"
    assert b"votre conseiller" not in request.body  # encrypted
    row = push_row()
    assert (row.state, row.attempts) == (DeliveryState.SENT, 1)


def test_push_service_error_is_retried_with_backoff(young_person, sent, vapid, clock):  # noqa: F811
    answers = iter([Reply(500), Reply(201)])
    with LocalServer(lambda request: next(answers)) as service:
        make_subscription(young_person.user, f"{service.origin}/push/abc")
        sent(a_notice, young_person.user)
        row = push_row()
        assert (row.state, row.attempts) == (DeliveryState.PENDING, 1)
        assert row.next_attempt_at >= DAYTIME + timedelta(seconds=delivery.BACKOFF[0])
        assert "PushRetryLater" in row.last_error
        # Too early: nothing happens; once due, the sweeper hands it out again.
        assert delivery.deliver(row.key) == ""
        clock.move_to(row.next_attempt_at + timedelta(seconds=tasks.SWEEP_GRACE_SECONDS))
        sent(tasks.sweep)
    row = push_row()
    assert (row.state, row.attempts) == (DeliveryState.SENT, 2)
    assert len(service.requests) == 2


def test_gone_subscription_is_removed(young_person, sent, vapid):  # noqa: F811
    with LocalServer(lambda request: Reply(410)) as service:
        make_subscription(young_person.user, f"{service.origin}/push/abc")
        sent(a_notice, young_person.user)
    assert not PushSubscription.objects.exists()
    assert push_row().state == DeliveryState.SKIPPED


def test_no_device_is_skipped_not_retried(young_person, sent):
    sent(a_notice, young_person.user)
    row = push_row()
    assert (row.state, row.attempts) == (DeliveryState.SKIPPED, 1)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_email_backend_failure_is_retried_then_failed(settings, clock, sent):
    counselor = CounselorFactory()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }
    sent(
        services.notify,
        counselor.user,
        kind=Kind.DIGEST,
        topic=Topic.DIGEST,
        title="Récapitulatif",
        body="Des bénéficiaires vous ont écrit.",
        link="/conseiller/messagerie/",
        key="digest:test",
        channels=(Channel.EMAIL,),
        context={"conversations": []},
    )
    row = Delivery.objects.get()
    for attempt in range(1, len(delivery.BACKOFF) + 1):
        assert (row.state, row.attempts) == (DeliveryState.PENDING, attempt)
        assert "ConnectionRefusedError" in row.last_error
        clock.move_to(row.next_attempt_at)
        delivery.deliver(row.key)
        row.refresh_from_db()
    assert (row.state, row.attempts) == (DeliveryState.FAILED, len(delivery.BACKOFF) + 1)
    # A failed row is never handed out again.
    clock.shift(timedelta(days=1))
    assert tasks.sweep() == ""


def test_counselor_digest_one_email_listing_unread_conversations(sent):
    from passemploi.chat import services as chat

    counselor = CounselorFactory(user__first_name="Nadia")
    writers = [YoungPersonFactory(counselor=counselor) for _ in range(3)]
    for young_person in writers[:2]:
        chat.send_message(young_person.user, chat.conversation_of(young_person), "Salut secret")
    chat.conversation_of(writers[2])  # nothing unread there
    # Another counselor who switched the digest off.
    quiet = CounselorFactory()
    chat.send_message(
        YoungPersonFactory(counselor=quiet).user,
        chat.conversation_of(quiet.young_people.get()),
        "Bonjour",
    )
    services.update_preferences(quiet.user, {"digest": False})

    assert sent(jobs.counselor_digest) == "1 conseillers"
    sent(jobs.counselor_digest)  # twice the same day: one email
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [counselor.user.email]
    assert "2 conversation(s) non lue(s)" in email.subject
    for young_person in writers[:2]:
        assert young_person.user.get_full_name() in email.body
    assert writers[2].user.get_full_name() not in email.body
    assert "secret" not in email.body  # never the messages themselves
    html = email.alternatives[0]
    assert html.mimetype == "text/html"
    assert writers[0].user.get_full_name() in html.content
