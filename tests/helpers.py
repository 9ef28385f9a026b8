"""Small helpers shared by the unit and integration tests (not fixtures)."""

import html
import re
from urllib.parse import urlsplit

from django.core import mail

ACTIVATION_PATH = re.compile(r"https?://[^/\s]+(/activation/[^/\s]+/)")
RESET_PATH = re.compile(r"https?://[^/\s]+(/reinitialisation/[^/\s]+/[^/\s]+/)")


def text(response) -> str:
    """The decoded, HTML-unescaped body: French apostrophes come out as typed."""
    return html.unescape(response.content.decode())


def activation_path(message=None) -> str:
    """The path of the activation link in an email (the last one sent by default)."""
    message = message or mail.outbox[-1]
    found = ACTIVATION_PATH.search(message.body)
    assert found, f"no activation link in: {message.body!r}"
    return found.group(1)


def activation_token(message=None) -> str:
    return activation_path(message).rstrip("/").rsplit("/", 1)[-1]


def reset_path(message=None) -> str:
    message = message or mail.outbox[-1]
    found = RESET_PATH.search(message.body)
    assert found, f"no reset link in: {message.body!r}"
    return found.group(1)


def redirect_path(response) -> str:
    return urlsplit(response["Location"]).path


def input_value(response, name: str) -> str | None:
    """The value attribute of the <input name=...> of a rendered form, if any."""
    body = response.content.decode()
    tag = re.search(rf"<input[^>]*\bname=\"{re.escape(name)}\"[^>]*>", body)
    if tag is None:
        return None
    value = re.search(r"\bvalue=\"([^\"]*)\"", tag.group(0))
    return html.unescape(value.group(1)) if value else None
