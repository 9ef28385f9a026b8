"""Help: FAQ, and the contact form that reaches support by email."""

import pytest
from django.core import mail

from passemploi.youth.models import SupportRequest
from passemploi.youth.services import SUPPORT_LIMIT
from tests.helpers import text

pytestmark = pytest.mark.django_db


def test_faq_links_the_contact_form(young_client):
    response = young_client.get("/app/aide/")
    assert response.status_code == 200
    assert "Questions fréquentes" in text(response)
    assert 'href="/app/aide/contact/"' in text(response)


def test_contact_emails_support(
    young_person, young_client, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_EMAIL = "aide@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = young_client.post(
            "/app/aide/contact/",
            {"subject": "Connexion", "body": "Je n'arrive pas à ouvrir mes rendez-vous."},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aide@example.org"]
    assert "Connexion" in message.subject
    assert "Je n'arrive pas à ouvrir mes rendez-vous." in message.body
    assert young_person.user.email in message.body
    request = SupportRequest.objects.get()
    assert request.user == young_person.user and request.email == young_person.user.email
    assert "bien été envoyé" in text(young_client.get(response["Location"]))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"subject": "", "body": "Un message assez long."}, "Indiquez le sujet de votre demande."),
        ({"subject": "Aide", "body": ""}, "Écrivez votre message."),
        ({"subject": "Aide", "body": "court"}, "10 caractères au moins"),
        ({"subject": "x" * 121, "body": "Un message assez long."}, "120 caractères"),
    ],
)
def test_bad_input_is_refused_in_french_and_kept(young_client, data, error):
    response = young_client.post("/app/aide/contact/", data)
    assert response.status_code == 400
    page = text(response)
    assert error in page
    if data["body"]:
        assert data["body"] in page  # nothing typed is lost
    assert not mail.outbox
    assert not SupportRequest.objects.exists()


def test_rate_limited(young_client, django_capture_on_commit_callbacks):
    data = {"subject": "Aide", "body": "Un message assez long."}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(SUPPORT_LIMIT):
            assert young_client.post("/app/aide/contact/", data).status_code == 302
        response = young_client.post("/app/aide/contact/", data)
    assert response.status_code == 429
    assert "plusieurs messages dans l'heure" in text(response)
    assert len(mail.outbox) == SUPPORT_LIMIT
    assert SupportRequest.objects.count() == SUPPORT_LIMIT
