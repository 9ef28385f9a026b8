"""Writes on structure news. Any counselor of the structure publishes, edits and deletes; the
author and the last editor are recorded. Publishing raises `news.published` for the structure's
young people (the notifications work turns it into push and in-app notices)."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from passemploi.accounts.access import counselor_of
from passemploi.accounts.models import Counselor, User, YoungPerson
from passemploi.core.errors import ServiceError
from passemploi.core.events import publish
from passemploi.news.models import TEXT_MAX, TITLE_MAX, NewsItem

_https = URLValidator(schemes=["https"])


def _counselor(actor: User) -> Counselor:
    counselor = counselor_of(actor)
    if counselor is None:
        raise ServiceError("forbidden", "Réservé aux conseillers.", status=403)
    return counselor


def _clean(title: str, text: str, link: str) -> dict:
    title = " ".join((title or "").split())
    text = (text or "").strip()
    link = (link or "").strip()
    if not title:
        raise ServiceError("title_required", "Saisissez un titre.", "title")
    if len(title) > TITLE_MAX:
        raise ServiceError(
            "title_too_long", f"Le titre ne doit pas dépasser {TITLE_MAX} caractères.", "title"
        )
    if not text:
        raise ServiceError("text_required", "Saisissez le texte de l'actualité.", "text")
    if len(text) > TEXT_MAX:
        raise ServiceError(
            "text_too_long", f"Le texte ne doit pas dépasser {TEXT_MAX} caractères.", "text"
        )
    if link:
        try:
            _https(link)
        except ValidationError as exc:
            raise ServiceError(
                "invalid_link",
                "Le lien doit être une adresse web complète commençant par https://.",
                "link",
            ) from exc
        if len(link) > NewsItem._meta.get_field("link").max_length:
            raise ServiceError("invalid_link", "Ce lien est trop long.", "link")
    return {"title": title, "text": text, "link": link}


def _own_structure(counselor: Counselor, item: NewsItem) -> None:
    if item.structure_id != counselor.structure_id:
        raise ServiceError("not_found", "Cette actualité n'existe pas.", status=404)


@transaction.atomic
def publish_news(actor: User, title: str, text: str, link: str = "") -> NewsItem:
    counselor = _counselor(actor)
    now = timezone.now()
    item = NewsItem.objects.create(
        structure_id=counselor.structure_id,
        author=counselor,
        created_at=now,
        updated_at=now,
        **_clean(title, text, link),
    )
    readers = YoungPerson.objects.filter(
        structure_id=counselor.structure_id, is_archived=False
    ).values_list("user_id", flat=True)
    publish(list(readers), {"type": "news.published", "news_id": str(item.pk)})
    return item


@transaction.atomic
def update_news(actor: User, item: NewsItem, *, title=None, text=None, link=None) -> NewsItem:
    """Change some fields (None: unchanged), recording the editor."""
    counselor = _counselor(actor)
    _own_structure(counselor, item)
    values = _clean(
        item.title if title is None else title,
        item.text if text is None else text,
        item.link if link is None else link,
    )
    for field, value in values.items():
        setattr(item, field, value)
    item.updated_by = counselor
    item.updated_at = timezone.now()
    item.save(update_fields=["title", "text", "link", "updated_by", "updated_at"])
    return item


@transaction.atomic
def delete_news(actor: User, item: NewsItem) -> None:
    _own_structure(_counselor(actor), item)
    item.delete()
