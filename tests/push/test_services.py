"""Push bookkeeping: targets refused for good, delivery records, housekeeping."""

from datetime import timedelta

import pytest
from django.utils import timezone

from passemploi.push.models import PushDelivery, PushSubscription
from passemploi.push.outcome import DEFAULT_RETRY_AFTER, retry_after_seconds
from passemploi.push.services import MAX_FAILURES, purge_push_deliveries, send_to_user
from tests.push.conftest import make_subscription
from tests.push.servers import LocalServer, Reply

pytestmark = pytest.mark.django_db
MESSAGE = {
    "title": "Nouvelle démarche",
    "body": "Votre conseiller a ajouté une démarche.",
    "url": "/app/",
}


def test_a_subscription_refused_for_good_too_often_is_dropped(young_person, vapid):
    with LocalServer(lambda request: Reply(403)) as server:
        subscription = make_subscription(young_person.user, f"{server.origin}/refused")
        for _ in range(MAX_FAILURES - 1):
            assert send_to_user(young_person.user, **MESSAGE).failed == 1
        subscription.refresh_from_db()
        assert subscription.failure_count == MAX_FAILURES - 1
        send_to_user(young_person.user, **MESSAGE)
    assert not PushSubscription.objects.exists()


def test_a_success_resets_the_failure_count(young_person, vapid):
    replies = iter([Reply(403), Reply(201)])
    with LocalServer(lambda request: next(replies)) as server:
        subscription = make_subscription(young_person.user, f"{server.origin}/flaky")
        send_to_user(young_person.user, **MESSAGE)
        send_to_user(young_person.user, **MESSAGE)
    subscription.refresh_from_db()
    assert subscription.failure_count == 0


def test_old_delivery_records_are_purged():
    PushDelivery.objects.create(key="n:1", target="web:1", sent_at=timezone.now() - timedelta(11))
    recent = PushDelivery.objects.create(key="n:2", target="web:1")
    assert purge_push_deliveries() == 1
    assert list(PushDelivery.objects.all()) == [recent]


def test_retry_after_parsing():
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(None) == DEFAULT_RETRY_AFTER
    assert retry_after_seconds("soon") == DEFAULT_RETRY_AFTER
    later = timezone.now() + timedelta(minutes=5)
    assert 290 <= retry_after_seconds(later.strftime("%a, %d %b %Y %H:%M:%S GMT")) <= 300
