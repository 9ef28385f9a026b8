"""The chat pages' items: attachment downloads (both spaces) and the counselor's "Partager dans
la conversation" button on action and appointment pages."""

import uuid

from django.contrib import messages as flash
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from passemploi.accounts.access import counselor_required, portfolio_of, young_person_required
from passemploi.chat import attachments, services, shared
from passemploi.chat.access import get_attachment_for_user
from passemploi.core.errors import ServiceError

# --- attachments (both spaces) -------------------------------------------------------------------


def _download(request, pk):
    attachment = get_attachment_for_user(request.user, pk)
    try:
        return attachments.download_response(attachment)
    except ServiceError as error:
        if error.status == 410:
            return HttpResponse(f"{error.message}\n", status=410, content_type="text/plain")
        raise Http404 from error


@counselor_required
def counselor_attachment(request, pk):
    return _download(request, pk)


@young_person_required
def young_attachment(request, pk):
    return _download(request, pk)


# --- sharing an item from its page (counselor) ---------------------------------------------------


@counselor_required
@require_POST
def counselor_share(request):
    """ "Partager dans la conversation" on an action or appointment page: posts the item as a
    card in the conversation with one young person of the counselor's portfolio."""
    young_person = (
        portfolio_of(request.user.counselor)
        .filter(pk=_uuid(request.POST.get("young_person")))
        .first()
    )
    if young_person is None:
        flash.error(request, shared.UNAVAILABLE + ".")
        return redirect("chat_counselor:list")
    conversation = services.conversation_of(young_person)
    try:
        services.send_message(
            request.user,
            conversation,
            "",
            client_id=_uuid(request.POST.get("client_id")),
            shared_type=request.POST.get("shared_type", ""),
            shared_id=_uuid(request.POST.get("shared_id")),
        )
    except ServiceError as error:
        flash.error(request, error.message)
    else:
        name = young_person.user.get_full_name()
        flash.success(request, f"Partagé dans la conversation avec {name}.")
    return redirect(reverse("chat_counselor:conversation", args=[conversation.pk]) + "#envoyer")


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
