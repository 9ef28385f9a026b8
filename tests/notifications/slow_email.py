"""An email backend for the worker-crash test: writes each message to a folder, and while a
`hang` file is there, blocks mid-send (as a stuck SMTP server would) after leaving `sending`."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["SLOW_EMAIL_DIR"])
        if (folder / "hang").exists():
            (folder / "sending").touch()
            time.sleep(600)
        for message in email_messages:
            (folder / f"sent-{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
