"""Two server processes sharing Redis: a message sent through one reaches a socket connected to
the other. Both are real uvicorn processes on loopback, on the test database and Redis."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve

from passemploi.accounts.tokens import issue_token_pair
from passemploi.chat import services
from tests.factories import CounselorFactory, YoungPersonFactory

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20
DELIVERY_TIMEOUT = 2

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs REDIS_URL: only the Redis channel layer is shared between processes",
    ),
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


class Server:
    def __init__(self, env):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - fixed command, loopback only
            [
                sys.executable,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--lifespan",
                "off",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server exited ({self.process.returncode}):\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"server on port {self.port} not ready in {START_TIMEOUT}s:\n{self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


def api_has_send_route(conversation_id) -> bool:
    try:
        resolve(f"/api/v1/conversations/{conversation_id}/messages")
    except Resolver404:
        return False
    return True


def post_json(url: str, token: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - loopback URL built above
        url,
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def test_message_sent_through_one_process_reaches_socket_on_the_other():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the servers must share the test database")
    from websockets.asyncio.client import connect

    counselor = CounselorFactory()
    young_person = YoungPersonFactory(counselor=counselor)
    conversation = services.conversation_of(young_person)
    access_token = issue_token_pair(young_person.user)["access_token"]
    browser = Client()
    browser.force_login(counselor.user)
    session_id = browser.cookies[settings.SESSION_COOKIE_NAME].value
    use_http = api_has_send_route(conversation.pk)

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    servers = []
    try:
        a, b = Server(env), Server(env)
        servers += [a, b]
        a.wait_ready()
        b.wait_ready()

        async def scenario():
            async with connect(
                f"ws://127.0.0.1:{a.port}/ws/events/",
                origin=a.base,
                additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_id}"},
                open_timeout=10,
                close_timeout=2,
            ) as ws:
                hello = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert hello["type"] == "hello"
                assert hello["user_id"] == str(counselor.user.pk)
                client_id = str(uuid.uuid4())
                if use_http:
                    status, message = await asyncio.to_thread(
                        post_json,
                        f"{b.base}/api/v1/conversations/{conversation.pk}/messages",
                        access_token,
                        {"body": "Bonjour depuis B", "client_id": client_id},
                    )
                    assert status == 201, message
                    seq = message["seq"]
                else:  # no API yet: publish from this process through the shared Redis layer
                    sent, _ = await asyncio.to_thread(
                        services.send_message,
                        young_person.user,
                        conversation,
                        "Bonjour depuis B",
                        client_id=client_id,
                    )
                    seq = sent.seq
                sent_at = time.monotonic()
                while True:
                    remaining = DELIVERY_TIMEOUT - (time.monotonic() - sent_at)
                    event = json.loads(await asyncio.wait_for(ws.recv(), max(remaining, 0.01)))
                    if event.get("type") == "message.created":
                        break
                assert event["conversation_id"] == str(conversation.pk)
                assert event["seq"] == seq == 1
                assert "Bonjour" not in json.dumps(event)

        try:
            asyncio.run(scenario())
        except TimeoutError:
            pytest.fail(
                f"no message.created on A within {DELIVERY_TIMEOUT}s\n"
                f"A:\n{a.output()}\nB:\n{b.output()}"
            )
    finally:
        for server in servers:
            server.stop()
