"""Messaging in two real browsers: a counselor at a desk and a young person on a 360 px phone.

pytest-django's live_server serves WSGI only (no WebSocket), so this test runs the real ASGI
application under uvicorn on the test database: live.js then gets its events from /ws/events/
and a message shows up on the other page within 2 seconds, without a reload. (Without a socket,
live.js falls back to polling every 10 s; tests/chat/test_views.py covers the partial it polls.)
axe-core on every page visited."""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from playwright.sync_api import expect

from passemploi.chat import services
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, YoungPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
LIVE_MS = 2_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{quote(db.get('USER') or '')}{password}@{host}{port}/{db['NAME']}"


@pytest.fixture
def asgi_server():
    """The ASGI application (HTTP and WebSocket) on loopback, one process: the in-memory channel
    layer carries the events from the page that sends to the socket of the page that reads."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
    }
    env.pop("REDIS_URL", None)
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603 - fixed command, loopback only
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1"]
        + ["--port", str(port), "--lifespan", "off"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"uvicorn did not start:\n{log.read().decode(errors='replace')}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    log.close()


def test_messages_appear_live_and_read_receipt_comes_back(asgi_server, phone_page, desktop_page):
    young_person = YoungPersonFactory(user__first_name="Inès", user__last_name="Martin")
    counselor = young_person.counselor

    # --- The counselor opens the conversation from Messagerie ---
    desk = desktop_page
    desk.goto(f"{asgi_server}/connexion/")
    sign_in(desk, counselor.user.email, PASSWORD)
    desk.get_by_role("navigation", name="Espace conseiller").get_by_role(
        "link", name="Messagerie"
    ).click()
    check_page(desk, "Messagerie")
    desk.get_by_role("button", name=re.compile("Démarrer la conversation")).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Conversation avec Inès Martin")
    check_page(desk, "Conversation avec Inès Martin")

    # --- The young person, on a phone, writes ---
    phone = phone_page
    phone.goto(f"{asgi_server}/connexion/")
    sign_in(phone, young_person.user.email, PASSWORD)
    phone.goto(f"{asgi_server}/app/messages/")
    check_page(phone, "Messages")
    phone.get_by_label(label("Votre message")).fill("Bonjour, j'ai un entretien jeudi !")
    phone.get_by_role("button", name="Envoyer").click()
    expect(phone.locator("#chat-thread")).to_contain_text("Bonjour, j'ai un entretien jeudi !")
    check_page(phone, "Messages")

    # --- It appears on the counselor's page without a reload ---
    expect(desk.locator("#chat-thread")).to_contain_text(
        "Bonjour, j'ai un entretien jeudi !", timeout=LIVE_MS
    )
    expect(desk.get_by_role("status").filter(has_text="Nouveau message")).to_have_count(1)

    # --- The counselor replies; it reaches the phone live too ---
    desk.get_by_label(label("Votre message")).fill("Bravo Inès, préparez vos questions.")
    desk.get_by_role("button", name="Envoyer").click()
    reply = desk.locator(".pe-chat__message--own").last
    expect(reply).to_contain_text("Bravo Inès")
    check_page(desk, "Conversation avec Inès Martin")
    expect(phone.locator("#chat-thread")).to_contain_text("Bravo Inès", timeout=LIVE_MS)

    # --- The young person's page reads it: "Lu" comes back to the counselor ---
    phone.reload()
    check_page(phone, "Messages")
    expect(desk.locator(".pe-chat__message--own").last.locator(".pe-chat__receipt")).to_have_text(
        "Lu", timeout=LIVE_MS
    )


def test_without_socket_polling_brings_the_message(live_server, desktop_page):
    """live_server has no WebSocket: live.js falls back to fetching the thread every 10 s."""
    young_person = YoungPersonFactory(user__first_name="Yanis")
    counselor = young_person.counselor
    conversation = services.conversation_of(young_person)
    desk = desktop_page
    desk.goto(f"{live_server.url}/connexion/")
    sign_in(desk, counselor.user.email, PASSWORD)
    desk.goto(f"{live_server.url}/conseiller/messagerie/{conversation.pk}/")
    expect(desk.locator("#chat-thread")).to_contain_text("Aucun message")
    # (No check_page here: the browser logs the refused socket as a console error.)
    services.send_message(young_person.user, conversation, "Vous me rappelez ?")
    expect(desk.locator("#chat-thread")).to_contain_text("Vous me rappelez ?", timeout=12_000)
    expect(desk.get_by_role("status").filter(has_text="Nouveau message")).to_have_count(1)
