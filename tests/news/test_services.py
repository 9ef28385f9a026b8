"""Structure news: who publishes, edits and deletes, what is checked, who is told."""

import pytest

from passemploi.core.errors import ServiceError
from passemploi.news import services
from passemploi.news.models import NewsItem
from tests.factories import CounselorFactory, StructureFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def test_publish_tells_the_structures_young_people(counselor, young_person, published):
    colleague_young = YoungPersonFactory(counselor=CounselorFactory(structure=counselor.structure))
    YoungPersonFactory(counselor=counselor, is_archived=True)
    YoungPersonFactory()  # another structure
    item = services.publish_news(counselor.user, " Forum ", " Venez ! ", "https://exemple.fr/forum")
    assert (item.title, item.text, item.link) == ("Forum", "Venez !", "https://exemple.fr/forum")
    assert item.structure == counselor.structure and item.author == counselor
    assert published == [
        (
            sorted([str(young_person.user_id), str(colleague_young.user_id)]),
            {"type": "news.published", "news_id": str(item.pk)},
        )
    ]


def test_any_counselor_of_the_structure_edits_and_is_recorded(counselor, published):
    item = services.publish_news(counselor.user, "Forum", "Venez")
    colleague = CounselorFactory(structure=counselor.structure)
    services.update_news(colleague.user, item, title="Forum : nouvelle salle")
    item.refresh_from_db()
    assert item.title == "Forum : nouvelle salle" and item.text == "Venez"
    assert item.author == counselor and item.updated_by == colleague
    assert item.updated_at >= item.created_at
    services.delete_news(colleague.user, item)
    assert not NewsItem.objects.exists()


def test_other_structure_cannot_touch(counselor):
    item = services.publish_news(counselor.user, "Forum", "Venez")
    outsider = CounselorFactory(structure=StructureFactory(), supervisor=True)
    for attempt in (
        lambda: services.update_news(outsider.user, item, title="Piraté"),
        lambda: services.delete_news(outsider.user, item),
    ):
        with pytest.raises(ServiceError) as info:
            attempt()
        assert info.value.status == 404
    item.refresh_from_db()
    assert item.title == "Forum"


def test_young_person_cannot_publish(young_person):
    with pytest.raises(ServiceError) as info:
        services.publish_news(young_person.user, "Forum", "Venez")
    assert info.value.status == 403


@pytest.mark.parametrize(
    ("title", "text", "link", "code"),
    [
        ("", "Venez", "", "title_required"),
        ("x" * 121, "Venez", "", "title_too_long"),
        ("Forum", "  ", "", "text_required"),
        ("Forum", "x" * 2001, "", "text_too_long"),
        ("Forum", "Venez", "http://exemple.fr", "invalid_link"),
        ("Forum", "Venez", "javascript:alert(1)", "invalid_link"),
        ("Forum", "Venez", "exemple.fr", "invalid_link"),
    ],
)
def test_bad_input(counselor, title, text, link, code, published):
    with pytest.raises(ServiceError) as info:
        services.publish_news(counselor.user, title, text, link)
    assert info.value.code == code
    assert not NewsItem.objects.exists() and not published


def test_limits_are_inclusive(counselor):
    item = services.publish_news(counselor.user, "x" * 120, "y" * 2000)
    assert len(item.title) == 120 and len(item.text) == 2000
