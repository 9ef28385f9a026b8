"""Benchmark of the chat in real time. Prints figures; asserts nothing.

Run: .venv/bin/python bench/chat.py [--connections 200] [--seconds 20] [--workers 2]
     [--interval 2] [--redis-db 9] [--postgres postgres://postgres@127.0.0.1:5432]
     [--database NAME] [--production]
Needs PostgreSQL and Redis on loopback. It creates a throw-away database (bench_chat_<hex>), or
uses the existing --database (its own rows are deleted at the end), migrates it, fills it in
bulk (one structure, N/2 counselors each following one young person, one conversation and one
access token per person), starts uvicorn (--workers) on a free loopback
port with the Redis channel layer, then opens N sockets (/ws/?token=…): every pair (a young person
and their counselor) sends messages over HTTP to its conversation, one every --interval seconds
per pair, for --seconds. The receiver of each message records when its `message.created` event
arrives; at the end every client resyncs with GET …/messages?after_seq=0 and checks that every sent
message is there exactly once. It always stops the server, drops the database it created and
flushes only the chosen Redis db. --production serves with config.settings.production (plain
HTTP on loopback, API rate limits raised: every bench client comes from one address).
"""

import argparse
import asyncio
import base64
import json
import os
import random
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

START_TIMEOUT = 60
GRACE_SECONDS = 15  # after the last send, the longest wait for outstanding events
HTTP_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    index = min(len(samples) - 1, max(0, round(p / 100 * len(samples)) - 1))
    return samples[index]


# --- a small keep-alive HTTP/1.1 client over asyncio streams ----------------------------------


class Http:
    def __init__(self, port: int, token: str):
        self.port = port
        self.auth = f"Bearer {token}"
        self.reader = self.writer = None

    async def _connect(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
            self.writer = None

    async def request(self, method: str, path: str, payload=None) -> tuple[int, dict]:
        """One request; reconnects and retries once if the kept-alive connection was dropped
        (safe here: sends are idempotent by client_id)."""
        for attempt in (1, 2):
            try:
                return await asyncio.wait_for(self._request(method, path, payload), HTTP_TIMEOUT)
            except (OSError, asyncio.IncompleteReadError, ConnectionError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _request(self, method, path, payload):
        if self.writer is None:
            await self._connect()
        body = json.dumps(payload).encode() if payload is not None else b""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Authorization: {self.auth}\r\nAccept: application/json\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            data = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                data += chunk[:-2]
        else:
            data = await self.reader.read()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        try:
            return status, json.loads(data) if data else {}
        except ValueError:
            return status, {"raw": data[:200].decode(errors="replace")}


# --- setup and teardown --------------------------------------------------------------------------


def create_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def fill(pairs: int, tag: str) -> list[dict]:
    """Bulk-creates one structure, `pairs` counselors and young people (one each), their
    conversations and one access token per person. Returns the pairs."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from passemploi.accounts.enums import Scheme, StructureKind
    from passemploi.accounts.models import ApiToken, Counselor, Structure, User, YoungPerson
    from passemploi.accounts.services import hash_secret
    from passemploi.accounts.terms import CURRENT_TERMS_VERSION
    from passemploi.chat import crypto
    from passemploi.chat.models import Conversation

    now = timezone.now()
    unusable = make_password(None)
    with transaction.atomic():
        structure = Structure.objects.create(
            name="Mission Locale du banc d'essai",
            kind=StructureKind.MISSION_LOCALE,
            code=f"BENCH-{tag}",
            departement="75",
        )

        def user(prefix, i):
            return User(
                email=f"{prefix}{i}.{tag}@bench.example",
                first_name=prefix.capitalize(),
                last_name=str(i),
                password=unusable,
                activated_at=now,
            )

        counselor_users = User.objects.bulk_create([user("conseiller", i) for i in range(pairs)])
        young_users = User.objects.bulk_create([user("jeune", i) for i in range(pairs)])
        counselors = Counselor.objects.bulk_create(
            [Counselor(user=u, structure=structure) for u in counselor_users]
        )
        young_people = YoungPerson.objects.bulk_create(
            [
                YoungPerson(
                    user=u,
                    structure=structure,
                    counselor=c,
                    scheme=Scheme.CEJ,
                    terms_accepted_at=now,
                    terms_version=CURRENT_TERMS_VERSION,
                )
                for u, c in zip(young_users, counselors, strict=True)
            ]
        )
        conversations = Conversation.objects.bulk_create(
            [
                Conversation(young_person=yp, wrapped_key=crypto.new_wrapped_data_key())
                for yp in young_people
            ]
        )
        tokens, rows = {}, []
        # Long enough for the whole run, whatever the size.
        expires = now + max(settings.API_ACCESS_TOKEN_TTL, timedelta(hours=1))
        for u in counselor_users + young_users:
            raw = secrets.token_urlsafe(32)
            tokens[u.pk] = raw
            rows.append(
                ApiToken(
                    user=u,
                    kind=ApiToken.Kind.ACCESS,
                    token_hash=hash_secret(raw),
                    family=uuid.uuid4(),
                    created_at=now,
                    expires_at=expires,
                )
            )
        ApiToken.objects.bulk_create(rows, batch_size=1000)
    result = [
        {
            "conversation": str(conv.pk),
            "young": tokens[yu.pk],
            "counselor": tokens[cu.pk],
        }
        for conv, yu, cu in zip(conversations, young_users, counselor_users, strict=True)
    ]
    connection.close()
    return result


def delete_filled(tag: str) -> None:
    """Removes what fill() created in a database the bench did not create."""
    from django.db import transaction

    from passemploi.accounts.models import Structure, User

    with transaction.atomic():
        users = User.objects.filter(email__endswith=f".{tag}@bench.example")
        users.filter(young_person__isnull=False).delete()
        users.delete()
        Structure.objects.filter(code=f"BENCH-{tag}").delete()


class Server:
    def __init__(self, env: dict, workers: int):
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
                "--workers",
                str(workers),
                "--lifespan",
                "off",
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited ({self.process.returncode}):\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server not ready in {START_TIMEOUT}s:\n{self.output()}")

    def output(self, tail: int = 4000) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-tail:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


# --- the clients ---------------------------------------------------------------------------------


class Client:
    """One socket client: a young person or a counselor of one pair."""

    def __init__(self, port: int, conversation: str, token: str, side: str):
        self.port = port
        self.conversation = conversation
        self.token = token
        self.side = side
        self.http = Http(port, token)
        self.ws = None
        self.connected = False
        self.received: dict[int, float] = {}  # seq -> monotonic time the event arrived
        self.event_counts: Counter = Counter()  # seq -> number of message.created events
        self.sent: list[dict] = []  # {client_id, start, seq}
        self.send_errors: Counter = Counter()  # reason -> count
        self.reader_task = None
        self.closing = False
        self.dropped = None  # close code if the server closed the socket during the run

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(
            f"ws://127.0.0.1:{self.port}/ws/?token={self.token}",
            origin=f"http://127.0.0.1:{self.port}",
            open_timeout=60,
            close_timeout=2,
            ping_interval=None,
            max_queue=None,
        )
        hello = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
        if hello.get("type") != "hello":
            raise RuntimeError(f"unexpected first event {hello}")
        self.connected = True
        self.reader_task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                now = time.monotonic()
                event = json.loads(raw)
                if (
                    event.get("type") == "message.created"
                    and event.get("conversation_id") == self.conversation
                ):
                    seq = event["seq"]
                    self.event_counts[seq] += 1
                    self.received.setdefault(seq, now)
        except Exception:  # noqa: BLE001, S110 - a closed socket ends the reader
            pass
        if not self.closing:
            self.dropped = self.ws.close_code

    async def send_loop(self, period: float, offset: float, stop_at: float, limit: int) -> None:
        await asyncio.sleep(min(offset, max(0.0, stop_at - time.monotonic())))
        next_at = time.monotonic()
        path = f"/api/v1/conversations/{self.conversation}/messages"
        while time.monotonic() < stop_at and (not limit or len(self.sent) < limit):
            client_id = str(uuid.uuid4())
            start = time.monotonic()
            record = {"client_id": client_id, "start": start, "seq": None}
            try:
                status, body = await self.http.request(
                    "POST", path, {"body": f"bench {client_id}", "client_id": client_id}
                )
                if status in (200, 201):
                    record["seq"] = body["seq"]
                    record["end"] = time.monotonic()
                    self.sent.append(record)
                else:
                    self.send_errors[f"HTTP {status}"] += 1
            except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                self.send_errors[type(exc).__name__] += 1
            next_at = max(next_at + period, time.monotonic())
            await asyncio.sleep(max(0.0, min(next_at, stop_at) - time.monotonic()))

    async def resync(self) -> list[dict]:
        items = []
        path = f"/api/v1/conversations/{self.conversation}/messages?after_seq=0&limit=100"
        while path:
            status, body = await self.http.request("GET", path)
            if status != 200:
                raise RuntimeError(f"resync answered {status}: {body}")
            items += body["items"]
            path = body.get("next")
            if path and path.startswith("http"):
                parts = urlsplit(path)
                path = parts.path + ("?" + parts.query if parts.query else "")
        return items

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()
        if self.reader_task is not None:
            await asyncio.gather(self.reader_task, return_exceptions=True)
        await self.http.close()


async def run_clients(port: int, pairs: list[dict], args) -> None:
    clients = []
    for pair in pairs:
        young = Client(port, pair["conversation"], pair["young"], "young")
        counselor = Client(port, pair["conversation"], pair["counselor"], "counselor")
        young.partner, counselor.partner = counselor, young
        clients += [young, counselor]

    # Open the sockets a batch at a time so the handshakes do not all hit the database at once.
    started = time.monotonic()
    gate = asyncio.Semaphore(50)
    connect_errors = Counter()

    async def open_one(client):
        async with gate:
            try:
                await client.connect()
            except Exception as exc:  # noqa: BLE001 - counted and reported
                connect_errors[type(exc).__name__] += 1

    await asyncio.gather(*(open_one(c) for c in clients))
    connect_seconds = time.monotonic() - started
    connected = sum(c.connected for c in clients)
    print(f"connections:            {connected}/{len(clients)} open in {connect_seconds:.1f} s")
    if connect_errors:
        print(f"connection errors:      {dict(connect_errors)}")

    # The bench shares the machine: watch its own event-loop lag and CPU time while sending.
    lags = []

    async def watch_loop():
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.1)
            lags.append((time.monotonic() - before - 0.1) * 1000)

    watcher = asyncio.create_task(watch_loop())
    cpu_before = time.process_time()

    # Each pair sends one message every `interval` seconds, young person and counselor in turn.
    period = 2 * args.interval
    send_started = time.monotonic()
    stop_at = send_started + args.seconds
    tasks = []
    for i in range(0, len(clients), 2):
        offset = random.uniform(0, args.interval)  # noqa: S311 - spreading start times
        tasks.append(clients[i].send_loop(period, offset, stop_at, args.messages))
        tasks.append(
            clients[i + 1].send_loop(period, offset + args.interval, stop_at, args.messages)
        )
    await asyncio.gather(*tasks)
    send_seconds = time.monotonic() - send_started
    client_cpu = (time.process_time() - cpu_before) / send_seconds * 100
    watcher.cancel()
    lags.sort()

    # Wait for outstanding events (bounded), then resync everyone over HTTP.
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        if all(
            r["seq"] in c.partner.received for c in clients if c.partner.connected for r in c.sent
        ):
            break
        await asyncio.sleep(0.2)

    resync_errors = 0

    async def resync_one(client):
        nonlocal resync_errors
        async with gate:
            try:
                return await client.resync()
            except Exception:  # noqa: BLE001 - counted and reported
                resync_errors += 1
                return None

    pages = await asyncio.gather(*(resync_one(c) for c in clients))
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)

    # --- figures ---------------------------------------------------------------------------------
    sent = sum(len(c.sent) for c in clients)
    send_errors = sum((c.send_errors for c in clients), Counter())
    latencies, send_times, missed_events, duplicate_events = [], [], 0, 0
    for c in clients:
        for record in c.sent:
            send_times.append((record["end"] - record["start"]) * 1000)
            if not c.partner.connected:
                continue
            arrived = c.partner.received.get(record["seq"])
            if arrived is None:
                missed_events += 1
            else:
                latencies.append((arrived - record["start"]) * 1000)
        duplicate_events += sum(n - 1 for n in c.event_counts.values() if n > 1)
    lost = duplicated = gaps = checked = 0
    for client, items in zip(clients, pages, strict=True):
        if items is None:
            continue
        checked += 1
        bodies = Counter(item["body"] for item in items)
        for record in client.sent + client.partner.sent:
            n = bodies.get(f"bench {record['client_id']}", 0)
            lost += n == 0
            duplicated += max(0, n - 1)
        seqs = [item["seq"] for item in items]
        gaps += seqs != list(range(1, len(seqs) + 1))
    latencies.sort()
    send_times.sort()

    errors_text = f": {dict(send_errors)}" if send_errors else ""
    print(
        f"messages sent:          {sent} in {send_seconds:.1f} s "
        f"({send_errors.total()} send errors{errors_text})"
    )
    print(f"messages/second:        {sent / send_seconds:.1f}")
    print(
        f"send (HTTP POST):       p50 {percentile(send_times, 50):7.1f} ms   "
        f"p95 {percentile(send_times, 95):7.1f} ms   p99 {percentile(send_times, 99):7.1f} ms"
    )
    print(
        f"delivery latency:       p50 {percentile(latencies, 50):7.1f} ms   "
        f"p95 {percentile(latencies, 95):7.1f} ms   p99 {percentile(latencies, 99):7.1f} ms   "
        f"(send start -> partner's message.created; {len(latencies)} events)"
    )
    print(
        f"bench client itself:    {client_cpu:.0f}% of a core while sending, event-loop lag "
        f"p50 {percentile(lags, 50):.1f} ms, p99 {percentile(lags, 99):.1f} ms"
    )
    dropped = Counter(c.dropped for c in clients if c.dropped is not None)
    print(f"sockets dropped:        {dropped.total()} {dict(dropped) if dropped else ''}")
    print(f"events missed:          {missed_events}   duplicated events: {duplicate_events}")
    print(
        f"resync check:           {checked}/{len(clients)} clients resynced "
        f"({resync_errors} errors); lost {lost}, duplicated {duplicated}, "
        f"conversations with seq gaps {gaps}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200, help="sockets (2 per pair)")
    parser.add_argument("--seconds", type=float, default=20, help="duration of the send phase")
    parser.add_argument("--messages", type=int, default=0, help="max messages per client (0: ∞)")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a pair's")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--redis-db", type=int, default=9, help="Redis db used, then flushed")
    parser.add_argument("--server-log", help="write the server's whole output to this file")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", help="use this existing database instead of a new one")
    parser.add_argument(
        "--production", action="store_true", help="serve with config.settings.production"
    )
    args = parser.parse_args()
    args.connections = max(2, min(args.connections, 5000))
    args.seconds = max(1.0, min(args.seconds, 600))
    pair_count = args.connections // 2

    # Sockets and HTTP connections: two per client, plus the server's (children inherit).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 6 * args.connections + 1024
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))

    tag = secrets.token_hex(4)
    name = args.database or f"bench_chat_{tag}"
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    master_key = base64.b64encode(secrets.token_bytes(32)).decode()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        **(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "false",
                "API_RATE_PER_ADDRESS": "1000000/min",
            }
            if args.production
            else {}
        ),
        "DATABASE_URL": f"{args.postgres}/{name}",
        "REDIS_URL": redis_url,
        "CHAT_MASTER_KEYS": f"bench:{master_key}",
        "DEBUG": "0",
    }
    os.environ.update(env)
    server = None
    if not args.database:
        create_database(args.postgres, name)
    filled = False
    try:
        flush_redis(redis_url)
        subprocess.run(  # noqa: S603 - fixed command
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        import django

        django.setup()
        started = time.monotonic()
        pairs = fill(pair_count, tag)
        filled = True
        print(
            f"database: postgresql {name}; {pair_count} pairs filled in "
            f"{time.monotonic() - started:.1f} s; {args.workers} uvicorn workers; "
            f"one message per pair every {args.interval:g} s for {args.seconds:g} s\n"
        )
        server = Server(env, args.workers)
        server.wait_ready()
        asyncio.run(run_clients(server.port, pairs, args))
        errors = Counter(
            line.strip()
            for line in server.output(tail=10_000_000).splitlines()
            if ("Error" in line or "Exception" in line) and not line.startswith(" ")
        )
        if args.server_log:
            Path(args.server_log).write_text(server.output(tail=10_000_000))
        if errors:
            print("\nserver log, exceptions (count):")
            for line, n in errors.most_common(8):
                print(f"  {n:5d}  {line[:160]}")
    finally:
        if server is not None:
            server.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 - Django may not be set up yet
            pass
        if not args.database:
            drop_database(args.postgres, name)
        elif filled:
            delete_filled(tag)
            connections.close_all()
        flush_redis(redis_url)


if __name__ == "__main__":
    main()
