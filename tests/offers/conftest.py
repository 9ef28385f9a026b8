import pytest

from passemploi.core import events


@pytest.fixture
def published():
    """Domain events raised during the test, as (user ids, event), in order."""
    seen = []

    def handler(user_ids, event):
        seen.append((sorted(str(pk) for pk in user_ids), event))

    events.subscribe(handler)
    yield seen
    events._subscribers.remove(handler)
