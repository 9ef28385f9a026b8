"""Benchmark of the offer search on PostgreSQL. Prints figures; asserts nothing (not in CI).

Run: DATABASE_URL=postgres://... .venv/bin/python bench/search.py [--offers 1000000]
     [--runs 40] [--http] [--concurrency 2]

It creates a throw-away test database, loads the communes, generates a seed catalogue with
``generate_offers`` (real communes weighted by population) and multiplies it in SQL up to
``--offers`` rows (shifted dates, distinct source ids), then times 20 representative searches
through the service layer (criteria + search: commune resolution, count, page) and, with
``--http``, through ``GET /api/v1/offers`` served by uvicorn (2 workers) on a local port,
with a bearer token. Throughput: searches per second for the whole set, one client, then
``--concurrency`` clients over HTTP.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SEED_OFFERS = 50_000
QUERIES = [
    ("mot du titre + 10 km (Paris)", {"q": "vendeur", "commune": "75056", "sort": "date"}),
    ("mot du titre + 10 km (Lyon)", {"q": "cuisinier", "commune": "69123", "sort": "date"}),
    ("mot du titre + 10 km (Toulouse)", {"q": "magasinier", "commune": "31555", "sort": "date"}),
    (
        "2 mots + CDI + 30 km",
        {
            "q": "développeur python",
            "commune": "69123",
            "radius_km": 30,
            "contract_types": ["CDI"],
            "sort": "date",
        },
    ),
    (
        "2 mots + CDD + 30 km (Marseille)",
        {
            "q": "serveur restauration",
            "commune": "13055",
            "radius_km": 30,
            "contract_types": ["CDD"],
            "sort": "date",
        },
    ),
    ("rayon seul 10 km (Paris)", {"commune": "75056", "sort": "date"}),
    ("rayon seul 50 km (Nantes)", {"commune": "44109", "radius_km": 50, "sort": "date"}),
    ("mot fréquent + 10 km", {"q": "équipe", "commune": "75056", "sort": "date"}),
    ("mot fréquent, France entière", {"q": "équipe", "sort": "date"}),
    ("mot fréquent, pertinence", {"q": "équipe", "sort": "relevance"}),
    ("département seul (974)", {"departement": "974", "sort": "date"}),
    ("département + mot (13)", {"q": "serveur", "departement": "13", "sort": "date"}),
    ("alternance + 30 km", {"kinds": ["ALTERNANCE"], "commune": "13055", "radius_km": 30}),
    ("pertinence + 20 km (Lille)", {"q": "aide soignant", "commune": "59350", "radius_km": 20}),
    (
        "débutant + temps partiel + 20 km",
        {
            "experiences": ["BEGINNER"],
            "working_times": ["PART_TIME"],
            "commune": "31555",
            "radius_km": 20,
            "sort": "date",
        },
    ),
    ("7 derniers jours + 10 km", {"published_within_days": 7, "commune": "44109"}),
    (
        "tri distance + 50 km",
        {"q": "magasinier", "commune": "33063", "radius_km": 50, "sort": "distance"},
    ),
    ("code ROME, France entière", {"rome_code": "M1805", "sort": "date"}),
    ("service civique, domaine", {"kinds": ["SERVICE_CIVIQUE"], "domain": "SPORT"}),
    ("page 10 d'un mot du titre", {"q": "vendeur", "page": 10, "sort": "date"}),
]


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def fill(total: int) -> None:
    from passemploi.geo.loader import load_communes
    from passemploi.offers.generate import generate_offers
    from passemploi.offers.models import Offer

    started = time.perf_counter()
    load_communes()
    generate_offers(min(SEED_OFFERS, total), seed=42)
    copies = max(total // SEED_OFFERS - 1, 0)
    columns = [
        f.column
        for f in Offer._meta.fields
        if f.column not in ("id", "source_id", "published_at", "expires_at")
    ]
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO offers_offer ({listed}, source_id, published_at, expires_at)
            SELECT {listed}, source_id || '-' || g, published_at - g * interval '7 minutes',
                   expires_at
            FROM offers_offer, generate_series(1, %s) AS g
            """,  # noqa: S608 (column names from the model)
            [copies],
        )
        cursor.execute("VACUUM ANALYZE offers_offer")
        cursor.execute("SELECT count(*) FROM offers_offer")
        count = cursor.fetchone()[0]
    print(f"{count:,} offres chargées en {time.perf_counter() - started:.0f} s")


def service_call(criteria):
    from passemploi.offers.criteria import build_criteria
    from passemploi.offers.search import search_offers

    return lambda: search_offers(build_criteria(**criteria))


def api_params(criteria) -> dict:
    names = {
        "kinds": "kind",
        "contract_types": "contract_type",
        "working_times": "working_time",
        "experiences": "experience",
    }
    params = {names.get(k, k): v for k, v in criteria.items() if k != "page"}
    if "page" in criteria:
        params["offset"] = (criteria["page"] - 1) * 20
    return params


def time_calls(calls, runs):
    rows = []
    for label, call in calls:
        call()
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
        rows.append((label, samples))
        print(
            f"  {label:<36} p50 {statistics.median(samples):7.1f} ms  "
            f"p95 {percentile(samples, 0.95):7.1f} ms  p99 {percentile(samples, 0.99):7.1f} ms"
        )
    return rows


def throughput(calls, seconds: float, concurrency: int) -> float:
    done = [0] * concurrency
    stop = time.perf_counter() + seconds

    def worker(index):
        try:
            while time.perf_counter() < stop:
                for _label, call in calls:
                    call()
                    done[index] += 1
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--http", action="store_true")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Ce banc d'essai vise PostgreSQL : définissez DATABASE_URL.")
    setup_test_environment()
    # A name of its own: a test run on the same database must not share (and lose) it.
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = f"bench_{database['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    server = None
    try:
        fill(args.offers)
        print("Couche service :")
        calls = [(label, service_call(criteria)) for label, criteria in QUERIES]
        time_calls(calls, args.runs)
        print(f"  débit, 1 client : {throughput(calls, 10, 1):.0f} recherches/s")
        if args.http:
            import requests

            from passemploi.accounts import tokens
            from tests.factories import YoungPersonFactory

            token = tokens.issue_token_pair(YoungPersonFactory().user)["access_token"]
            db = settings.DATABASES["default"]
            env = dict(
                os.environ,
                DJANGO_SETTINGS_MODULE="config.settings.test",
                API_RATE_PER_ADDRESS="1000000/min",
                API_RATE_PER_USER="1000000/min",
                DATABASE_URL=(
                    f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
                    f"{db['NAME']}"
                ),
            )
            server = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "config.asgi:application",
                    "--port",
                    str(args.port),
                    "--workers",
                    "2",
                    "--lifespan",
                    "off",
                    "--log-level",
                    "warning",
                ],
                env=env,
                cwd=Path(__file__).resolve().parent.parent,
            )
            url = f"http://127.0.0.1:{args.port}/api/v1/offers"
            headers = {"Authorization": f"Bearer {token}", "Host": "localhost"}
            for _ in range(100):
                try:
                    requests.get(url, headers=headers, timeout=5)
                    break
                except requests.ConnectionError:
                    time.sleep(0.2)
            sessions = threading.local()

            def http_call(criteria):
                params = api_params(criteria)

                def call():
                    session = getattr(sessions, "s", None) or requests.Session()
                    sessions.s = session
                    response = session.get(url, params=params, headers=headers, timeout=30)
                    response.raise_for_status()

                return call

            print("HTTP (uvicorn, 2 workers) :")
            http_calls = [(label, http_call(criteria)) for label, criteria in QUERIES]
            time_calls(http_calls, args.runs)
            for clients in (1, args.concurrency):
                rate = throughput(http_calls, 10, clients)
                print(f"  débit HTTP, {clients} client(s) : {rate:.0f} recherches/s")
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
