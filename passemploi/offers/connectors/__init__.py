"""Connectors importing partner offers into the catalogue (docs/offers.md, "Connectors").

Each source has a client that pages through the partner's search (``fetch(**params)`` yields raw
records) and a mapper turning one record into ``Offer`` fields (``to_fields(raw)``);
``importer.import_offers`` writes them. ``SOURCES`` names them for ``manage.py import_offers``."""


def sources() -> dict:
    from passemploi.offers.connectors import civic_service, francetravail, immersion

    return {
        "francetravail": francetravail.FranceTravailConnector,
        "immersion": immersion.ImmersionConnector,
        "service_civique": civic_service.CivicServiceConnector,
    }
