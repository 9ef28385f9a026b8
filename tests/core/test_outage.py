"""A database that drops connections (a restart, a saturated pool): every request fails cleanly
with 503 and a retry hint, and no partial write survives. The fault is injected at the driver
boundary with Django's execute_wrapper, exactly where PostgreSQL's error would surface."""

import contextlib

from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from passemploi.accounts import tokens
from passemploi.actions.models import Action, ActionHistory
from tests.conftest import client_for
from tests.helpers import text


@contextlib.contextmanager
def database_fails(when=lambda sql: True):
    def wrapper(execute, sql, params, many, context):
        if when(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def test_api_answers_503_with_retry_after(young_person):
    token = tokens.issue_token_pair(young_person.user)["access_token"]
    with database_fails():
        response = Client(raise_request_exception=False).get(
            "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "service_unavailable"


def test_pages_answer_a_french_503(counselor):
    client = client_for(counselor.user)
    client.raise_request_exception = False
    with database_fails():
        response = client.get("/conseiller/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Service momentanément indisponible" in text(response)


def test_a_write_cut_halfway_leaves_nothing(young_person):
    token = tokens.issue_token_pair(young_person.user)["access_token"]
    # The action's row goes in, then the connection drops before its history row.
    with database_fails(lambda sql: sql.startswith('INSERT INTO "actions_actionhistory"')):
        response = Client(raise_request_exception=False).post(
            "/api/v1/actions",
            {"title": "Candidature", "category": "EMPLOI", "due_date": str(timezone.localdate())},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 503
    assert not Action.objects.exists()
    assert not ActionHistory.objects.exists()


def test_other_server_errors_stay_500(young_person, monkeypatch):
    from passemploi.accounts import api as accounts_api

    def broken(request):
        raise RuntimeError("bug")

    monkeypatch.setattr(accounts_api, "has_accepted_current_terms", broken)
    token = tokens.issue_token_pair(young_person.user)["access_token"]
    response = Client(raise_request_exception=False).get(
        "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 500
    assert "Retry-After" not in response
