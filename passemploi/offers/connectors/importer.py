"""Writing connector records into the catalogue: insert new offers, refresh known ones.

An imported offer has no expiry date at the partner: it expires ``OFFERS_IMPORT_KEEP_DAYS``
after the last import that saw it, so an offer the partner withdrew leaves the search within that
time and the daily clean-up (``maintenance.remove_expired_offers``) removes it."""

from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from passemploi.geo.models import Commune
from passemploi.offers.models import Offer

CHUNK = 500
UPDATED_FIELDS = [
    "kind",
    "title",
    "company",
    "description",
    "contract_type",
    "working_time",
    "duration",
    "salary",
    "experience",
    "qualifications",
    "rome_code",
    "commune",
    "place_label",
    "latitude",
    "longitude",
    "departement",
    "published_at",
    "expires_at",
    "apply_url",
    "establishment",
    "sector",
    "contact_mode",
    "domain",
    "start_date",
    "updated_at",
]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0

    def __str__(self):
        return f"{self.created} créées, {self.updated} mises à jour, {self.skipped} ignorées"


def _offer(source: str, fields: dict, communes: dict, now) -> Offer | None:
    fields = dict(fields)
    insee = fields.pop("commune_insee", "")
    if not fields.get("source_id") or not fields.get("title"):
        return None
    commune = communes.get(insee)
    if commune is not None:
        fields["commune"] = commune
        fields["departement"] = commune.departement
        if fields.get("latitude") is None or fields.get("longitude") is None:
            fields["latitude"], fields["longitude"] = commune.latitude, commune.longitude
        fields["place_label"] = fields.get("place_label") or commune.label
    fields["published_at"] = fields.get("published_at") or now
    keep = timedelta(days=getattr(settings, "OFFERS_IMPORT_KEEP_DAYS", 7))
    fields["expires_at"] = fields.get("expires_at") or now + keep
    return Offer(source=source, updated_at=now, **fields)


def import_offers(source: str, records, to_fields, now=None) -> ImportReport:
    """Import raw records (an iterable, consumed in chunks) mapped by ``to_fields``."""
    now = now or timezone.now()
    report = ImportReport()
    records = iter(records)
    while chunk := list(islice(records, CHUNK)):
        mapped = []
        for raw in chunk:
            try:
                mapped.append(to_fields(raw))
            except (KeyError, TypeError, ValueError, AttributeError):
                report.skipped += 1
        codes = {f.get("commune_insee") for f in mapped if f.get("commune_insee")}
        communes = {c.insee: c for c in Commune.objects.filter(insee__in=codes)}
        offers = {}
        for fields in mapped:
            offer = _offer(source, fields, communes, now)
            if offer is None:
                report.skipped += 1
            else:
                offers[offer.source_id] = offer  # the last copy of a duplicate wins
        with transaction.atomic():
            known = dict(
                Offer.objects.filter(source=source, source_id__in=list(offers)).values_list(
                    "source_id", "id"
                )
            )
            new = [o for sid, o in offers.items() if sid not in known]
            old = []
            for sid, offer in offers.items():
                if sid in known:
                    offer.pk = known[sid]
                    old.append(offer)
            Offer.objects.bulk_create(new)
            Offer.objects.bulk_update(old, UPDATED_FIELDS)
        report.created += len(new)
        report.updated += len(old)
    return report
