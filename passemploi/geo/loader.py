"""Load the shipped commune file into the database (idempotent)."""

import csv
import gzip
import io
from pathlib import Path

from django.db import transaction

from passemploi.geo.models import Commune
from passemploi.geo.text import normalize

DATA_FILE = Path(__file__).resolve().parent / "data" / "communes.csv.gz"
BATCH = 2000


def read_communes(path: Path = DATA_FILE):
    with gzip.open(path, "rb") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")):
            yield Commune(
                insee=row["insee"],
                name=row["name"],
                search_name=normalize(row["name"]),
                postal_codes=row["postal_codes"],
                departement=row["departement"],
                region=row["region"],
                population=int(row["population"] or 0),
                latitude=float(row["lat"]) if row["lat"] else None,
                longitude=float(row["lon"]) if row["lon"] else None,
            )


@transaction.atomic
def load_communes(path: Path = DATA_FILE, *, force: bool = False) -> int:
    """Insert or update every commune of the file; returns how many were written.

    Without ``force`` nothing is done when the table already holds as many rows as the file,
    so ``make run`` pays the load once."""
    communes = list(read_communes(path))
    if not force and Commune.objects.count() == len(communes):
        return 0
    fields = [f.name for f in Commune._meta.concrete_fields if not f.primary_key]
    for start in range(0, len(communes), BATCH):
        Commune.objects.bulk_create(
            communes[start : start + BATCH],
            update_conflicts=True,
            unique_fields=["insee"],
            update_fields=fields,
        )
    return len(communes)
