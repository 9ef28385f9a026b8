"""API schemas shared by every router."""

import datetime
import re
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator

MAX_PAGE = 100
DEFAULT_PAGE = 50
# Far past any real list, and within the database's 64-bit OFFSET.
MAX_OFFSET = 1_000_000


class PageQuery(Schema):
    """Offset paging (api-conventions): `limit` items from `offset`."""

    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"{MAX_PAGE} au plus")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


# Dates in requests: only the ISO text forms. Pydantic's lax mode would also take numbers (and
# digit strings) as Unix timestamps, so `?to=0` meant 1 January 1970 instead of an error.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value):
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        raise ValueError("Date attendue au format AAAA-MM-JJ.")
    return value.strip()


def _iso_datetime(value):
    if isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value.strip()):
        raise ValueError("Date et heure attendues au format ISO 8601 (AAAA-MM-JJTHH:MM:SS+01:00).")
    return value.strip()


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime.datetime, BeforeValidator(_iso_datetime)]
