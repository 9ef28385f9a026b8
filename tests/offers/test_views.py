import pytest
from django.urls import reverse

from tests.offers.catalogue import make_fixed_catalogue
from tests.offers.factories import OfferFactory, real_commune


@pytest.fixture
def catalogue(db):
    return make_fixed_catalogue()


def test_young_search_page_shows_result_cards(young_client, catalogue):
    response = young_client.get(
        reverse("offers_young:search"),
        {"q": "serveur", "commune": "Avignon (84)", "tri": "distance"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 offres" in html
    assert html.index("Café du Rhône") < html.index("Le Pont d&#x27;Avignon")
    assert "à 2 km" in html  # Villeneuve-lès-Avignon, across the Rhône
    assert reverse("offers_young:detail", args=[catalogue["D"].pk]) in html
    assert 'aria-current="page"' in html  # the "Offres" tab
    assert "INVALID_TEMPLATE_VARIABLE" not in html


def test_young_search_page_without_criteria_lists_recent_offers(young_client, catalogue):
    html = young_client.get(reverse("offers_young:search")).content.decode()
    assert "9 offres" in html


def test_bad_input_shows_a_french_message_on_the_field(young_client, catalogue):
    response = young_client.get(
        reverse("offers_young:search"), {"commune": "Atlantide", "q": "serveur"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Commune inconnue" in html
    assert 'value="Atlantide"' in html and 'value="serveur"' in html  # nothing typed is lost
    assert "INVALID_TEMPLATE_VARIABLE" not in html
    long = young_client.get(reverse("offers_young:search"), {"q": "x" * 2000})
    assert long.status_code == 200
    assert "200 caractères" in long.content.decode()
    radius = young_client.get(reverse("offers_young:search"), {"commune": "84007", "rayon": "999"})
    assert "entre 1 et 200 km" in radius.content.decode()


def test_htmx_gets_only_the_results(young_client, catalogue):
    response = young_client.get(
        reverse("offers_young:search"), {"q": "python"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "2 offres" in html
    assert 'role="search"' not in html  # the filters stay; the results carry "Créer une alerte"
    assert 'name="recherche" value="q=python"' in html


def test_pages_past_the_end_are_empty(young_client, catalogue):
    html = young_client.get(reverse("offers_young:search"), {"page": "40"}).content.decode()
    assert "Aucune offre ne correspond" in html


def test_offer_page(young_client, counselor_client, catalogue):
    offer = catalogue["G"]
    for client, name in ((young_client, "offers_young"), (counselor_client, "offers_counselor")):
        response = client.get(reverse(f"{name}:detail", args=[offer.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Immersion : agent d&#x27;entretien des espaces verts" in html
        assert "Postuler" in html
        if name == "offers_young":  # through our page, which asks "Avez-vous postulé ?" later
            assert reverse("offers_young:apply", args=[offer.pk]) in html
        else:
            assert offer.apply_url in html


def test_counselor_search_page(counselor_client, catalogue):
    response = counselor_client.get(reverse("offers_counselor:search"), {"type": "ALTERNANCE"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 offre" in html and "Cuisinier en alternance" in html


def test_roles_are_enforced(young_client, counselor_client, catalogue):
    assert young_client.get(reverse("offers_counselor:search")).status_code == 403
    assert counselor_client.get(reverse("offers_young:search")).status_code == 403


@pytest.mark.parametrize("space", ["offers_young", "offers_counselor"])
def test_search_page_runs_a_constant_number_of_queries(
    space, young_client, counselor_client, db, django_assert_max_num_queries
):
    client = young_client if space == "offers_young" else counselor_client
    real_commune("69123")
    url = reverse(f"{space}:search")
    counts = []
    for size in (2, 25):
        OfferFactory.create_batch(size)
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url, {"commune": "69123", "q": "vendeur"}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
