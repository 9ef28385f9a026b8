import pytest

from passemploi.notifications.enums import Channel
from passemploi.notifications.models import Delivery, Notification


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a write as a request would: commit hooks (the send tasks, inline in tests) run."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def channels_of(user) -> list[str]:
    """The channels of every delivery written for a user, sorted."""
    return sorted(Delivery.objects.filter(recipient=user).values_list("channel", flat=True))


def in_app(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user))


BOTH = sorted([Channel.IN_APP, Channel.PUSH])
