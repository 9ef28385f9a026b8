"""Request and response schemas of the structure news API."""

import datetime
import uuid

from ninja import Field, Schema
from pydantic import ConfigDict

from passemploi.core.schemas import MAX_OFFSET
from passemploi.news.models import TEXT_MAX, TITLE_MAX

MAX_PAGE = 50
DEFAULT_PAGE = 20

NEWS_EXAMPLE = {
    "id": "2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091",
    "title": "Forum de l'alternance le 12 avril",
    "text": "Une trentaine d'entreprises recrutent en alternance. Venez avec votre CV !",
    "link": "https://www.exemple.fr/forum-alternance",
    "author_name": "Nils Tavernier",
    "updated_by_name": None,
    "created_at": "2026-03-29T09:30:00+02:00",
    "updated_at": "2026-03-29T09:30:00+02:00",
}


def _example(example):
    return ConfigDict(json_schema_extra={"examples": [example]})


class NewsQuery(Schema):
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"{MAX_PAGE} au plus")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class NewsOut(Schema):
    model_config = _example(NEWS_EXAMPLE)

    id: uuid.UUID
    title: str
    text: str
    link: str = Field(..., description="Adresse https, ou vide")
    author_name: str | None
    updated_by_name: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class NewsPage(Schema):
    items: list[NewsOut]
    count: int
    next: str | None


class NewsIn(Schema):
    model_config = _example({k: NEWS_EXAMPLE[k] for k in ("title", "text", "link")})

    title: str = Field(..., description=f"{TITLE_MAX} caractères au plus")
    text: str = Field(..., description=f"{TEXT_MAX} caractères au plus")
    link: str = Field("", description="Facultatif, une adresse https://")


class NewsPatchIn(Schema):
    model_config = _example({"title": "Forum de l'alternance : changement de salle"})

    title: str | None = None
    text: str | None = None
    link: str | None = None
