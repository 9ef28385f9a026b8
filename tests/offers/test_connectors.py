"""Connectors against a real local HTTP server serving payloads in the partners' formats:
paging with 206 Partial Content, 429 with Retry-After, a 500 then success, a timeout."""

import time

import pytest
from django.core.management import CommandError, call_command

from passemploi.offers.connectors.civic_service import CivicServiceConnector
from passemploi.offers.connectors.francetravail import FranceTravailConnector
from passemploi.offers.connectors.http import ConnectorError, HttpClient, retry_after_seconds
from passemploi.offers.connectors.immersion import ImmersionConnector
from passemploi.offers.connectors.importer import import_offers
from passemploi.offers.models import Offer
from tests.offers.factories import real_commune
from tests.offers.partner_server import STALL, PartnerServer

TOKEN = "/connexion/oauth2/access_token"
SEARCH = "/partenaire/offresdemploi/v2/offres/search"
TOKEN_REPLY = (
    200,
    {},
    {
        "access_token": "jeton-1",
        "token_type": "Bearer",
        "expires_in": 1499,
        "scope": "api_offresdemploiv2 o2dsoffre",
    },
)


def ft_offer(n: int, **extra) -> dict:
    """One offer as "Offres d'emploi v2" returns it (fields of its documented schema)."""
    offer = {
        "id": f"19{n:04d}X",
        "intitule": f"Vendeur / Vendeuse en boulangerie ({n})",
        "description": "Vous accueillez la clientèle et assurez l'encaissement.",
        "dateCreation": "2026-11-27T08:15:00.000Z",
        "dateActualisation": "2026-11-27T08:15:00.000Z",
        "lieuTravail": {
            "libelle": "69 - LYON 03",
            "latitude": 45.7597,
            "longitude": 4.8502,
            "codePostal": "69003",
            "commune": "69123",
        },
        "romeCode": "D1106",
        "romeLibelle": "Vente en alimentation",
        "appellationlibelle": "Vendeur / Vendeuse en boulangerie",
        "entreprise": {"nom": "BOULANGERIE MARTIN", "entrepriseAdaptee": False},
        "typeContrat": "CDI",
        "typeContratLibelle": "Contrat à durée indéterminée",
        "natureContrat": "Contrat travail",
        "experienceExige": "D",
        "experienceLibelle": "Débutant accepté",
        "competences": [{"code": "120134", "libelle": "Encaisser des paiements", "exigence": "S"}],
        "qualitesProfessionnelles": [{"libelle": "Sens de la communication"}],
        "salaire": {"libelle": "Mensuel de 1801,80 Euros sur 12 mois"},
        "dureeTravailLibelle": "35H Travail en journée",
        "dureeTravailLibelleConverti": "Temps plein",
        "alternance": False,
        "contact": {"nom": "BOULANGERIE MARTIN - Mme Dupont"},
        "nombrePostes": 1,
        "accessibleTH": False,
        "qualificationCode": "6",
        "origineOffre": {
            "origine": "1",
            "urlOrigine": f"https://candidat.francetravail.fr/offres/recherche/detail/19{n:04d}X",
        },
    }
    offer.update(extra)
    return offer


def page(first: int, total: int, status: int = 206) -> tuple:
    last = min(first + 149, total - 1)
    return (
        status,
        {"Content-Range": f"offres {first}-{last}/{total}", "Accept-Range": "offres 150"},
        {"resultats": [ft_offer(n) for n in range(first, last + 1)], "filtresPossibles": []},
    )


class Waits:
    """The sleeps the client asked for (slept for a few milliseconds only)."""

    def __init__(self):
        self.asked = []

    def __call__(self, seconds):
        self.asked.append(seconds)
        time.sleep(min(seconds, 0.005))


@pytest.fixture
def partner(settings):
    with PartnerServer(stall_seconds=0.6) as server:
        settings.FRANCE_TRAVAIL_API_URL = f"{server.url}/partenaire/offresdemploi"
        settings.FRANCE_TRAVAIL_TOKEN_URL = f"{server.url}{TOKEN}?realm=%2Fpartenaire"
        settings.FRANCE_TRAVAIL_CLIENT_ID = "client-pe"
        settings.FRANCE_TRAVAIL_CLIENT_SECRET = "secret-pe"
        settings.IMMERSION_API_URL = f"{server.url}/immersion"
        settings.CIVIC_SERVICE_API_URL = f"{server.url}/engagement"
        settings.OFFERS_CONNECTOR_TIMEOUT = 0.3
        settings.OFFERS_CONNECTOR_RATE = 100
        server.defaults[TOKEN] = TOKEN_REPLY
        yield server


@pytest.fixture
def waits():
    return Waits()


def connector(waits, **options):
    http = HttpClient(rate=100, timeout=0.3, retries=3, backoff=0.5, sleep=waits, **options)
    return FranceTravailConnector(http=http)


def _import(ft, **params):
    return import_offers("francetravail", ft.fetch(**params), ft.to_fields)


def test_pages_through_206_partial_content(db, partner, waits):
    real_commune("69123")
    partner.script(SEARCH, page(0, 320), page(150, 320), page(300, 320))
    ft = connector(waits)
    report = _import(ft, departement="69", motsCles="vendeur")
    assert (report.created, report.updated, report.skipped) == (320, 0, 0)
    searches = partner.on(SEARCH)
    assert [r["query"]["range"] for r in searches] == [["0-149"], ["150-299"], ["300-449"]]
    assert searches[0]["query"]["departement"] == ["69"]
    assert searches[0]["query"]["motsCles"] == ["vendeur"]
    assert all(r["headers"]["Authorization"] == "Bearer jeton-1" for r in searches)
    tokens = partner.on(TOKEN)
    assert len(tokens) == 1  # cached for its lifetime
    assert tokens[0]["query"]["realm"] == ["/partenaire"]
    assert tokens[0]["body"]["grant_type"] == ["client_credentials"]
    assert tokens[0]["body"]["scope"] == ["api_offresdemploiv2 o2dsoffre"]

    offer = Offer.objects.get(source="francetravail", source_id="190007X")
    assert offer.kind == "EMPLOI" and offer.contract_type == "CDI"
    assert offer.working_time == "FULL_TIME" and offer.experience == "BEGINNER"
    assert offer.company == "BOULANGERIE MARTIN" and offer.commune.insee == "69123"
    assert offer.departement == "69" and offer.latitude == 45.7597
    assert offer.apply_url.endswith("/detail/190007X")
    assert "Encaisser des paiements" in offer.qualifications
    assert offer.published_at.isoformat() == "2026-11-27T08:15:00+00:00"
    assert offer.expires_at is not None

    partner.script(SEARCH, page(0, 150, status=200))
    again = _import(ft, departement="69")
    assert (again.created, again.updated) == (0, 150)
    assert Offer.objects.count() == 320


def test_a_single_200_page_and_no_content(db, partner, waits):
    partner.script(SEARCH, page(0, 12, status=200), (204, {}, None))
    ft = connector(waits)
    assert len(list(ft.fetch(commune="69123", distance=10))) == 12
    assert list(ft.fetch(motsCles="introuvable")) == []
    assert len(partner.on(SEARCH)) == 2


def test_429_waits_for_retry_after(db, partner, waits):
    partner.script(SEARCH, (429, {"Retry-After": "2"}, {"message": "Too Many Requests"}))
    partner.script(SEARCH, page(0, 5, status=200))
    assert len(list(connector(waits).fetch())) == 5
    assert waits.asked.count(2.0) == 1
    assert len(partner.on(SEARCH)) == 2


def test_500_then_success_backs_off(db, partner, waits):
    partner.script(SEARCH, (500, {}, {"message": "erreur"}), (503, {}, None))
    partner.script(SEARCH, page(0, 3, status=200))
    assert len(list(connector(waits).fetch())) == 3
    assert [w for w in waits.asked if w >= 0.5] == [0.5, 1.0]  # exponential backoff


def test_timeout_then_success(db, partner, waits):
    partner.script(SEARCH, STALL, page(0, 4, status=200))
    assert len(list(connector(waits).fetch())) == 4
    assert len(partner.on(SEARCH)) == 2


def test_gives_up_after_the_retries_and_writes_nothing(db, partner, waits):
    partner.script(SEARCH, *[(502, {}, None)] * 4)
    with pytest.raises(ConnectorError) as error:
        _import(connector(waits))
    assert error.value.status == 502 and "4 tries" in str(error.value)
    assert not Offer.objects.exists()


def test_a_4xx_is_not_retried(db, partner, waits):
    partner.script(SEARCH, (400, {}, {"message": "Paramètre range invalide"}))
    with pytest.raises(ConnectorError):
        list(connector(waits).fetch())
    assert len(partner.on(SEARCH)) == 1


def test_an_expired_token_is_renewed_once(db, partner, waits):
    partner.script(SEARCH, (401, {}, {"message": "invalid token"}), page(0, 2, status=200))
    assert len(list(connector(waits).fetch())) == 2
    assert len(partner.on(TOKEN)) == 2


def test_unknown_search_parameters_are_refused(partner, waits):
    with pytest.raises(ValueError, match="motCle"):
        list(connector(waits).fetch(motCle="vendeur"))


def test_the_rate_limit_spaces_calls(db, partner):
    partner.defaults[SEARCH] = page(0, 1, status=200)
    http = HttpClient(rate=20, timeout=1, retries=0)
    start = time.monotonic()
    for _ in range(6):
        http.request("GET", partner.url + SEARCH)
    assert time.monotonic() - start >= 0.25  # 5 gaps of 50 ms


def test_retry_after_as_an_http_date():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("bientôt") is None


@pytest.mark.parametrize(
    ("extra", "kind", "contract", "experience"),
    [
        ({"alternance": True, "natureContrat": "E2"}, "ALTERNANCE", "APPRENTISSAGE", "BEGINNER"),
        (
            {"typeContrat": "MIS", "experienceExige": "E", "experienceLibelle": "2 ans"},
            "EMPLOI",
            "INTERIM",
            "ONE_TO_3_YEARS",
        ),
        (
            {"typeContrat": "SAI", "experienceExige": "S", "experienceLibelle": "6 mois"},
            "EMPLOI",
            "SAISONNIER",
            "LESS_THAN_1_YEAR",
        ),
        (
            {"typeContrat": "CDD", "experienceExige": "E", "experienceLibelle": "5 ans"},
            "EMPLOI",
            "CDD",
            "MORE_THAN_3_YEARS",
        ),
    ],
)
def test_france_travail_mapping(extra, kind, contract, experience):
    fields = FranceTravailConnector.to_fields(ft_offer(1, **extra))
    assert (fields["kind"], fields["contract_type"], fields["experience"]) == (
        kind,
        contract,
        experience,
    )


def test_import_command(db, partner):
    real_commune("69123")
    partner.script(SEARCH, page(0, 200), page(150, 200))
    call_command("import_offers", "francetravail", "--param", "departement=69", "--limit", "180")
    assert Offer.objects.filter(source="francetravail").count() == 180
    with pytest.raises(CommandError, match="mal formé"):
        call_command("import_offers", "francetravail", "--param", "departement")
    partner.script(SEARCH, (400, {}, {"message": "invalide"}))
    with pytest.raises(CommandError):
        call_command("import_offers", "francetravail")


def test_immersion_adapter(db, partner, waits):
    partner.script(
        "/immersion/v2/search",
        (429, {"Retry-After": "1"}, None),
        (
            200,
            {},
            [
                {
                    "siret": "85261384100013",
                    "name": "Boulangerie du Parc",
                    "naf": "1071C",
                    "nafLabel": "Boulangerie et boulangerie-pâtisserie",
                    "rome": "D1102",
                    "romeLabel": "Boulangerie - viennoiserie",
                    "appellations": [{"appellationLabel": "Boulanger", "appellationCode": "11573"}],
                    "address": {
                        "streetNumberAndAddress": "3 rue X",
                        "postcode": "69003",
                        "city": "Lyon",
                        "departmentCode": "69",
                    },
                    "position": {"lat": 45.76, "lon": 4.85},
                    "contactMode": "IN_PERSON",
                    "voluntaryToImmersion": True,
                }
            ],
        ),
    )
    http = HttpClient(rate=100, timeout=0.3, retries=2, backoff=0.1, sleep=waits)
    immersion = ImmersionConnector(http=http)
    report = import_offers(
        "immersion",
        immersion.fetch(latitude=45.76, longitude=4.85, distanceKm=10),
        immersion.to_fields,
    )
    assert report.created == 1 and 1.0 in waits.asked
    offer = Offer.objects.get(source="immersion")
    assert offer.kind == "IMMERSION" and offer.title == "Immersion : Boulanger"
    assert offer.contact_mode == "IN_PERSON" and offer.establishment == "Boulangerie du Parc"


def test_civic_service_adapter_pages(db, partner, waits):
    def mission(n):
        return {
            "_id": f"m{n}",
            "title": f"Aide aux devoirs {n}",
            "organizationName": "Association Soutien",
            "description": "Accompagner des élèves.",
            "domain": "education",
            "startAt": "2027-01-05T00:00:00.000Z",
            "city": "Lyon",
            "postalCode": "69003",
            "departmentCode": "69",
            "location": {"lat": 45.76, "lon": 4.85},
            "applicationUrl": f"https://www.service-civique.gouv.fr/missions/m{n}",
            "publishedAt": "2026-11-20T10:00:00.000Z",
        }

    path = "/engagement/v0/mission/search"
    partner.script(
        path,
        (500, {}, None),
        (200, {}, {"total": 60, "hits": [mission(n) for n in range(50)]}),
        (200, {}, {"total": 60, "hits": [mission(n) for n in range(50, 60)]}),
    )
    http = HttpClient(rate=100, timeout=0.3, retries=2, backoff=0.1, sleep=waits)
    civic = CivicServiceConnector(http=http)
    report = import_offers("service_civique", civic.fetch(domain="education"), civic.to_fields)
    assert report.created == 60
    assert [r["query"]["from"] for r in partner.on(path)] == [["0"], ["0"], ["50"]]
    offer = Offer.objects.get(source_id="m7")
    assert offer.kind == "SERVICE_CIVIQUE" and offer.domain == "EDUCATION"
    assert offer.start_date.isoformat() == "2027-01-05" and offer.departement == "69"
