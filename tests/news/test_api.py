"""The news API: young people read their structure's, counselors manage them. Every answer is
checked against the published OpenAPI document."""

import pytest

from passemploi.news import services
from passemploi.news.models import NewsItem
from tests.accounts.test_api import documented, openapi  # noqa: F401  (openapi: a fixture)
from tests.actions.test_api import call  # noqa: F401 (a fixture)
from tests.factories import CounselorFactory, StructureFactory

pytestmark = pytest.mark.django_db

NEWS = "/api/v1/news"
ITEM = NEWS + "/{news_id}"


def test_publish_read_edit_delete(call, counselor, young_person, published):
    status, item = call(
        counselor.user,
        "post",
        NEWS,
        {"title": "Forum", "text": "Venez", "link": "https://exemple.fr"},
    )
    assert status == 201 and item["author_name"] == counselor.user.get_full_name()
    assert item["created_at"].endswith(("+01:00", "+02:00"))
    assert [e for _, e in published] == [{"type": "news.published", "news_id": item["id"]}]
    status, page = call(young_person.user, "get", NEWS)
    assert status == 200 and page["count"] == 1 and page["items"][0]["title"] == "Forum"
    colleague = CounselorFactory(structure=counselor.structure)
    status, edited = call(colleague.user, "patch", ITEM, {"text": "Salle B"}, news_id=item["id"])
    assert status == 200 and edited["text"] == "Salle B" and edited["title"] == "Forum"
    assert edited["updated_by_name"] == colleague.user.get_full_name()
    assert call(colleague.user, "delete", ITEM, news_id=item["id"]) == (204, None)
    assert call(young_person.user, "get", NEWS)[1]["count"] == 0


def test_paging_newest_first(call, counselor, young_person):
    for index in range(3):
        services.publish_news(counselor.user, f"N{index}", "Texte")
    status, page = call(young_person.user, "get", NEWS, query={"limit": 2})
    assert [i["title"] for i in page["items"]] == ["N2", "N1"]
    assert page["count"] == 3 and "offset=2" in page["next"]
    _, rest = call(young_person.user, "get", NEWS, query={"limit": 2, "offset": 2})
    assert [i["title"] for i in rest["items"]] == ["N0"] and rest["next"] is None


def test_errors(call, counselor, young_person):
    status, body = call(
        counselor.user, "post", NEWS, {"title": "Forum", "text": "Venez", "link": "http://x.fr"}
    )
    assert (status, body["code"], list(body["fields"])) == (400, "invalid_link", ["link"])
    status, body = call(counselor.user, "post", NEWS, {"title": "x" * 121, "text": "Venez"})
    assert (status, body["code"]) == (400, "title_too_long")
    assert call(young_person.user, "post", NEWS, {"title": "A", "text": "B"})[0] == 403
    item = services.publish_news(counselor.user, "Forum", "Venez")
    outsider = CounselorFactory(structure=StructureFactory())
    status, body = call(outsider.user, "patch", ITEM, {"title": "Piraté"}, news_id=item.pk)
    assert (status, body["code"]) == (404, "not_found")
    assert call(outsider.user, "get", NEWS)[1]["count"] == 0
    assert NewsItem.objects.get().title == "Forum"
