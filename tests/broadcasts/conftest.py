import pytest

from passemploi.core import events


@pytest.fixture
def published():
    """Domain events raised during the test, as (user_ids, event), in order."""
    seen = []

    def handler(user_ids, event):
        seen.append((sorted(str(pk) for pk in user_ids), event))

    events.subscribe(handler)
    yield seen
    events._subscribers.remove(handler)


@pytest.fixture
def attachment_storage(settings, tmp_path):
    """Chat attachments in a temporary directory, without an antivirus configured."""
    settings.CHAT_ATTACHMENTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "attachments")},
    }
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    return tmp_path / "attachments"
