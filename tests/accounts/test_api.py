"""The authentication API and /me. Every response a test reads is checked against the
published OpenAPI document (status documented, required keys present, types right)."""

import datetime as dt
import json
import uuid

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from passemploi.accounts.enums import Scheme, StructureKind
from passemploi.accounts.models import ApiToken
from passemploi.accounts.terms import CURRENT_TERMS_VERSION
from tests.factories import PASSWORD, CounselorFactory, StructureFactory, YoungPersonFactory

TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/refresh"
REVOKE = "/api/v1/auth/revoke"
ME = "/api/v1/me"
T0 = dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)

_PY_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


@pytest.fixture(scope="session")
def openapi(django_db_setup, django_db_blocker):
    # Every request opens a transaction (ATOMIC_REQUESTS), even one that reads nothing.
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _resolve(doc, schema):
    while "$ref" in schema:
        node = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def conforms(doc, schema, value, where="$"):
    """Assert that value matches the JSON schema (the subset Ninja emits)."""
    schema = _resolve(doc, schema)
    if "anyOf" in schema:
        failures = []
        for option in schema["anyOf"]:
            try:
                conforms(doc, option, value, where)
                return
            except AssertionError as exc:
                failures.append(str(exc))
        raise AssertionError(f"{where}: matches no anyOf option: {failures}")
    kind = schema.get("type")
    if kind is None:
        return
    assert isinstance(value, _PY_TYPES[kind]), f"{where}: {value!r} is not {kind}"
    if kind in ("integer", "number"):
        assert not isinstance(value, bool), f"{where}: boolean given for {kind}"
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "uuid":
            uuid.UUID(value)
        elif fmt == "date":
            dt.date.fromisoformat(value)
        elif fmt == "date-time":
            dt.datetime.fromisoformat(value)
        if "minLength" in schema:
            assert len(value) >= schema["minLength"], where
    elif kind == "array":
        for i, item in enumerate(value):
            conforms(doc, schema.get("items", {}), item, f"{where}[{i}]")
    elif kind == "object":
        missing = set(schema.get("required", ())) - set(value)
        assert not missing, f"{where}: missing required keys {sorted(missing)}"
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                conforms(doc, properties[key], item, f"{where}.{key}")
            elif isinstance(extra, dict):
                conforms(doc, extra, item, f"{where}.{key}")
            else:
                raise AssertionError(f"{where}: undocumented key {key!r}")


def documented(doc, method, path, response):
    operation = doc["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method.upper()} {path} → {status} not documented"
    assert response["Content-Type"].startswith("application/json")
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    body = response.json()
    conforms(doc, schema, body)
    return body


@pytest.fixture
def api(openapi):
    """Calls the API like a native client (no cookies) and checks every answer against the
    OpenAPI document. Returns (status, body)."""

    def call(method, path, data=None, token=None, client=None):
        client = client or Client(enforce_csrf_checks=True)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if method == "post":
            response = client.post(
                path, json.dumps(data or {}), content_type="application/json", headers=headers
            )
        else:
            response = client.get(path, headers=headers)
        return response.status_code, documented(openapi, method, path, response)

    return call


@pytest.fixture
def sign_in(api):
    def sign_in(user, password=PASSWORD):
        status, body = api("post", TOKEN, {"email": user.email, "password": password})
        assert status == 200, body
        return body

    return sign_in


def test_every_operation_is_documented(openapi):
    operations = [
        (path, method, operation)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
    ]
    assert {(path, method) for path, method, _ in operations} >= {
        (TOKEN, "post"),
        (REFRESH, "post"),
        (REVOKE, "post"),
        (ME, "get"),
    }
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation.get("summary", "").strip(), f"{where} has no summary"
        assert operation.get("description", "").strip(), f"{where} has no description"
        assert operation.get("tags"), f"{where} has no tag"
        for status, response in operation["responses"].items():
            if not status.startswith("2") and "content" in response:
                schema = _resolve(openapi, response["content"]["application/json"]["schema"])
                assert schema["title"] == "ErrorOut", f"{where} {status} is not an ErrorOut"


@pytest.mark.django_db
class TestToken:
    def test_pair_for_good_credentials(self, api, young_person):
        status, body = api(
            "post", TOKEN, {"email": young_person.user.email.upper(), "password": PASSWORD}
        )
        assert status == 200
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == 15 * 60
        assert body["refresh_expires_in"] == 30 * 24 * 3600
        assert body["access_token"] != body["refresh_token"]
        assert len(body["access_token"]) >= 40
        rows = ApiToken.objects.filter(user=young_person.user)
        assert sorted(rows.values_list("kind", flat=True)) == ["access", "refresh"]
        assert rows.values("family").distinct().count() == 1
        assert not rows.filter(token_hash__in=[body["access_token"], body["refresh_token"]])

    def test_records_the_login(self, sign_in, young_person):
        sign_in(young_person.user)
        young_person.user.refresh_from_db()
        assert young_person.user.first_login_at is not None

    @pytest.mark.parametrize("password", ["mauvais", "", PASSWORD.upper()])
    def test_wrong_password(self, api, young_person, password):
        status, body = api("post", TOKEN, {"email": young_person.user.email, "password": password})
        assert status == 401
        assert body == {
            "code": "invalid_credentials",
            "message": "Adresse e-mail ou mot de passe incorrect.",
            "fields": {},
        }
        assert not ApiToken.objects.exists()

    def test_unknown_email_same_answer(self, api, db):
        status, body = api("post", TOKEN, {"email": "x@exemple.fr", "password": "mauvais"})
        assert (status, body["code"]) == (401, "invalid_credentials")

    def test_not_activated_account(self, api):
        user = YoungPersonFactory(user__not_activated=True).user
        status, body = api("post", TOKEN, {"email": user.email, "password": ""})
        assert (status, body["code"]) == (401, "invalid_credentials")

    def test_missing_field(self, api, young_person):
        status, body = api("post", TOKEN, {"email": young_person.user.email})
        assert status == 422
        assert body["code"] == "validation_error"
        assert body["message"] == "Certaines données sont invalides."
        assert list(body["fields"]) == ["password"]
        assert body["fields"]["password"]

    def test_body_that_is_not_an_object(self, api, db):
        status, body = api("post", TOKEN, ["liste"])
        assert (status, body["code"]) == (422, "invalid_body")

    def test_lockout(self, api, young_person, settings):
        settings.LOGIN_SLOWDOWN_FREE_FAILURES = 1000
        email = young_person.user.email
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert api("post", TOKEN, {"email": email, "password": "mauvais"})[0] == 401
        status, body = api("post", TOKEN, {"email": email, "password": "mauvais"})
        assert (status, body["code"]) == (429, "too_many_attempts")
        status, body = api("post", TOKEN, {"email": email.upper(), "password": PASSWORD})
        assert status == 429
        assert body["code"] == "too_many_attempts"
        assert "Trop de tentatives" in body["message"]
        assert not ApiToken.objects.exists()

    def test_slowdown_answers_429_with_retry_after(self, young_person):
        email = young_person.user.email
        client = Client()
        with time_machine.travel(T0, tick=False) as traveller:
            for _ in range(3):
                response = client.post(
                    TOKEN, {"email": email, "password": "mauvais"}, content_type="application/json"
                )
                assert response.status_code == 401
            response = client.post(
                TOKEN, {"email": email, "password": PASSWORD}, content_type="application/json"
            )
            assert response.status_code == 429
            assert response.json()["code"] == "too_many_attempts"
            assert response["Retry-After"] == "2"
            traveller.shift(dt.timedelta(seconds=2))
            response = client.post(
                TOKEN, {"email": email, "password": PASSWORD}, content_type="application/json"
            )
            assert response.status_code == 200

    def test_failures_on_the_pages_count_for_the_api(self, api, young_person, settings):
        settings.LOGIN_SLOWDOWN_FREE_FAILURES = 1000
        email = young_person.user.email
        for _ in range(settings.AXES_FAILURE_LIMIT):
            Client().post("/connexion/", {"username": email, "password": "mauvais"})
        status, body = api("post", TOKEN, {"email": email, "password": PASSWORD})
        assert (status, body["code"]) == (429, "too_many_attempts")

    def test_lockout_lifts_after_the_cool_off(self, api, young_person, settings):
        settings.LOGIN_SLOWDOWN_FREE_FAILURES = 1000
        email = young_person.user.email
        with time_machine.travel(T0, tick=False) as traveller:
            for _ in range(settings.AXES_FAILURE_LIMIT):
                api("post", TOKEN, {"email": email, "password": "mauvais"})
            assert api("post", TOKEN, {"email": email, "password": PASSWORD})[0] == 429
            traveller.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))
            assert api("post", TOKEN, {"email": email, "password": PASSWORD})[0] == 200


@pytest.mark.django_db
class TestAccessToken:
    def test_works_for_15_minutes(self, api, sign_in, young_person):
        with time_machine.travel(T0, tick=False) as traveller:
            pair = sign_in(young_person.user)
            traveller.shift(dt.timedelta(minutes=14, seconds=59))
            assert api("get", ME, token=pair["access_token"])[0] == 200
            traveller.shift(dt.timedelta(seconds=1))
            status, body = api("get", ME, token=pair["access_token"])
        assert status == 401
        assert body["code"] == "not_authenticated"

    def test_refresh_token_is_not_an_access_token(self, api, sign_in, young_person):
        pair = sign_in(young_person.user)
        assert api("get", ME, token=pair["refresh_token"])[0] == 401

    @pytest.mark.parametrize("token", ["inconnu", "x" * 43])
    def test_unknown_token(self, api, db, token):
        status, body = api("get", ME, token=token)
        assert (status, body["code"]) == (401, "not_authenticated")

    def test_401_says_how_to_authenticate(self, db):
        response = Client().get(ME)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"

    def test_deactivated_user(self, api, sign_in, young_person):
        pair = sign_in(young_person.user)
        young_person.user.is_active = False
        young_person.user.save()
        assert api("get", ME, token=pair["access_token"])[0] == 401
        assert api("post", REFRESH, {"refresh_token": pair["refresh_token"]})[0] == 401


@pytest.mark.django_db
class TestRefresh:
    def test_rotation(self, api, sign_in, young_person):
        first = sign_in(young_person.user)
        status, second = api("post", REFRESH, {"refresh_token": first["refresh_token"]})
        assert status == 200
        assert second["access_token"] not in (first["access_token"], first["refresh_token"])
        assert second["refresh_token"] != first["refresh_token"]
        assert api("get", ME, token=second["access_token"])[0] == 200
        # The previous access token belongs to the rotated-out pair.
        assert api("get", ME, token=first["access_token"])[0] == 401

    def test_old_refresh_token_is_refused(self, api, sign_in, young_person):
        first = sign_in(young_person.user)
        api("post", REFRESH, {"refresh_token": first["refresh_token"]})
        status, body = api("post", REFRESH, {"refresh_token": first["refresh_token"]})
        assert status == 401
        assert body["code"] == "invalid_token"

    def test_replay_revokes_the_whole_family(self, api, sign_in, young_person):
        first = sign_in(young_person.user)
        _, second = api("post", REFRESH, {"refresh_token": first["refresh_token"]})
        api("post", REFRESH, {"refresh_token": first["refresh_token"]})  # the replay
        assert api("get", ME, token=second["access_token"])[0] == 401
        status, body = api("post", REFRESH, {"refresh_token": second["refresh_token"]})
        assert (status, body["code"]) == (401, "invalid_token")

    def test_replay_does_not_touch_other_devices(self, api, sign_in, young_person):
        phone = sign_in(young_person.user)
        tablet = sign_in(young_person.user)
        api("post", REFRESH, {"refresh_token": phone["refresh_token"]})
        api("post", REFRESH, {"refresh_token": phone["refresh_token"]})
        assert api("get", ME, token=tablet["access_token"])[0] == 200

    def test_refresh_token_expires_after_30_days(self, api, sign_in, young_person):
        with time_machine.travel(T0, tick=False) as traveller:
            pair = sign_in(young_person.user)
            traveller.shift(settings.API_REFRESH_TOKEN_TTL)
            status, body = api("post", REFRESH, {"refresh_token": pair["refresh_token"]})
        assert (status, body["code"]) == (401, "invalid_token")

    def test_access_token_cannot_refresh(self, api, sign_in, young_person):
        pair = sign_in(young_person.user)
        assert api("post", REFRESH, {"refresh_token": pair["access_token"]})[0] == 401
        assert api("get", ME, token=pair["access_token"])[0] == 200

    def test_empty_refresh_token(self, api, db):
        status, body = api("post", REFRESH, {"refresh_token": ""})
        assert status == 422
        assert list(body["fields"]) == ["refresh_token"]


@pytest.mark.django_db
class TestRevoke:
    @pytest.mark.parametrize("which", ["access_token", "refresh_token"])
    def test_revokes_the_sign_in(self, api, sign_in, young_person, which):
        pair = sign_in(young_person.user)
        status, body = api("post", REVOKE, {"token": pair[which]})
        assert (status, body) == (200, {"revoked": True})
        assert api("get", ME, token=pair["access_token"])[0] == 401
        assert api("post", REFRESH, {"refresh_token": pair["refresh_token"]})[0] == 401

    def test_unknown_token_gets_the_same_answer(self, api, db):
        status, body = api("post", REVOKE, {"token": "jamais-vu"})
        assert (status, body) == (200, {"revoked": True})

    def test_missing_token(self, api, db):
        status, body = api("post", REVOKE, {})
        assert (status, body["code"]) == (422, "validation_error")
        assert list(body["fields"]) == ["token"]


@pytest.mark.django_db
class TestMe:
    def test_young_person(self, api, sign_in):
        structure = StructureFactory(overseas=True, name="France Travail Saint-Denis")
        counselor = CounselorFactory(structure=structure, user__first_name="Thomas")
        young_person = YoungPersonFactory(
            counselor=counselor,
            scheme=Scheme.AIJ,
            partner_id="FT-123",
            planned_end_date=dt.date(2027, 6, 30),
        )
        status, me = api("get", ME, token=sign_in(young_person.user)["access_token"])
        assert status == 200
        assert me["id"] == str(young_person.user.id)
        assert me["email"] == young_person.user.email
        assert (me["role"], me["role_label"]) == ("young_person", "Bénéficiaire")
        assert me["counselor"] is None
        assert me["structure"] == {
            "id": str(structure.id),
            "name": "France Travail Saint-Denis",
            "kind": StructureKind.FRANCE_TRAVAIL,
            "kind_label": "Agence France Travail",
            "code": structure.code,
            "departement": "974",
            "time_zone": "Indian/Reunion",
        }
        profile = me["young_person"]
        assert profile["id"] == str(young_person.id)
        assert (profile["scheme"], profile["scheme_label"]) == (
            "AIJ",
            "Accompagnement Intensif Jeunes",
        )
        assert profile["partner_id"] == "FT-123"
        assert profile["planned_end_date"] == "2027-06-30"
        assert profile["terms_accepted"] is True
        assert profile["terms_version"] == CURRENT_TERMS_VERSION
        assert profile["counselor"] == {
            "id": str(counselor.id),
            "first_name": "Thomas",
            "last_name": counselor.user.last_name,
            "email": counselor.user.email,
        }

    def test_young_person_with_outdated_terms(self, api, sign_in):
        young_person = YoungPersonFactory(terms_version="2020-01-01")
        _, me = api("get", ME, token=sign_in(young_person.user)["access_token"])
        assert me["young_person"]["terms_accepted"] is False
        assert me["young_person"]["terms_version"] == "2020-01-01"

    @pytest.mark.parametrize("is_supervisor", [False, True])
    def test_counselor(self, api, sign_in, structure, is_supervisor):
        counselor = CounselorFactory(structure=structure, is_supervisor=is_supervisor)
        status, me = api("get", ME, token=sign_in(counselor.user)["access_token"])
        assert status == 200
        assert (me["role"], me["role_label"]) == ("counselor", "Conseiller")
        assert me["counselor"] == {"id": str(counselor.id), "is_supervisor": is_supervisor}
        assert me["structure"]["id"] == str(structure.id)
        assert me["young_person"] is None

    def test_anonymous(self, api, db):
        status, body = api("get", ME)
        assert status == 401
        assert body["code"] == "not_authenticated"
        assert body["fields"] == {}

    def test_anonymous_write_without_cookie_is_401_not_a_csrf_refusal(self, db):
        # A native client with no session: CSRF applies to signed-in sessions only.
        response = Client(enforce_csrf_checks=True).post(
            "/api/v1/actions", {}, content_type="application/json"
        )
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"

    def test_session_write_without_csrf_token_is_refused(self, counselor_client):
        counselor_client.handler.enforce_csrf_checks = True
        response = counselor_client.post("/api/v1/actions", {}, content_type="application/json")
        assert response.status_code in (401, 403)
        assert response.json()["code"] != "validation_error"

    def test_session_auth(self, api, young_client, young_person):
        status, me = api("get", ME, client=young_client)
        assert status == 200
        assert me["role"] == "young_person"
        assert me["young_person"]["id"] == str(young_person.id)

    def test_session_auth_for_a_counselor(self, api, counselor_client, counselor):
        status, me = api("get", ME, client=counselor_client)
        assert (status, me["counselor"]["id"]) == (200, str(counselor.id))

    def test_token_does_not_open_the_pages(self, sign_in, young_person):
        pair = sign_in(young_person.user)
        response = Client().get(
            "/app/", headers={"Authorization": f"Bearer {pair['access_token']}"}
        )
        assert response.status_code == 302
