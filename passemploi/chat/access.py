"""The only way pages, API and sockets fetch conversations and messages. A conversation is
private to the young person and their current counselor: missing and forbidden both 404."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from passemploi.accounts.access import counselor_of, young_person_of
from passemploi.chat.models import Attachment, Conversation, Message


def conversations_visible_to(user):
    young_person = young_person_of(user)
    if young_person is not None:
        return Conversation.objects.filter(young_person=young_person)
    counselor = counselor_of(user)
    if counselor is None:
        return Conversation.objects.none()
    return Conversation.objects.filter(
        young_person__counselor=counselor, young_person__is_archived=False
    )


def get_conversation_for_user(user, pk) -> Conversation:
    try:
        return (
            conversations_visible_to(user)
            .select_related("young_person__user", "young_person__counselor__user")
            .get(pk=pk)
        )
    except (Conversation.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_message_for_user(user, pk) -> Message:
    try:
        return (
            Message.objects.filter(conversation__in=conversations_visible_to(user))
            .select_related("conversation")
            .get(pk=pk)
        )
    except (Message.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_attachment_for_user(user, pk) -> Attachment:
    """An attachment of a conversation the user may open; one not yet sent only to its
    uploader; none once its message is deleted."""
    try:
        return (
            Attachment.objects.filter(conversation__in=conversations_visible_to(user))
            .filter(
                Q(message__isnull=False, message__deleted_at__isnull=True)
                | Q(message__isnull=True, uploader=user)
            )
            .select_related("conversation")
            .get(pk=pk)
        )
    except (Attachment.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
