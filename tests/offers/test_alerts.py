"""Alerts (saved searches), their daily job, and the searches a counselor suggests."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from passemploi.core.errors import ServiceError
from passemploi.offers import services
from passemploi.offers.models import Alert, AlertSuggestion
from tests.factories import YoungPersonFactory
from tests.offers.factories import OfferFactory, real_commune


@pytest.fixture
def lyon(db):
    return real_commune("69123")


def _alert(young_person, **values):
    alert, _ = services.create_alert(young_person.user, "Vente à Lyon", values)
    return alert


def test_an_alert_stores_validated_criteria_and_a_summary(young_person, lyon):
    alert = _alert(young_person, q=" Vendeur  boulangerie ", commune="Lyon (69)", kinds=["EMPLOI"])
    assert alert.criteria == {
        "q": "Vendeur boulangerie",
        "commune": "69123",
        "radius_km": 10,
        "kinds": ["EMPLOI"],
    }
    assert alert.summary == "vendeur boulangerie · Lyon (69), 10 km · Emploi"


@pytest.mark.parametrize("values", [{}, {"q": ""}, {"q": "de la"}, {"radius_km": 30}])
def test_an_alert_without_criteria_is_refused(young_person, values):
    with pytest.raises(ServiceError) as error:
        services.create_alert(young_person.user, "Tout", values)
    assert error.value.code == "empty_criteria" and error.value.status == 422
    assert not Alert.objects.exists()


def test_bad_criteria_and_names_are_refused(young_person, lyon):
    for values, name, code in [
        ({"commune": "Atlantide"}, "Nom", "unknown_commune"),
        ({"q": "x" * 201}, "Nom", "query_too_long"),
        ({"q": "vendeur"}, "  ", "name_required"),
        ({"q": "vendeur"}, "n" * 101, "name_too_long"),
    ]:
        with pytest.raises(ServiceError) as error:
            services.create_alert(young_person.user, name, values)
        assert error.value.code == code
    with pytest.raises(ServiceError):
        services.create_alert(young_person.counselor.user, "Nom", {"q": "vendeur"})


def test_create_is_idempotent_per_client_id(young_person):
    client_id = uuid.uuid4()
    first, created = services.create_alert(young_person.user, "A", {"q": "cuisine"}, client_id)
    again, created_again = services.create_alert(
        young_person.user, "A", {"q": "cuisine"}, client_id
    )
    assert created and not created_again and first == again


def test_run_alerts_finds_only_new_offers_once(young_person, lyon, published):
    start = timezone.now() + timedelta(minutes=1)
    alert = _alert(young_person, q="vendeur", commune="69123")
    Alert.objects.filter(pk=alert.pk).update(last_run_at=start - timedelta(days=1))
    OfferFactory(title="Vendeur", published_at=start - timedelta(days=2))  # before the last run
    OfferFactory(title="Vendeur", published_at=start - timedelta(hours=2))
    OfferFactory(title="Vendeur", published_at=start - timedelta(hours=1))
    OfferFactory(title="Cuisinier", published_at=start - timedelta(hours=1))  # another search
    OfferFactory(
        title="Vendeur", published_at=start - timedelta(hours=1), commune=real_commune("75056")
    )
    other = YoungPersonFactory()
    _alert(other, q="plombier")  # nothing new for this one

    assert services.run_alerts(now=start) == "2 alertes, 1 avec de nouvelles offres"
    assert published == [
        (
            [str(young_person.user_id)],
            {
                "type": "alert.new_offers",
                "alert_id": str(alert.pk),
                "count": 2,
                "run_id": f"{alert.pk}:{start.isoformat()}",
            },
        )
    ]
    alert.refresh_from_db()
    assert alert.last_run_at == start

    published.clear()
    services.run_alerts(now=start + timedelta(minutes=1))
    assert published == []  # a second run finds nothing new
    OfferFactory(title="Vendeur confirmé", published_at=start + timedelta(hours=2))
    services.run_alerts(now=start + timedelta(hours=3))
    assert [e["count"] for _, e in published] == [1]


def test_alerts_of_archived_young_people_do_not_run(young_person, published):
    alert = _alert(young_person, q="vendeur")
    Alert.objects.filter(pk=alert.pk).update(last_run_at=timezone.now() - timedelta(days=2))
    OfferFactory(title="Vendeur")
    young_person.is_archived = True
    young_person.save(update_fields=["is_archived"])
    services.run_alerts()
    assert published == []


def test_the_notifications_job_finds_run_alerts():
    from passemploi.notifications import jobs

    assert jobs.optional("passemploi.offers.services.run_alerts") is services.run_alerts
    assert jobs.optional("passemploi.offers.services.remove_expired_offers")


def test_counselor_suggests_young_person_accepts(young_person, lyon, published):
    counselor = young_person.counselor
    suggestion = services.suggest_search(
        counselor.user, young_person.pk, "Vente", {"q": "vendeur", "commune": "69123"}
    )
    assert published[-1] == (
        [str(young_person.user_id)],
        {"type": "alert.suggested", "suggestion_id": str(suggestion.pk)},
    )
    services.answer_suggestion(young_person.user, suggestion, accept=True)
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert suggestion.alert.criteria == {"q": "vendeur", "commune": "69123", "radius_km": 10}
    # Answering again the same way is a no-op; the other way is a conflict.
    services.answer_suggestion(young_person.user, suggestion, accept=True)
    assert Alert.objects.count() == 1
    with pytest.raises(ServiceError) as error:
        services.answer_suggestion(young_person.user, suggestion, accept=False)
    assert error.value.status == 409


def test_suggestions_only_to_ones_own_young_people(young_person, other_structure_counselor):
    with pytest.raises(Exception) as error:
        services.suggest_search(
            other_structure_counselor.user, young_person.pk, "Vente", {"q": "vendeur"}
        )
    assert error.typename == "Http404"
    with pytest.raises(ServiceError):
        services.suggest_search(young_person.user, young_person.pk, "Vente", {"q": "vendeur"})


def test_refusing_creates_no_alert(young_person):
    suggestion = services.suggest_search(
        young_person.counselor.user, young_person.pk, "Vente", {"q": "vendeur"}
    )
    with pytest.raises(Exception) as error:
        services.get_suggestion_for_young_person(YoungPersonFactory().user, suggestion.pk)
    assert error.typename == "Http404"
    services.answer_suggestion(young_person.user, suggestion, accept=False)
    assert AlertSuggestion.objects.get().status == "refused"
    assert not Alert.objects.exists()


# --- pages ---------------------------------------------------------------------------------------


def test_create_rename_delete_from_pages(young_client, young_person, lyon):
    search = reverse("offers_young:search")
    query = "q=vendeur&commune=69123&rayon=20&contrat=CDI"
    html = young_client.get(f"{search}?{query}").content.decode()
    assert "Créer une alerte" in html
    response = young_client.post(
        reverse("offers_young:alert_create"), {"name": "Vente", "recherche": query}
    )
    assert response.status_code == 302
    alert = Alert.objects.get()
    assert alert.criteria == {
        "q": "vendeur",
        "commune": "69123",
        "radius_km": 20,
        "contract_types": ["CDI"],
    }
    html = young_client.get(reverse("offers_young:alerts")).content.decode()
    assert "Vente" in html and "rayon=20" in html
    young_client.post(reverse("offers_young:alert_rename", args=[alert.pk]), {"name": "Ventes"})
    alert.refresh_from_db()
    assert alert.name == "Ventes"
    young_client.post(reverse("offers_young:alert_delete", args=[alert.pk]))
    assert not Alert.objects.exists()


def test_an_empty_search_cannot_become_an_alert(young_client):
    response = young_client.post(
        reverse("offers_young:alert_create"), {"name": "Tout", "recherche": "rayon=10"}, follow=True
    )
    assert "Choisissez au moins un critère" in response.content.decode()
    assert not Alert.objects.exists()


def test_counselor_suggests_from_the_search_page(counselor_client, young_person):
    search = reverse("offers_counselor:search")
    html = counselor_client.get(f"{search}?q=vendeur").content.decode()
    assert "Suggérer cette recherche" in html
    counselor_client.post(
        reverse("offers_counselor:suggest"),
        {"young_person": str(young_person.pk), "name": "Vente", "recherche": "q=vendeur"},
    )
    suggestion = AlertSuggestion.objects.get()
    assert suggestion.young_person == young_person and suggestion.criteria == {"q": "vendeur"}


def test_young_person_answers_from_the_alerts_page(young_client, young_person):
    suggestion = services.suggest_search(
        young_person.counselor.user, young_person.pk, "Vente", {"q": "vendeur"}
    )
    html = young_client.get(reverse("offers_young:alerts")).content.decode()
    assert "Recherches suggérées par votre conseiller" in html
    young_client.post(reverse("offers_young:suggestion_accept", args=[suggestion.pk]))
    assert Alert.objects.get().name == "Vente"


@pytest.mark.parametrize("size", [2, 12])
def test_alerts_page_runs_a_constant_number_of_queries(
    young_client, young_person, django_assert_max_num_queries, size
):
    for n in range(size):
        _alert(young_person, q=f"metier{n}")
        services.suggest_search(
            young_person.counselor.user, young_person.pk, f"S{n}", {"q": "vendeur"}
        )
    with django_assert_max_num_queries(12):
        assert young_client.get(reverse("offers_young:alerts")).status_code == 200


# --- API -----------------------------------------------------------------------------------------


def test_alerts_api(young_client, young_person, lyon):
    client_id = str(uuid.uuid4())
    payload = {
        "name": "Vente",
        "criteria": {"q": "vendeur", "commune": "69123", "contract_type": ["CDI"]},
        "client_id": client_id,
    }
    response = young_client.post("/api/v1/alerts", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["criteria"]["contract_type"] == ["CDI"]
    assert body["criteria"]["summary"] == "vendeur · Lyon (69), 10 km · CDI"
    again = young_client.post("/api/v1/alerts", payload, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    empty = young_client.post(
        "/api/v1/alerts", {"name": "X", "criteria": {}}, content_type="application/json"
    )
    assert empty.status_code == 422 and empty.json()["code"] == "empty_criteria"
    assert young_client.get("/api/v1/alerts").json()["count"] == 1
    path = f"/api/v1/alerts/{body['id']}"
    renamed = young_client.patch(path, {"name": "Ventes"}, content_type="application/json")
    assert renamed.json()["name"] == "Ventes"
    assert young_client.delete(path).status_code == 204
    assert young_client.delete(path).status_code == 404


def test_suggestions_api(counselor_client, young_client, young_person):
    response = counselor_client.post(
        "/api/v1/suggestions",
        {"young_person_id": str(young_person.pk), "name": "Vente", "criteria": {"q": "vendeur"}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    suggestion_id = response.json()["id"]
    assert counselor_client.get("/api/v1/suggestions").json()["count"] == 1
    listed = young_client.get("/api/v1/suggestions").json()
    assert listed["items"][0]["status"] == "pending"
    refused = young_client.post(f"/api/v1/suggestions/{suggestion_id}/refuse")
    assert refused.json()["status"] == "refused"
    accepted = young_client.post(f"/api/v1/suggestions/{suggestion_id}/accept")
    assert accepted.status_code == 409 and accepted.json()["code"] == "already_answered"


def test_names_render_inert(young_client, young_person):
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    _alert(young_person, q=f"{payload} vendeur")
    Alert.objects.update(name=payload)
    services.suggest_search(young_person.counselor.user, young_person.pk, payload, {"q": "cuisine"})
    html = young_client.get(reverse("offers_young:alerts")).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_run_alerts_in_batches(young_person, published, monkeypatch):
    monkeypatch.setattr(services, "RUN_BATCH", 2)
    for n in range(5):
        _alert(young_person, q=f"vendeur metier{n}" if n % 2 else "vendeur")
    Alert.objects.update(last_run_at=timezone.now() - timedelta(days=1))
    OfferFactory(title="Vendeur")
    assert services.run_alerts() == "5 alertes, 3 avec de nouvelles offres"
    assert len(published) == 3


def test_each_run_with_new_offers_gives_one_notice(young_person, lyon):
    from passemploi.notifications.models import Notification

    start = timezone.now() + timedelta(minutes=1)
    alert = _alert(young_person, q="vendeur", commune="69123")
    Alert.objects.filter(pk=alert.pk).update(last_run_at=start - timedelta(days=1))
    OfferFactory(title="Vendeur", published_at=start - timedelta(hours=2))
    services.run_alerts(now=start)
    services.run_alerts(now=start)  # the job ran twice: still one notice
    OfferFactory(title="Vendeur", published_at=start + timedelta(hours=1))
    services.run_alerts(now=start + timedelta(days=1))
    notices = Notification.objects.filter(recipient=young_person.user, topic="offers")
    assert notices.count() == 2
    assert {n.link for n in notices} == {"/app/offres/alertes/"}
