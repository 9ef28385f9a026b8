"""The only way pages and API fetch news items: a structure's news are read by its young people
and managed by any of its counselors. Missing and forbidden both raise Http404."""

from django.core.exceptions import ValidationError
from django.http import Http404

from passemploi.accounts.access import counselor_of, young_person_of
from passemploi.news.models import NewsItem


def news_visible_to(user):
    """A young person's structure's news, or a counselor's (a supervisor's included)."""
    profile = young_person_of(user) or counselor_of(user)
    if profile is None:
        return NewsItem.objects.none()
    return NewsItem.objects.filter(structure_id=profile.structure_id)


def get_news_for_counselor(user, pk) -> NewsItem:
    """A news item a counselor may edit or delete: one of their structure's."""
    counselor = counselor_of(user)
    if counselor is None:
        raise Http404
    try:
        return NewsItem.objects.select_related("author__user", "updated_by__user").get(
            pk=pk, structure_id=counselor.structure_id
        )
    except (NewsItem.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
