"""Structure news ("Ma Mission Locale") under /api/v1/: young people read their structure's,
counselors read, publish, edit and delete their structure's."""

import uuid
import zoneinfo

from django.utils import timezone
from ninja import Query, Router, Status

from passemploi.accounts.access import counselor_of, young_person_of
from passemploi.accounts.schemas import ErrorOut
from passemploi.core.api_support import caller, counselor_caller
from passemploi.news import services
from passemploi.news.access import get_news_for_counselor, news_visible_to
from passemploi.news.models import NewsItem
from passemploi.news.schemas import NewsIn, NewsOut, NewsPage, NewsPatchIn, NewsQuery

router = Router(tags=["Actualités de la structure"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, **ERRORS}
ITEM = "/news/{uuid:news_id}"


def _name(counselor) -> str | None:
    return counselor.user.get_full_name() if counselor is not None else None


def news_out(item: NewsItem, zone) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "text": item.text,
        "link": item.link,
        "author_name": _name(item.author),
        "updated_by_name": _name(item.updated_by),
        "created_at": timezone.localtime(item.created_at, zone),
        "updated_at": timezone.localtime(item.updated_at, zone),
    }


def _zone(user):
    profile = young_person_of(user) or counselor_of(user)
    return zoneinfo.ZoneInfo(profile.structure.time_zone)


@router.get(
    "/news",
    response={200: NewsPage, **ERRORS},
    summary="Lister les actualités de la structure",
    description=(
        "Les actualités de la structure de l'appelant (jeune ou conseiller), la plus récente "
        "d'abord."
    ),
)
def list_news(request, paging: Query[NewsQuery]):
    user = caller(request)
    zone = _zone(user)
    items = news_visible_to(user).select_related("author__user", "updated_by__user")
    count = items.count()
    page = items[paging.offset : paging.offset + paging.limit]
    following = None
    if paging.offset + paging.limit < count:
        query = request.GET.copy()
        query["limit"], query["offset"] = str(paging.limit), str(paging.offset + paging.limit)
        following = f"{request.path}?{query.urlencode()}"
    return {"items": [news_out(item, zone) for item in page], "count": count, "next": following}


@router.post(
    "/news",
    response={201: NewsOut, **WRITE_ERRORS},
    summary="Publier une actualité",
    description=(
        "Un conseiller publie une actualité pour tous les jeunes de sa structure, qui en sont "
        "prévenus (événement `news.published`)."
    ),
)
def publish_news(request, payload: NewsIn):
    user = counselor_caller(request)
    item = services.publish_news(user, payload.title, payload.text, payload.link)
    return Status(201, news_out(get_news_for_counselor(user, item.pk), _zone(user)))


@router.patch(
    ITEM,
    response={200: NewsOut, **WRITE_ERRORS},
    summary="Modifier une actualité",
    description="Tout conseiller de la structure peut la modifier ; son nom est conservé.",
)
def edit_news(request, news_id: uuid.UUID, payload: NewsPatchIn):
    user = counselor_caller(request)
    item = services.update_news(
        user,
        get_news_for_counselor(user, news_id),
        title=payload.title,
        text=payload.text,
        link=payload.link,
    )
    return news_out(get_news_for_counselor(user, item.pk), _zone(user))


@router.delete(
    ITEM,
    response={204: None, **ERRORS},
    summary="Supprimer une actualité",
    description="Tout conseiller de la structure peut la supprimer.",
)
def delete_news(request, news_id: uuid.UUID):
    user = counselor_caller(request)
    services.delete_news(user, get_news_for_counselor(user, news_id))
    return Status(204, None)
