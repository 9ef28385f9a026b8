"""The support admin: creation through the services, list pages, actions, read-only tokens."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.admin.utils import quote
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from passemploi.accounts import tokens
from passemploi.accounts.enums import Scheme
from passemploi.accounts.models import AccountToken, ApiToken, Counselor, User
from passemploi.accounts.services import hash_secret, issue_activation_token
from passemploi.core.errors import ServiceError
from tests.conftest import client_for
from tests.factories import (
    CounselorFactory,
    StructureFactory,
    UserFactory,
    YoungPersonFactory,
)
from tests.helpers import activation_path, redirect_path, text

CHANGELISTS = {
    "user": ["", "?is_staff__exact=1", "?is_active__exact=1", "?activated=no", "?q=martin"],
    "structure": ["", "?kind__exact=MISSION_LOCALE", "?departement=75", "?q=ML-"],
    "counselor": ["", "?is_supervisor__exact=1", "?activated=yes", "?q=martin"],
    "youngperson": [
        "",
        "?scheme__exact=CEJ",
        "?is_archived__exact=0",
        "?activated=no",
        "?q=martin",
    ],
    "accounttoken": ["", "?purpose__exact=activation", "?q=martin"],
    "apitoken": ["", "?kind__exact=refresh", "?revoked=no", "?q=martin"],
}


@pytest.fixture
def support(db):
    return UserFactory(is_staff=True, is_superuser=True, email="support@exemple.fr")


@pytest.fixture
def admin_client(support):
    return client_for(support)


def changelist(model: str) -> str:
    return reverse(f"admin:accounts_{model}_changelist")


def post_action(client, model: str, action: str, objects):
    return client.post(
        changelist(model),
        {"action": action, "_selected_action": [str(obj.pk) for obj in objects]},
        follow=True,
    )


@pytest.fixture
def populated(structure):
    """A few rows of every kind, with rare names so that a search finds exactly them."""
    counselor = CounselorFactory(structure=structure, user__last_name="Zephyrin")
    CounselorFactory(structure=structure, supervisor=True)
    for last_name in ("Martin", "Quillevere", "Petit"):
        YoungPersonFactory(counselor=counselor, user__last_name=last_name)
    pending = YoungPersonFactory(counselor=counselor, user__not_activated=True)
    issue_activation_token(pending.user)
    tokens.issue_token_pair(counselor.user)
    return counselor


# --- creation through the add forms ---------------------------------------------------------


def test_staff_creates_counselor_and_activation_email_goes_out(
    admin_client, structure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_counselor_add"),
            {
                "first_name": " Aline ",
                "last_name": "Roussel",
                "email": "Aline.Roussel@Exemple.fr",
                "structure": str(structure.pk),
                "is_supervisor": "on",
            },
        )

    assert response.status_code == 302
    assert redirect_path(response) == changelist("counselor")
    counselor = Counselor.objects.select_related("user").get(user__email="aline.roussel@exemple.fr")
    assert counselor.structure == structure
    assert counselor.is_supervisor
    assert counselor.user.first_name == "Aline"
    assert not counselor.user.has_usable_password()
    assert not counselor.user.is_activated
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aline.roussel@exemple.fr"]
    assert activation_path().startswith("/activation/")
    entry = LogEntry.objects.get(object_id=str(counselor.pk))
    assert entry.action_flag == ADDITION


def test_counselor_add_form_refuses_a_taken_email(admin_client, structure, counselor):
    response = admin_client.post(
        reverse("admin:accounts_counselor_add"),
        {
            "first_name": "Aline",
            "last_name": "Roussel",
            "email": counselor.user.email.upper(),
            "structure": str(structure.pk),
        },
    )

    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail." in text(response)
    assert Counselor.objects.count() == 1
    assert mail.outbox == []


def test_counselor_add_form_requires_names_and_structure(admin_client, db):
    response = admin_client.post(reverse("admin:accounts_counselor_add"), {"email": "x@exemple.fr"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"first_name", "last_name", "structure"}
    assert not User.objects.filter(email="x@exemple.fr").exists()


def test_staff_creates_user_without_password(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_user_add"),
            {"email": "Agent@Exemple.fr", "first_name": "Paul", "last_name": "Agent"},
        )

    assert response.status_code == 302
    user = User.objects.get(email="agent@exemple.fr")
    assert redirect_path(response) == reverse("admin:accounts_user_change", args=[quote(user.pk)])
    assert not user.has_usable_password()
    assert not user.is_staff
    assert [m.to for m in mail.outbox] == [["agent@exemple.fr"]]


def test_add_pages_render(admin_client, db):
    for model in ("user", "counselor", "structure"):
        assert admin_client.get(reverse(f"admin:accounts_{model}_add")).status_code == 200


# --- list and change pages ------------------------------------------------------------------


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_load_with_filters_and_search(admin_client, populated, model):
    for query in CHANGELISTS[model]:
        response = admin_client.get(changelist(model) + query)
        assert response.status_code == 200, (model, query)
        assert "INVALID_TEMPLATE_VARIABLE" not in text(response)


def test_search_finds_by_name(admin_client, populated):
    response = admin_client.get(changelist("youngperson") + "?q=quillevere")

    assert response.context["cl"].result_count == 1


def test_activation_filter(admin_client, populated):
    response = admin_client.get(changelist("youngperson") + "?activated=no")

    assert [yp.user.is_activated for yp in response.context["cl"].result_list] == [False]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client, populated, model, django_assert_max_num_queries
):
    # Sessions (read, then the idle-timeout refresh), user, the session's OTP device, counts,
    # rows, filters: a fixed budget whatever the number of rows.
    with django_assert_max_num_queries(12):
        admin_client.get(changelist(model))


def test_change_pages_render(admin_client, populated):
    young_person = populated.young_people.first()
    token = ApiToken.objects.first()
    for model, obj in [
        ("user", populated.user),
        ("counselor", populated),
        ("youngperson", young_person),
        ("structure", populated.structure),
        ("apitoken", token),
        ("accounttoken", AccountToken.objects.first()),
    ]:
        response = admin_client.get(reverse(f"admin:accounts_{model}_change", args=[obj.pk]))
        assert response.status_code == 200, model
    assert token.token_hash not in text(response)


def test_young_person_counselor_must_stay_in_the_structure(admin_client, young_person):
    outsider = CounselorFactory(structure=StructureFactory())
    url = reverse("admin:accounts_youngperson_change", args=[young_person.pk])
    data = {
        "counselor": str(outsider.pk),
        "scheme": Scheme.CEJ,
        "partner_id": "",
        "start_date": young_person.start_date.isoformat(),
        "planned_end_date": "",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "counselor" in response.context["adminform"].form.errors
    young_person.refresh_from_db()
    assert young_person.counselor != outsider

    colleague = CounselorFactory(structure=young_person.structure)
    response = admin_client.post(url, {**data, "counselor": str(colleague.pk)})
    assert response.status_code == 302
    young_person.refresh_from_db()
    assert young_person.counselor == colleague


def test_counselor_autocomplete_of_the_young_person_form(admin_client, populated):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "accounts",
            "model_name": "youngperson",
            "field_name": "counselor",
            "term": "zephyrin",
        },
    )

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(populated.pk)]


def test_young_people_are_not_added_from_the_admin(admin_client, db):
    assert admin_client.get(reverse("admin:accounts_youngperson_add")).status_code == 403


# --- actions --------------------------------------------------------------------------------


def test_resend_action_sends_to_pending_accounts_only(
    admin_client, counselor, django_capture_on_commit_callbacks
):
    pending = YoungPersonFactory(counselor=counselor, user__not_activated=True)
    activated = YoungPersonFactory(counselor=counselor)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(
            admin_client, "youngperson", "resend_activation_email", [pending, activated]
        )

    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [[pending.user.email]]
    body = text(response)
    assert "E-mail d'activation renvoyé à 1 compte(s)." in body
    assert "1 compte(s) déjà activé(s) ou désactivé(s)" in body
    assert LogEntry.objects.filter(object_id=str(pending.pk), action_flag=CHANGE).exists()


def test_resend_action_on_counselors_replaces_the_previous_link(
    admin_client, structure, django_capture_on_commit_callbacks
):
    counselor = CounselorFactory(structure=structure, user__not_activated=True)
    first = issue_activation_token(counselor.user)

    with django_capture_on_commit_callbacks(execute=True):
        post_action(admin_client, "counselor", "resend_activation_email", [counselor])

    assert [m.to for m in mail.outbox] == [[counselor.user.email]]
    assert first not in mail.outbox[0].body
    assert admin_client.get(f"/activation/{first}/").status_code == 400
    assert admin_client.get(activation_path()).status_code == 200


def test_revoke_action_kills_the_whole_family(admin_client, counselor):
    pair = tokens.issue_token_pair(counselor.user)
    other = tokens.issue_token_pair(counselor.user)
    access = ApiToken.objects.get(token_hash=hash_secret(pair["access_token"]))

    post_action(admin_client, "apitoken", "revoke", [access])

    assert tokens.user_for_access_token(pair["access_token"]) is None
    with pytest.raises(ServiceError):
        tokens.refresh_tokens(pair["refresh_token"])
    assert tokens.user_for_access_token(other["access_token"]) == counselor.user


# --- tokens are read-only -------------------------------------------------------------------


def test_tokens_cannot_be_added_changed_or_deleted(admin_client, counselor):
    tokens.issue_token_pair(counselor.user)
    token = ApiToken.objects.first()
    for model in ("apitoken", "accounttoken"):
        assert admin_client.get(reverse(f"admin:accounts_{model}_add")).status_code == 403
    url = reverse("admin:accounts_apitoken_change", args=[token.pk])
    response = admin_client.post(url, {"token_hash": "0" * 64, "kind": "refresh"})
    assert response.status_code == 403
    delete = reverse("admin:accounts_apitoken_delete", args=[token.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    token.refresh_from_db()
    assert token.token_hash != "0" * 64


def test_expired_activation_token_shows_its_state(admin_client, counselor):
    issue_activation_token(counselor.user)
    AccountToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = admin_client.get(changelist("accounttoken"))

    assert "Expiré" in text(response)


# --- who may enter --------------------------------------------------------------------------


def test_counselor_cannot_reach_admin(counselor_client):
    for url in ("/admin/", changelist("counselor"), reverse("admin:accounts_counselor_add")):
        response = counselor_client.get(url)
        assert response.status_code == 302, url
        assert redirect_path(response) == reverse("admin:login")


def test_young_person_cannot_reach_admin(young_client):
    response = young_client.get(changelist("youngperson"))

    assert response.status_code == 302
    assert redirect_path(response) == reverse("admin:login")


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert redirect_path(response) in (reverse("admin:login"), reverse("accounts:login"))


def test_staff_without_permissions_sees_no_account(db):
    client = client_for(UserFactory(is_staff=True))

    assert client.get(changelist("counselor")).status_code == 403
