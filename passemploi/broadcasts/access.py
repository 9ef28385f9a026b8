"""The only way pages and API fetch broadcast lists.

A list is a counselor's own working tool: only its owner sees it, a supervisor included (a
supervisor manages their structure's team, not their colleagues' mailing habits). Missing and
forbidden both raise Http404."""

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.http import Http404

from passemploi.accounts.access import counselor_of
from passemploi.broadcasts.models import BroadcastList


def lists_visible_to(user):
    counselor = counselor_of(user)
    if counselor is None:
        return BroadcastList.objects.none()
    return BroadcastList.objects.filter(owner=counselor)


def with_member_counts(queryset):
    """Annotates `member_count`: members still in the owner's portfolio, in the same query."""
    return queryset.annotate(
        member_count=Count(
            "members",
            filter=Q(members__counselor_id=F("owner_id"), members__is_archived=False),
        )
    )


def get_list_for_user(user, pk) -> BroadcastList:
    try:
        return lists_visible_to(user).get(pk=pk)
    except (BroadcastList.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
