"""Download my data: ZIP contents, one job per request, owner-only download, expiry."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from passemploi.audit.models import AuditEvent, AuditKind
from passemploi.chat import services as chat_services
from passemploi.notifications.models import Notification
from passemploi.offers.models import Favourite
from passemploi.offers.models_alerts import Alert
from passemploi.youth import export as exports
from passemploi.youth.models import DataExport, ExportState
from tests.factories import (
    ActionFactory,
    AppointmentFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.helpers import text
from tests.offers.factories import OfferFactory

pytestmark = pytest.mark.django_db

CATEGORIES = {
    "profil",
    "démarches",
    "rendez_vous",
    "messages",
    "offres_suivies",
    "alertes",
    "notifications",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def give_data(young_person, mark: str) -> None:
    ActionFactory(young_person=young_person, title=f"Action {mark}")
    ParticipationFactory(
        appointment=AppointmentFactory(counselor=young_person.counselor, title=f"RDV {mark}"),
        young_person=young_person,
    )
    conversation = chat_services.conversation_of(young_person)
    chat_services.send_message(young_person.user, conversation, f"Message {mark}")
    Favourite.objects.create(young_person=young_person, offer=OfferFactory(title=f"Offre {mark}"))
    Alert.objects.create(young_person=young_person, name=f"Alerte {mark}", summary="Vente")
    Notification.objects.create(
        recipient=young_person.user,
        kind="news",
        topic="news",
        title=f"Notif {mark}",
        body="Texte",
        key=f"test:{mark}",
    )


def request_export(client, capture):
    with capture(execute=True):
        response = client.post("/app/profil/mes-donnees/")
    assert response.status_code == 302
    return response


def read_zip(response) -> dict:
    content = response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == [exports.FILENAME]
        return json.loads(archive.read(exports.FILENAME).decode())


def test_zip_holds_every_category_and_nobody_else(
    young_person, young_client, django_capture_on_commit_callbacks
):
    give_data(young_person, "mien")
    give_data(YoungPersonFactory(counselor=young_person.counselor), "autre")
    request_export(young_client, django_capture_on_commit_callbacks)

    export = DataExport.objects.get()
    assert export.state == ExportState.READY and export.size > 0
    assert export.expires_at - timezone.now() > timedelta(days=6, hours=23)
    page = text(young_client.get("/app/profil/mes-donnees/"))
    assert "Votre archive est prête" in page
    response = young_client.get(f"/app/profil/mes-donnees/{export.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    data = read_zip(response)
    assert CATEGORIES <= set(data)
    assert data["profil"]["adresse_e_mail"] == young_person.user.email
    assert [row["titre"] for row in data["démarches"]] == ["Action mien"]
    assert [row["titre"] for row in data["rendez_vous"]] == ["RDV mien"]
    assert [row["texte"] for row in data["messages"]] == ["Message mien"]  # decrypted
    assert [row["offre"] for row in data["offres_suivies"]] == ["Offre mien"]
    assert [row["titre"] for row in data["notifications"]] == ["Notif mien"]
    assert [row["nom"] for row in data["alertes"]] == ["Alerte mien"]
    assert "autre" not in json.dumps(data, ensure_ascii=False)
    event = AuditEvent.objects.get(kind=AuditKind.DATA_EXPORT)
    assert event.actor_id == young_person.user.pk


def test_asking_twice_makes_one_job(young_person, young_client, django_capture_on_commit_callbacks):
    request_export(young_client, django_capture_on_commit_callbacks)
    response = request_export(young_client, django_capture_on_commit_callbacks)
    assert DataExport.objects.count() == 1
    assert AuditEvent.objects.filter(kind=AuditKind.DATA_EXPORT).count() == 1
    assert "déjà en préparation ou disponible" in text(young_client.get(response["Location"]))


def test_only_its_owner_downloads(
    young_person, young_client, client, django_capture_on_commit_callbacks
):
    request_export(young_client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    url = f"/app/profil/mes-donnees/{export.pk}/"
    other = YoungPersonFactory(counselor=young_person.counselor)
    client.force_login(other.user)
    assert client.get(url).status_code == 404
    client.force_login(young_person.counselor.user)
    assert client.get(url).status_code == 403  # the counselor's role never reaches it


def test_expired_export_is_gone_and_purged(
    young_person, young_client, django_capture_on_commit_callbacks
):
    request_export(young_client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    assert default_storage.exists(export.storage_key)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert young_client.get(f"/app/profil/mes-donnees/{export.pk}/").status_code == 404
    assert "Préparer mon archive" in text(young_client.get("/app/profil/mes-donnees/"))
    kept = DataExport.objects.create(young_person=YoungPersonFactory(), expires_at=exports.expiry())
    assert exports.purge_expired_exports() == 1
    assert not default_storage.exists(export.storage_key)
    assert list(DataExport.objects.all()) == [kept]


def test_pending_export_says_so(young_person, young_client):
    DataExport.objects.create(young_person=young_person, expires_at=exports.expiry())
    assert "Archive en préparation" in text(young_client.get("/app/profil/mes-donnees/"))
