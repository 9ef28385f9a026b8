"""The actions API: every operation's happy path and refusals, idempotent creation, paging,
filters, the hour counter. Every answer is checked against the published OpenAPI document with
the checker of tests/accounts/test_api.py."""

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from passemploi.accounts import tokens
from passemploi.actions.catalogue import PREDEFINED
from passemploi.actions.models import Action, ActionComment
from tests.accounts.test_api import documented, openapi  # noqa: F401  (openapi: a fixture)
from tests.factories import (
    ActionFactory,
    CounselorFactory,
    StructureFactory,
    UserFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

# A Wednesday, 11:00 in Paris (winter time, +01:00): its week runs 23–29 March 2026.
NOW = datetime(2026, 3, 25, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 25)
MONDAY, SUNDAY = date(2026, 3, 23), date(2026, 3, 29)

ACTIONS = "/api/v1/actions"
BATCH = "/api/v1/actions/batch"
BULK_QUALIFY = "/api/v1/actions/qualify"
ACTION = "/api/v1/actions/{action_id}"
STATUS = ACTION + "/status"
DUPLICATE = ACTION + "/duplicate"
COMMENTS = ACTION + "/comments"
HISTORY = ACTION + "/history"
QUALIFY = ACTION + "/qualify"
COUNTER = "/api/v1/hour-counter"
CATEGORIES = "/api/v1/action-categories"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def call(openapi):  # noqa: F811
    """Call the API as a native client with a bearer token (user None: anonymous); check the
    answer against the OpenAPI document. Returns (status, body)."""
    issued = {}

    def call(user, method, template, data=None, query=None, **params):
        headers = {}
        if user is not None:
            if user.pk not in issued:
                issued[user.pk] = tokens.issue_token_pair(user)["access_token"]
            headers["Authorization"] = f"Bearer {issued[user.pk]}"
        path = template.format(**params)
        client = Client(enforce_csrf_checks=True)
        if method == "get":
            response = client.get(path, query or {}, headers=headers)
        else:
            body = json.dumps({} if data is None else data, cls=DjangoJSONEncoder)
            response = getattr(client, method)(
                path, body, content_type="application/json", headers=headers
            )
        if response.status_code == 204:
            assert "204" in openapi["paths"][template][method]["responses"]
            assert response.content == b""
            return 204, None
        return response.status_code, documented(openapi, method, template, response)

    return call


@pytest.fixture
def yp(young_person):
    return young_person.user


@pytest.fixture
def adviser(counselor):
    return counselor.user


@pytest.fixture
def other_young_person(counselor):
    return YoungPersonFactory(counselor=counselor)


def refused(result, status, code, field=None):
    got_status, body = result
    assert (got_status, body["code"]) == (status, code), body
    assert body["message"]
    if field is not None:
        assert list(body["fields"]) == [field], body
    return body


def new(**fields):
    return {"title": "Envoyer une candidature", "category": "EMPLOI", "due_date": TODAY, **fields}


# --- documentation ------------------------------------------------------------------------------


def test_every_actions_operation_is_documented_with_an_example(openapi):  # noqa: F811
    operations = [
        (f"{method.upper()} {path}", operation)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
        if operation["tags"] == ["Actions"]
    ]
    assert len(operations) == 17
    schemas = openapi["components"]["schemas"]

    def has_example(content):
        ref = content["application/json"]["schema"].get("$ref", "")
        return bool(schemas[ref.rsplit("/", 1)[-1]].get("examples")) if ref else False

    for where, operation in operations:
        responses = operation["responses"]
        for status in ("401", "404", "422"):
            assert status in responses, f"{where} does not document {status}"
        success = [r for s, r in responses.items() if s.startswith("2") and "content" in r]
        body = operation.get("requestBody", {}).get("content")
        if not success and not body:
            continue  # nothing sent, nothing answered (DELETE's 204)
        assert any(has_example(r["content"]) for r in success) or (body and has_example(body)), (
            f"{where} has no example"
        )


# --- list ---------------------------------------------------------------------------------------


class TestList:
    def test_young_person_sees_their_own_actions(self, call, yp, young_person, other_young_person):
        mine = ActionFactory(young_person=young_person, description="Boulangerie")
        ActionFactory(young_person=other_young_person)
        status, body = call(yp, "get", ACTIONS)
        assert status == 200
        assert (body["count"], body["next"]) == (1, None)
        item = body["items"][0]
        assert item == {
            "id": str(mine.id),
            "young_person_id": str(young_person.id),
            "title": mine.title,
            "description": "Boulangerie",
            "category": "EMPLOI",
            "category_label": "Emploi",
            "status": "not_started",
            "status_label": "À faire",
            "due_date": "2026-03-25",
            "start_date": None,
            "end_date": None,
            "late": False,
            "reminder": True,
            "creator_role": "young_person",
            "creator_role_label": "Bénéficiaire",
            "created_at": "2026-03-25T11:00:00+01:00",
            "updated_at": "2026-03-25T11:00:00+01:00",
            "qualification": None,
            "can_edit": True,
        }

    def test_times_carry_the_offset_of_the_young_persons_structure(self, call):
        young_person = YoungPersonFactory(counselor__structure=StructureFactory(overseas=True))
        ActionFactory(young_person=young_person)
        _, body = call(young_person.user, "get", ACTIONS)
        assert body["items"][0]["created_at"] == "2026-03-25T14:00:00+04:00"

    def test_counselor_sees_the_portfolio_supervisor_the_structure(
        self, call, counselor, structure, young_person
    ):
        colleague = CounselorFactory(structure=structure)
        colleagues_young_person = YoungPersonFactory(counselor=colleague)
        elsewhere = YoungPersonFactory()
        ours = ActionFactory(young_person=young_person)
        theirs = ActionFactory(young_person=colleagues_young_person)
        ActionFactory(young_person=elsewhere)
        ids = lambda body: {item["id"] for item in body["items"]}  # noqa: E731
        assert ids(call(counselor.user, "get", ACTIONS)[1]) == {str(ours.id)}
        supervisor = CounselorFactory(structure=structure, supervisor=True)
        assert ids(call(supervisor.user, "get", ACTIONS)[1]) == {str(ours.id), str(theirs.id)}
        assert call(elsewhere.counselor.user, "get", ACTIONS)[1]["count"] == 1

    def test_young_person_sees_what_a_counselor_created_but_cannot_edit_it(
        self, call, yp, young_person
    ):
        ActionFactory(young_person=young_person, by_counselor=True)
        item = call(yp, "get", ACTIONS)[1]["items"][0]
        assert (item["creator_role"], item["can_edit"]) == ("counselor", False)

    @pytest.mark.parametrize("account", ["staff", "no_role"])
    def test_other_accounts_are_refused(self, call, db, account):
        user = UserFactory(is_staff=account == "staff")
        refused(call(user, "get", ACTIONS), 403, "forbidden")

    def test_anonymous(self, call):
        refused(call(None, "get", ACTIONS), 401, "not_authenticated")

    def test_filter_by_young_person(self, call, adviser, young_person, other_young_person):
        ActionFactory(young_person=young_person)
        ActionFactory(young_person=other_young_person)
        _, body = call(adviser, "get", ACTIONS, query={"young_person_id": young_person.id})
        assert [item["young_person_id"] for item in body["items"]] == [str(young_person.id)]

    def test_filter_by_an_invisible_young_person_is_404(self, call, adviser, yp):
        elsewhere = YoungPersonFactory()
        query = {"young_person_id": elsewhere.id}
        refused(call(adviser, "get", ACTIONS, query=query), 404, "not_found")
        refused(call(yp, "get", ACTIONS, query=query), 404, "not_found")

    def test_filters(self, call, yp, young_person):
        def make(title, **fields):
            return ActionFactory(young_person=young_person, title=title, **fields)

        make("late", due_date=TODAY - timedelta(days=1))
        make("late but done", due_date=TODAY - timedelta(days=10), done=True)
        make("in progress", due_date=TODAY, in_progress=True, category="SANTE")
        make("done last week, ended this week", due_date=MONDAY - timedelta(days=3))
        Action.objects.filter(title="done last week, ended this week").update(
            status="done", end_date=MONDAY
        )
        make("next week", due_date=SUNDAY + timedelta(days=1))
        make(
            "qualified",
            due_date=TODAY - timedelta(days=20),
            done=True,
            qualification_code="EMPLOI",
            qualified_hours=Decimal(3),
            qualified_at=NOW,
        )

        def titles(**query):
            status, body = call(yp, "get", ACTIONS, query=query)
            assert status == 200, body
            return sorted(item["title"] for item in body["items"])

        assert titles(status="in_progress") == ["in progress"]
        assert titles(category="SANTE") == ["in progress"]
        assert titles(late="true") == ["late"]
        assert "late" not in titles(late="false")
        assert len(titles(late="false")) == 5
        assert titles(qualified="true") == ["qualified"]
        assert "qualified" not in titles(qualified="false")
        this_week = ["done last week, ended this week", "in progress", "late"]
        assert titles(week="2026-03-29") == this_week  # a Sunday: its Monday-Sunday week
        assert titles(week="2026-03-23") == this_week
        assert titles(week="2026-03-30") == ["next week"]
        assert titles(week="2026-03-25", status="in_progress") == ["in progress"]
        late = call(yp, "get", ACTIONS, query={"late": "true"})[1]["items"][0]
        assert late["late"] is True

    @pytest.mark.parametrize(
        ("query", "status", "code", "field"),
        [
            ({"status": "fini"}, 400, "invalid_status", "status"),
            ({"category": "SPORT"}, 400, "invalid_category", "category"),
            ({"week": "2026-13-01"}, 422, "validation_error", "week"),
            ({"late": "peut-être"}, 422, "validation_error", "late"),
            ({"young_person_id": "abc"}, 422, "validation_error", "young_person_id"),
            ({"limit": "101"}, 422, "validation_error", "limit"),
            ({"limit": "0"}, 422, "validation_error", "limit"),
            ({"offset": "-1"}, 422, "validation_error", "offset"),
        ],
    )
    def test_bad_filters(self, call, yp, query, status, code, field):
        refused(call(yp, "get", ACTIONS, query=query), status, code, field)

    def test_paging(self, call, yp, young_person):
        for days in range(5):
            ActionFactory(young_person=young_person, due_date=TODAY + timedelta(days=days))
        seen = []
        status, body = call(yp, "get", ACTIONS, query={"limit": 2, "category": "EMPLOI"})
        assert (status, body["count"], len(body["items"])) == (200, 5, 2)
        while True:
            seen += [item["due_date"] for item in body["items"]]
            if body["next"] is None:
                break
            path, _, query = body["next"].partition("?")
            assert path == ACTIONS
            assert "category=EMPLOI" in query
            params = dict(part.split("=") for part in query.split("&"))
            body = call(yp, "get", ACTIONS, query=params)[1]
        assert seen == [str(TODAY + timedelta(days=d)) for d in range(5)]
        _, body = call(yp, "get", ACTIONS, query={"offset": 10})
        assert (body["items"], body["count"], body["next"]) == ([], 5, None)

    def test_default_page_is_50(self, call, yp, young_person):
        ActionFactory.create_batch(51, young_person=young_person)
        _, body = call(yp, "get", ACTIONS)
        assert (len(body["items"]), body["count"]) == (50, 51)
        assert "offset=50" in body["next"]

    @pytest.mark.parametrize("who", ["young_person", "counselor", "supervisor"])
    def test_query_count_does_not_grow_with_the_actions(
        self, call, who, young_person, counselor, structure
    ):
        user = {
            "young_person": young_person.user,
            "counselor": counselor.user,
            "supervisor": CounselorFactory(structure=structure, supervisor=True).user,
        }[who]
        others = YoungPersonFactory.create_batch(2, counselor=counselor)

        def queries():
            with CaptureQueriesContext(connection) as captured:
                status, body = call(user, "get", ACTIONS, query={"limit": 100})
            assert status == 200
            return len(captured), body["count"]

        for person in [young_person, *others]:
            ActionFactory(young_person=person, done=True, qualified_at=NOW, qualified_hours=1)
        ActionFactory.create_batch(2, young_person=young_person, by_counselor=True)
        call(user, "get", ACTIONS)  # the token is issued outside the count
        few, count = queries()
        assert count in (3, 5)
        for person in [young_person, *others]:
            ActionFactory.create_batch(12, young_person=person, done=True)
        ActionFactory.create_batch(4, young_person=young_person, by_counselor=True)
        many, count = queries()
        assert count in (19, 45)
        assert few == many


# --- create -------------------------------------------------------------------------------------


class TestCreate:
    def test_young_person_creates_for_themself(self, call, yp, young_person):
        status, body = call(yp, "post", ACTIONS, new(status="done", description=" Chez Martin "))
        assert status == 201
        action = Action.objects.get()
        assert body["id"] == str(action.id)
        assert body["young_person_id"] == str(young_person.id)
        assert (body["status"], body["status_label"]) == ("done", "Terminée")
        assert (body["start_date"], body["end_date"]) == ("2026-03-25", "2026-03-25")
        assert body["description"] == "Chez Martin"
        assert (body["creator_role"], body["can_edit"]) == ("young_person", True)
        assert action.created_by == yp
        assert list(action.history.values_list("event", flat=True)) == ["created"]

    def test_young_person_may_name_themself(self, call, yp, young_person):
        status, _ = call(yp, "post", ACTIONS, new(young_person_id=young_person.id))
        assert status == 201

    def test_young_person_cannot_create_for_someone_else(self, call, yp, other_young_person):
        result = call(yp, "post", ACTIONS, new(young_person_id=other_young_person.id))
        refused(result, 404, "not_found")
        assert not Action.objects.exists()

    def test_counselor_creates_for_a_young_person_they_follow(
        self, call, adviser, yp, young_person
    ):
        status, body = call(
            adviser, "post", ACTIONS, new(young_person_id=young_person.id, reminder=False)
        )
        assert status == 201
        assert (body["creator_role"], body["creator_role_label"]) == ("counselor", "Conseiller")
        assert (body["reminder"], body["can_edit"]) == (False, True)
        assert call(yp, "get", ACTION, action_id=body["id"])[1]["can_edit"] is False

    def test_counselor_must_name_the_young_person(self, call, adviser):
        refused(call(adviser, "post", ACTIONS, new()), 400, "young_person_required")

    def test_counselor_of_another_structure_gets_404(self, call, young_person):
        outsider = CounselorFactory()
        result = call(outsider.user, "post", ACTIONS, new(young_person_id=young_person.id))
        refused(result, 404, "not_found")
        assert not Action.objects.exists()

    @pytest.mark.parametrize(
        ("fields", "status", "code", "field"),
        [
            ({"title": ""}, 400, "title_required", "title"),
            ({"title": "   "}, 400, "title_required", "title"),
            ({"title": "x" * 256}, 400, "title_too_long", "title"),
            ({"category": "SPORT"}, 400, "invalid_category", "category"),
            ({"status": "fini"}, 400, "invalid_status", "status"),
            ({"due_date": date(2028, 3, 26)}, 400, "due_date_out_of_range", "due_date"),
            ({"due_date": date(2024, 3, 24)}, 400, "due_date_out_of_range", "due_date"),
            ({"due_date": "demain"}, 422, "validation_error", "due_date"),
            ({"title": None}, 422, "validation_error", "title"),
            ({"client_id": "pas-un-uuid"}, 422, "validation_error", "client_id"),
        ],
    )
    def test_bad_input_creates_nothing(self, call, yp, fields, status, code, field):
        refused(call(yp, "post", ACTIONS, new(**fields)), status, code, field)
        assert not Action.objects.exists()

    def test_a_title_of_255_characters_is_fine(self, call, yp):
        assert call(yp, "post", ACTIONS, new(title="x" * 255))[0] == 201

    def test_due_date_two_years_ahead_is_fine(self, call, yp):
        assert call(yp, "post", ACTIONS, new(due_date=TODAY + timedelta(days=730)))[0] == 201

    def test_missing_fields(self, call, yp):
        body = refused(call(yp, "post", ACTIONS, {}), 422, "validation_error")
        assert set(body["fields"]) == {"title", "category", "due_date"}

    def test_client_id_makes_a_retry_harmless(self, call, yp):
        client_id = str(uuid.uuid4())
        first_status, first = call(yp, "post", ACTIONS, new(client_id=client_id))
        again_status, again = call(
            yp, "post", ACTIONS, new(client_id=client_id, title="Un autre titre")
        )
        assert (first_status, again_status) == (201, 200)
        assert again == first
        assert Action.objects.count() == 1
        assert call(yp, "post", ACTIONS, new(client_id=str(uuid.uuid4())))[0] == 201
        assert call(yp, "post", ACTIONS, new())[0] == 201
        assert Action.objects.count() == 3

    def test_client_id_is_unique_per_user(self, call, yp, adviser, young_person):
        client_id = str(uuid.uuid4())
        assert call(yp, "post", ACTIONS, new(client_id=client_id))[0] == 201
        fields = new(client_id=client_id, young_person_id=young_person.id)
        assert call(adviser, "post", ACTIONS, fields)[0] == 201
        assert Action.objects.count() == 2


class TestBatch:
    def batch(self, **fields):
        return {
            "title": "Faire du sport",
            "category": "CULTURE_SPORT_LOISIRS",
            "status": "done",
            "dates": [TODAY, MONDAY, TODAY, SUNDAY],
            **fields,
        }

    def test_one_action_per_date(self, call, yp):
        status, body = call(yp, "post", BATCH, self.batch())
        assert status == 201
        assert [item["due_date"] for item in body["items"]] == [
            "2026-03-23",
            "2026-03-25",
            "2026-03-29",
        ]
        assert {item["title"] for item in body["items"]} == {"Faire du sport"}
        assert Action.objects.count() == 3

    def test_retry_with_the_same_client_id(self, call, yp):
        fields = self.batch(client_id=str(uuid.uuid4()))
        first = call(yp, "post", BATCH, fields)
        again = call(yp, "post", BATCH, fields)
        assert (first[0], again[0]) == (201, 200)
        assert again[1] == first[1]
        assert Action.objects.count() == 3

    def test_counselor_batch(self, call, adviser, young_person):
        fields = self.batch(young_person_id=young_person.id, status="not_started")
        status, body = call(adviser, "post", BATCH, fields)
        assert (status, len(body["items"])) == (201, 3)

    @pytest.mark.parametrize(
        ("fields", "code", "field"),
        [
            ({"dates": []}, "due_date_required", "due_date"),
            ({"dates": [TODAY + timedelta(days=d) for d in range(15)]}, "too_many_dates", None),
            ({"title": ""}, "title_required", "title"),
            ({"dates": [TODAY, date(2029, 1, 1)]}, "due_date_out_of_range", "due_date"),
        ],
    )
    def test_bad_batch_creates_nothing(self, call, yp, fields, code, field):
        refused(call(yp, "post", BATCH, self.batch(**fields)), 400, code, field)
        assert not Action.objects.exists()


# --- one action -----------------------------------------------------------------------------------


class TestDetail:
    def test_owner_and_counselors(self, call, yp, adviser, young_person, structure):
        action = ActionFactory(young_person=young_person)
        supervisor = CounselorFactory(structure=structure, supervisor=True).user
        for user in (yp, adviser, supervisor):
            status, body = call(user, "get", ACTION, action_id=action.id)
            assert (status, body["id"]) == (200, str(action.id))

    def test_someone_elses_action_is_a_404_like_a_missing_one(
        self, call, young_person, other_young_person, structure
    ):
        action = ActionFactory(young_person=young_person)
        outsiders = [
            other_young_person.user,
            CounselorFactory(structure=structure).user,  # a colleague
            CounselorFactory(supervisor=True).user,  # another structure
        ]
        missing = call(young_person.user, "get", ACTION, action_id=uuid.uuid4())
        refused(missing, 404, "not_found")
        for user in outsiders:
            assert call(user, "get", ACTION, action_id=action.id) == missing

    def test_not_a_uuid(self, yp):
        client = Client()
        client.force_login(yp)
        response = client.get("/api/v1/actions/abc")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_qualified_action(self, call, yp, young_person):
        action = ActionFactory(
            young_person=young_person,
            done=True,
            qualification_code="NON_SNP",
            qualified_hours=Decimal(0),
            qualification_comment="Hors SNP",
            qualified_at=NOW,
        )
        _, body = call(yp, "get", ACTION, action_id=action.id)
        assert body["qualification"] == {
            "code": "NON_SNP",
            "code_label": "Action non SNP",
            "hours": 0.0,
            "comment": "Hors SNP",
            "qualified_at": "2026-03-25T11:00:00+01:00",
        }
        assert body["can_edit"] is False


class TestUpdate:
    def test_edits_the_fields_sent_and_records_them(self, call, yp, young_person):
        action = ActionFactory(young_person=young_person, description="garde")
        changes = {"title": "CV à jour", "due_date": "2026-03-27", "reminder": False}
        status, body = call(yp, "patch", ACTION, changes, action_id=action.id)
        assert status == 200
        assert (body["title"], body["due_date"], body["reminder"]) == (
            "CV à jour",
            "2026-03-27",
            False,
        )
        assert body["description"] == "garde"
        entry = action.history.get()
        assert entry.event == "updated"
        assert set(entry.changes) == {"title", "due_date", "reminder"}

    def test_counselor_edits_a_young_persons_action(self, call, adviser, young_person):
        action = ActionFactory(young_person=young_person)
        patch = {"category": "FORMATION"}
        status, body = call(adviser, "patch", ACTION, patch, action_id=action.id)
        assert (status, body["category_label"]) == (200, "Formation")

    def test_young_person_cannot_edit_a_counselors_action(self, call, yp, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True)
        result = call(yp, "patch", ACTION, {"title": "Autre"}, action_id=action.id)
        refused(result, 403, "not_allowed")
        action.refresh_from_db()
        assert action.title != "Autre"

    def test_qualified_action_is_locked(self, call, adviser, young_person):
        action = ActionFactory(young_person=young_person, done=True, qualified_at=NOW)
        result = call(adviser, "patch", ACTION, {"title": "Autre"}, action_id=action.id)
        refused(result, 409, "action_qualified")

    @pytest.mark.parametrize(
        ("changes", "status", "code"),
        [
            ({"title": ""}, 400, "title_required"),
            ({"title": "x" * 256}, 400, "title_too_long"),
            ({"category": "SPORT"}, 400, "invalid_category"),
            ({"due_date": "2030-01-01"}, 400, "due_date_out_of_range"),
            ({"title": None}, 422, "validation_error"),
            ({"reminder": None}, 422, "validation_error"),
        ],
    )
    def test_bad_input_changes_nothing(self, call, yp, young_person, changes, status, code):
        action = ActionFactory(young_person=young_person, title="Avant")
        refused(call(yp, "patch", ACTION, changes, action_id=action.id), status, code)
        action.refresh_from_db()
        assert (action.title, action.category) == ("Avant", "EMPLOI")
        assert not action.history.exists()

    def test_someone_elses_action(self, call, yp, other_young_person):
        action = ActionFactory(young_person=other_young_person)
        refused(call(yp, "patch", ACTION, {"title": "A"}, action_id=action.id), 404, "not_found")


class TestDelete:
    def test_deletes(self, call, yp, young_person):
        action = ActionFactory(young_person=young_person)
        assert call(yp, "delete", ACTION, action_id=action.id) == (204, None)
        assert not Action.objects.exists()
        refused(call(yp, "get", ACTION, action_id=action.id), 404, "not_found")

    def test_refusals(self, call, yp, adviser, young_person, other_young_person):
        by_counselor = ActionFactory(young_person=young_person, by_counselor=True)
        qualified = ActionFactory(young_person=young_person, done=True, qualified_at=NOW)
        elsewhere = ActionFactory(young_person=other_young_person)
        refused(call(yp, "delete", ACTION, action_id=by_counselor.id), 403, "not_allowed")
        refused(call(adviser, "delete", ACTION, action_id=qualified.id), 409, "action_qualified")
        refused(call(yp, "delete", ACTION, action_id=elsewhere.id), 404, "not_found")
        assert Action.objects.count() == 3
        assert call(adviser, "delete", ACTION, action_id=by_counselor.id)[0] == 204


class TestStatus:
    def test_change(self, call, yp, young_person):
        action = ActionFactory(young_person=young_person, due_date=TODAY - timedelta(days=2))
        status, body = call(yp, "post", STATUS, {"status": "done"}, action_id=action.id)
        assert status == 200
        assert (body["status"], body["status_label"], body["late"]) == ("done", "Terminée", False)
        assert (body["start_date"], body["end_date"]) == ("2026-03-23", "2026-03-25")
        assert action.history.get().changes == {"status": ["À faire", "Terminée"]}

    def test_young_person_changes_the_status_of_a_counselors_action(self, call, yp, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True)
        status, body = call(yp, "post", STATUS, {"status": "in_progress"}, action_id=action.id)
        assert (status, body["status"]) == (200, "in_progress")

    def test_qualified_action(self, call, yp, young_person):
        action = ActionFactory(young_person=young_person, done=True, qualified_at=NOW)
        result = call(yp, "post", STATUS, {"status": "in_progress"}, action_id=action.id)
        refused(result, 409, "action_qualified")
        action.refresh_from_db()
        assert action.status == "done"

    def test_bad_status(self, call, yp, young_person):
        action = ActionFactory(young_person=young_person)
        result = call(yp, "post", STATUS, {"status": "fini"}, action_id=action.id)
        refused(result, 400, "invalid_status", "status")
        refused(call(yp, "post", STATUS, {}, action_id=action.id), 422, "validation_error")

    def test_someone_elses_action(self, call, yp, other_young_person):
        action = ActionFactory(young_person=other_young_person)
        result = call(yp, "post", STATUS, {"status": "done"}, action_id=action.id)
        refused(result, 404, "not_found")
        action.refresh_from_db()
        assert action.status == "not_started"


class TestDuplicate:
    def test_duplicates_for_today(self, call, yp, young_person):
        action = ActionFactory(
            young_person=young_person, done=True, due_date=TODAY - timedelta(days=7)
        )
        status, body = call(yp, "post", DUPLICATE, action_id=action.id)
        assert status == 201
        assert body["id"] != str(action.id)
        assert (body["title"], body["due_date"], body["status"]) == (
            action.title,
            "2026-03-25",
            "not_started",
        )
        assert Action.objects.count() == 2

    def test_young_person_cannot_duplicate_a_counselors_action(self, call, yp, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True)
        refused(call(yp, "post", DUPLICATE, action_id=action.id), 403, "not_allowed")
        assert Action.objects.count() == 1


# --- comments and history -----------------------------------------------------------------------


class TestComments:
    def test_thread(self, call, yp, adviser, young_person, counselor):
        action = ActionFactory(young_person=young_person)
        status, first = call(yp, "post", COMMENTS, {"body": " C'est fait "}, action_id=action.id)
        assert status == 201
        assert first["body"] == "C'est fait"
        assert first["author"] == {
            "id": str(yp.id),
            "first_name": yp.first_name,
            "last_name": yp.last_name,
            "role": "young_person",
            "role_label": "Bénéficiaire",
        }
        assert first["created_at"] == "2026-03-25T11:00:00+01:00"
        with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
            call(adviser, "post", COMMENTS, {"body": "Bravo !"}, action_id=action.id)
        status, page = call(yp, "get", COMMENTS, action_id=action.id)
        assert (status, page["count"], page["next"]) == (200, 2, None)
        assert [c["body"] for c in page["items"]] == ["C'est fait", "Bravo !"]
        assert page["items"][1]["author"]["role"] == "counselor"

    def test_paging_and_a_deleted_author(self, call, yp, young_person):
        action = ActionFactory(young_person=young_person)
        for n in range(3):
            ActionComment.objects.create(action=action, author=None, body=f"n°{n}")
        _, page = call(yp, "get", COMMENTS, query={"limit": 2}, action_id=action.id)
        assert (page["count"], len(page["items"])) == (3, 2)
        assert page["items"][0]["author"] is None
        assert "offset=2" in page["next"]

    @pytest.mark.parametrize(
        ("body", "code"), [("", "comment_required"), ("x" * 2001, "comment_too_long")]
    )
    def test_bad_comment(self, call, yp, young_person, body, code):
        action = ActionFactory(young_person=young_person)
        refused(call(yp, "post", COMMENTS, {"body": body}, action_id=action.id), 400, code, "body")
        assert not ActionComment.objects.exists()

    def test_someone_elses_action(self, call, yp, other_young_person):
        action = ActionFactory(young_person=other_young_person)
        refused(call(yp, "get", COMMENTS, action_id=action.id), 404, "not_found")
        result = call(yp, "post", COMMENTS, {"body": "Coucou"}, action_id=action.id)
        refused(result, 404, "not_found")
        assert not ActionComment.objects.exists()


class TestHistory:
    def test_who_changed_what(self, call, yp, adviser, young_person):
        _, action = call(yp, "post", ACTIONS, new(title="CV"))
        call(yp, "patch", ACTION, {"category": "FORMATION"}, action_id=action["id"])
        call(yp, "post", STATUS, {"status": "done"}, action_id=action["id"])
        call(adviser, "post", QUALIFY, {}, action_id=action["id"])
        status, page = call(yp, "get", HISTORY, action_id=action["id"])
        assert (status, page["count"]) == (200, 4)
        events = [(e["event"], e["event_label"], e["actor"]["role"]) for e in page["items"]]
        assert events == [
            ("created", "Création", "young_person"),
            ("updated", "Modification", "young_person"),
            ("status", "Changement de statut", "young_person"),
            ("qualified", "Qualification", "counselor"),
        ]
        assert page["items"][1]["changes"] == [
            {"field": "category", "field_label": "Catégorie", "old": "Emploi", "new": "Formation"}
        ]
        assert {c["field"] for c in page["items"][3]["changes"]} == {
            "qualification_code",
            "qualified_hours",
        }

    def test_someone_elses_action(self, call, yp, other_young_person):
        action = ActionFactory(young_person=other_young_person)
        refused(call(yp, "get", HISTORY, action_id=action.id), 404, "not_found")


# --- qualification ------------------------------------------------------------------------------


class TestQualify:
    def test_with_the_defaults(self, call, adviser, young_person):
        action = ActionFactory(
            young_person=young_person, done=True, title="CV", description="version courte"
        )
        status, body = call(adviser, "post", QUALIFY, {}, action_id=action.id)
        assert status == 200
        assert body["qualification"] == {
            "code": "EMPLOI",
            "code_label": "Emploi",
            "hours": 3.0,
            "comment": "CV - version courte",
            "qualified_at": "2026-03-25T11:00:00+01:00",
        }
        assert body["can_edit"] is False

    def test_with_values(self, call, adviser, young_person):
        action = ActionFactory(young_person=young_person, done=True)
        data = {
            "code": "SANTE",
            "hours": 2.5,
            "start_date": "2026-03-20",
            "end_date": "2026-03-24",
            "comment": "Bilan",
        }
        _, body = call(adviser, "post", QUALIFY, data, action_id=action.id)
        assert body["qualification"]["hours"] == 2.5
        assert (body["start_date"], body["end_date"]) == ("2026-03-20", "2026-03-24")
        action.refresh_from_db()
        assert (action.qualification_code, action.qualified_hours) == ("SANTE", Decimal("2.5"))

    def test_non_snp_counts_no_hours(self, call, adviser, young_person):
        action = ActionFactory(young_person=young_person, done=True)
        data = {"code": "NON_SNP", "hours": 5}
        _, body = call(adviser, "post", QUALIFY, data, action_id=action.id)
        assert body["qualification"]["hours"] == 0.0

    def test_supervisor_qualifies_in_their_structure(self, call, young_person, structure):
        supervisor = CounselorFactory(structure=structure, supervisor=True).user
        action = ActionFactory(young_person=young_person, done=True)
        assert call(supervisor, "post", QUALIFY, {}, action_id=action.id)[0] == 200

    def test_not_done(self, call, adviser, young_person):
        action = ActionFactory(young_person=young_person, in_progress=True)
        refused(call(adviser, "post", QUALIFY, {}, action_id=action.id), 409, "action_not_done")
        action.refresh_from_db()
        assert action.qualified_at is None

    def test_already_qualified(self, call, adviser, young_person):
        action = ActionFactory(young_person=young_person, done=True)
        call(adviser, "post", QUALIFY, {}, action_id=action.id)
        refused(call(adviser, "post", QUALIFY, {}, action_id=action.id), 409, "action_qualified")

    def test_young_person_is_refused(self, call, yp, young_person):
        action = ActionFactory(young_person=young_person, done=True)
        refused(call(yp, "post", QUALIFY, {}, action_id=action.id), 403, "forbidden")
        action.refresh_from_db()
        assert action.qualified_at is None

    @pytest.mark.parametrize(
        ("data", "code", "field"),
        [
            ({"code": "SPORT"}, "invalid_code", "code"),
            ({"hours": 2.55}, "invalid_hours", "hours"),
            ({"hours": 100}, "invalid_hours", "hours"),
            ({"hours": -1}, "invalid_hours", "hours"),
            ({"start_date": "2026-03-24", "end_date": "2026-03-20"}, "invalid_dates", "end_date"),
            ({"comment": "x" * 256}, "comment_too_long", "comment"),
        ],
    )
    def test_bad_input(self, call, adviser, young_person, data, code, field):
        action = ActionFactory(young_person=young_person, done=True)
        refused(call(adviser, "post", QUALIFY, data, action_id=action.id), 400, code, field)
        action.refresh_from_db()
        assert action.qualified_at is None

    def test_not_a_number(self, call, adviser, young_person):
        action = ActionFactory(young_person=young_person, done=True)
        result = call(adviser, "post", QUALIFY, {"hours": "beaucoup"}, action_id=action.id)
        refused(result, 422, "validation_error", "hours")

    def test_colleague_gets_404(self, call, young_person, structure):
        colleague = CounselorFactory(structure=structure).user
        action = ActionFactory(young_person=young_person, done=True)
        refused(call(colleague, "post", QUALIFY, {}, action_id=action.id), 404, "not_found")


class TestBulkQualify:
    def test_all(self, call, adviser, young_person, other_young_person):
        first = ActionFactory(young_person=young_person, done=True, category="SANTE")
        second = ActionFactory(young_person=other_young_person, done=True)
        ids = [str(second.id), str(first.id)]
        status, body = call(adviser, "post", BULK_QUALIFY, {"action_ids": ids})
        assert status == 200
        assert [item["id"] for item in body["items"]] == ids
        assert [item["qualification"]["code"] for item in body["items"]] == ["EMPLOI", "SANTE"]
        assert Action.objects.filter(qualified_at__isnull=False).count() == 2

    def test_one_code_for_all(self, call, adviser, young_person):
        actions = ActionFactory.create_batch(2, young_person=young_person, done=True)
        data = {"action_ids": [str(a.id) for a in actions], "code": "NON_SNP"}
        _, body = call(adviser, "post", BULK_QUALIFY, data)
        assert {item["qualification"]["hours"] for item in body["items"]} == {0.0}

    def test_one_not_done_qualifies_none(self, call, adviser, young_person):
        done = ActionFactory(young_person=young_person, done=True)
        pending = ActionFactory(young_person=young_person, in_progress=True)
        data = {"action_ids": [str(done.id), str(pending.id)]}
        body = refused(call(adviser, "post", BULK_QUALIFY, data), 409, "action_not_done")
        assert pending.title in body["message"]
        assert not Action.objects.filter(qualified_at__isnull=False).exists()

    def test_one_invisible_qualifies_none(self, call, adviser, young_person):
        done = ActionFactory(young_person=young_person, done=True)
        elsewhere = ActionFactory(young_person=YoungPersonFactory(), done=True)
        data = {"action_ids": [str(done.id), str(elsewhere.id)]}
        refused(call(adviser, "post", BULK_QUALIFY, data), 404, "not_found")
        assert not Action.objects.filter(qualified_at__isnull=False).exists()

    def test_bad_requests(self, call, adviser, yp, young_person):
        done = ActionFactory(young_person=young_person, done=True)
        refused(call(adviser, "post", BULK_QUALIFY, {"action_ids": []}), 422, "validation_error")
        many = {"action_ids": [str(uuid.uuid4()) for _ in range(101)]}
        refused(call(adviser, "post", BULK_QUALIFY, many), 422, "validation_error")
        data = {"action_ids": [str(done.id)]}
        refused(call(yp, "post", BULK_QUALIFY, data), 403, "forbidden")
        bad_code = {"action_ids": [str(done.id)], "code": "SPORT"}
        refused(call(adviser, "post", BULK_QUALIFY, bad_code), 400, "invalid_code")
        assert not Action.objects.filter(qualified_at__isnull=False).exists()

    def test_the_same_id_twice(self, call, adviser, young_person):
        done = ActionFactory(young_person=young_person, done=True)
        data = {"action_ids": [str(done.id), str(done.id)]}
        status, body = call(adviser, "post", BULK_QUALIFY, data)
        assert (status, len(body["items"])) == (200, 1)


# --- hour counter -------------------------------------------------------------------------------


class TestHourCounter:
    @pytest.fixture
    def week_of_actions(self, young_person):
        make = lambda **f: ActionFactory(young_person=young_person, **f)  # noqa: E731
        make(done=True, due_date=MONDAY)  # EMPLOI: 3 h declared
        make(in_progress=True, due_date=SUNDAY, category="SANTE")  # 2 h declared
        make(  # qualified: 2.5 h declared and validated
            done=True,
            due_date=TODAY,
            category="LOGEMENT",
            qualification_code="LOGEMENT",
            qualified_hours=Decimal("2.5"),
            qualified_at=NOW,
        )
        make(due_date=TODAY)  # not started: nothing
        make(done=True, due_date=SUNDAY + timedelta(days=1))  # next week: 3 h then

    def test_young_person_gets_their_own(self, call, yp, young_person, week_of_actions):
        status, body = call(yp, "get", COUNTER)
        assert status == 200
        assert body == {
            "young_person_id": str(young_person.id),
            "week_start": "2026-03-23",
            "week_end": "2026-03-29",
            "declared_hours": 7.5,
            "validated_hours": 2.5,
            "target_hours": 15.0,
            "encouragement": "Beau début de semaine, continuez sur cette lancée.",
            "enabled": False,
        }

    def test_any_day_of_a_week(self, call, yp, young_person, week_of_actions):
        young_person.hour_counter_enabled = True
        young_person.save()
        _, body = call(yp, "get", COUNTER, query={"week": "2026-04-05"})
        assert (body["week_start"], body["week_end"]) == ("2026-03-30", "2026-04-05")
        assert (body["declared_hours"], body["validated_hours"], body["enabled"]) == (3, 0, True)
        _, body = call(yp, "get", COUNTER, query={"week": "2026-03-29"})
        assert body["declared_hours"] == 7.5

    def test_counselor_names_the_young_person(self, call, adviser, young_person, week_of_actions):
        refused(call(adviser, "get", COUNTER), 400, "young_person_required", "young_person_id")
        _, body = call(adviser, "get", COUNTER, query={"young_person_id": young_person.id})
        assert body["declared_hours"] == 7.5

    def test_invisible_young_person(self, call, yp, young_person, other_young_person):
        refused(
            call(yp, "get", COUNTER, query={"young_person_id": other_young_person.id}),
            404,
            "not_found",
        )
        outsider = CounselorFactory(supervisor=True).user
        query = {"young_person_id": young_person.id}
        refused(call(outsider, "get", COUNTER, query=query), 404, "not_found")

    def test_bad_week(self, call, yp):
        result = call(yp, "get", COUNTER, query={"week": "semaine 12"})
        refused(result, 422, "validation_error", "week")

    def test_staff_is_refused(self, call, db):
        refused(call(UserFactory(is_staff=True), "get", COUNTER), 403, "forbidden")


# --- reference ----------------------------------------------------------------------------------


def test_categories_and_catalogues(call, yp, adviser):
    status, body = call(yp, "get", CATEGORIES)
    assert status == 200
    categories = {c["code"]: c for c in body["categories"]}
    assert list(categories) == [
        "EMPLOI",
        "FORMATION",
        "PROJET_PROFESSIONNEL",
        "CULTURE_SPORT_LOISIRS",
        "CITOYENNETE",
        "LOGEMENT",
        "SANTE",
    ]
    assert (categories["EMPLOI"]["label"], categories["EMPLOI"]["default_hours"]) == ("Emploi", 3)
    assert categories["SANTE"]["default_hours"] == 2
    sport = categories["CULTURE_SPORT_LOISIRS"]["suggestions"][0]
    assert sport == {"title": "Faire du sport", "description": "", "batch": True}
    assert {"value": "done", "label": "Terminée"} in body["statuses"]
    assert body["qualification_codes"][-1] == {
        "code": "NON_SNP",
        "label": "Action non SNP",
        "default_hours": 0,
    }
    assert len(body["predefined_actions"]) == len(PREDEFINED)
    assert {
        "title": "Mettre à jour son CV",
        "category": "EMPLOI",
        "category_label": "Emploi",
    } in body["predefined_actions"]
    assert call(adviser, "get", CATEGORIES)[1] == body


# --- a counselor's action for several young people; the counter switch ---------------------------

FOR_MANY = "/api/v1/actions/for-young-people"
COUNTER_SETTING = "/api/v1/young-people/{young_person_id}/hour-counter"


class TestForManyYoungPeople:
    def test_creates_one_action_each_and_a_retry_returns_them(
        self, call, adviser, young_person, other_young_person
    ):
        client_id = str(uuid.uuid4())
        fields = new(young_person_ids=[young_person.id, other_young_person.id], client_id=client_id)
        status, body = call(adviser, "post", FOR_MANY, fields)
        assert status == 201
        assert sorted(item["young_person_id"] for item in body["items"]) == sorted(
            [str(young_person.id), str(other_young_person.id)]
        )
        again_status, again = call(adviser, "post", FOR_MANY, fields)
        assert again_status == 200
        assert [i["id"] for i in again["items"]] == [i["id"] for i in body["items"]]
        assert Action.objects.count() == 2

    def test_a_young_person_outside_the_portfolio_is_a_404_and_creates_nothing(
        self, call, adviser, young_person
    ):
        stranger = YoungPersonFactory()
        fields = new(young_person_ids=[young_person.id, stranger.id])
        refused(call(adviser, "post", FOR_MANY, fields), 404, "not_found")
        assert not Action.objects.exists()

    def test_bad_input_creates_nothing(self, call, adviser, young_person, other_young_person):
        fields = new(young_person_ids=[young_person.id, other_young_person.id], title=" ")
        refused(call(adviser, "post", FOR_MANY, fields), 400, "title_required", "title")
        refused(
            call(adviser, "post", FOR_MANY, new(young_person_ids=[])),
            400,
            "young_people_required",
            "young_people",
        )
        assert not Action.objects.exists()

    def test_young_people_cannot_use_it(self, call, yp, young_person):
        refused(
            call(yp, "post", FOR_MANY, new(young_person_ids=[young_person.id])), 403, "forbidden"
        )


class TestHourCounterSetting:
    def test_counselor_switches_it_on_and_off(self, call, adviser, young_person):
        status, body = call(
            adviser, "put", COUNTER_SETTING, {"enabled": True}, young_person_id=young_person.id
        )
        assert (status, body["enabled"]) == (200, True)
        young_person.refresh_from_db()
        assert young_person.hour_counter_enabled
        call(adviser, "put", COUNTER_SETTING, {"enabled": False}, young_person_id=young_person.id)
        young_person.refresh_from_db()
        assert not young_person.hour_counter_enabled

    def test_others_get_404_or_403(self, call, yp, young_person):
        outsider = CounselorFactory().user
        refused(
            call(
                outsider, "put", COUNTER_SETTING, {"enabled": True}, young_person_id=young_person.id
            ),
            404,
            "not_found",
        )
        refused(
            call(yp, "put", COUNTER_SETTING, {"enabled": True}, young_person_id=young_person.id),
            403,
            "forbidden",
        )
        young_person.refresh_from_db()
        assert not young_person.hour_counter_enabled
