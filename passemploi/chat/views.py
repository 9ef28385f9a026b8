"""The messaging pages: the counselor's conversation list and conversations, the young person's
conversation (youth:messages), and the thread partial that static/chat/live.js fetches when the
socket says something changed (or every 10 s when there is no socket).

Every write goes through chat.services, every read through chat.access."""

import re
from dataclasses import dataclass

from django.contrib import messages as flash
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from passemploi.accounts.access import (
    counselor_required,
    portfolio_of,
    young_person_required,
)
from passemploi.chat import attachments, services, shared
from passemploi.chat.access import get_conversation_for_user, get_message_for_user
from passemploi.chat.enums import MessageKind, SenderRole
from passemploi.chat.forms import EditForm, MessageForm
from passemploi.core.errors import ServiceError

UNAVAILABLE = "Ce message n'est pas disponible"


@dataclass
class Row:
    """A message as a page shows it."""

    message: object
    kind: str  # "own", "other", "system" or "unavailable"
    parts: list  # [(text, is_match)]
    sender_name: str
    receipt: str = ""  # "Lu" / "Envoyé" on the viewer's last own message
    attachment: object = None
    card: object = None  # shared.Card of a shared item


def _highlight(text: str, query: str) -> list:
    if not query:
        return [(text, False)]
    pieces = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    return [(piece, index % 2 == 1) for index, piece in enumerate(pieces) if piece]


def _sender_name(message, conversation) -> str:
    if message.sender_role == SenderRole.YOUNG_PERSON:
        return conversation.young_person.user.get_full_name()
    if message.sender is not None:
        return message.sender.get_full_name()
    return SenderRole(message.sender_role).label


def _rows(user, conversation, role, *, after=None, query=""):
    queryset = conversation.messages.select_related("sender", "attachment")
    if after is not None:
        queryset = queryset.filter(seq__gt=after)
    queryset = list(queryset)
    cards = shared.resolve(user, queryset, role)
    key = services.data_key(conversation)
    other_read = (
        conversation.young_person_read_seq
        if role == SenderRole.COUNSELOR
        else conversation.counselor_read_seq
    )
    rows = []
    needle = query.casefold()
    for message in queryset:
        body = services.body_of(message, key)
        if needle and needle not in body.casefold():
            continue
        if message.kind not in MessageKind.values:
            kind = "unavailable"
        elif message.sender_role == SenderRole.SYSTEM:
            kind = "system"
        elif message.sender_id == user.pk:
            kind = "own"
        else:
            kind = "other"
        rows.append(
            Row(
                message=message,
                kind=kind,
                parts=_highlight(body, query),
                sender_name=_sender_name(message, conversation),
                attachment=getattr(message, "attachment", None),
                card=cards.get(message.pk),
            )
        )
    own = [row for row in rows if row.kind == "own" and row.message.deleted_at is None]
    if own and not query:
        last = own[-1]
        last.receipt = "Lu" if last.message.seq <= other_read else "Envoyé"
    return rows


def _urls(role, conversation) -> dict:
    if role == SenderRole.COUNSELOR:
        return {
            "page": reverse("chat_counselor:conversation", args=[conversation.pk]),
            "thread": reverse("chat_counselor:thread", args=[conversation.pk]),
            "edit": "chat_counselor:edit",
            "delete": "chat_counselor:delete",
            "attachment": "chat_counselor:attachment",
        }
    return {
        "page": reverse("youth:messages"),
        "thread": reverse("chat_young:thread"),
        "edit": "chat_young:edit",
        "delete": "chat_young:delete",
        "attachment": "chat_young:attachment",
    }


def _conversation_page(request, conversation, role, template, extra):
    """GET shows the conversation (and marks it read); POST sends a message."""
    posted = request.method == "POST"
    form = MessageForm(request.POST if posted else None, request.FILES if posted else None)
    urls = _urls(role, conversation)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            services.send_message(
                request.user,
                conversation,
                form.cleaned_data["body"],
                client_id=form.cleaned_data["client_id"],
                upload=attachments.check_upload(upload) if upload else None,
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in ("body", "file") else None, error.message)
        else:
            return redirect(urls["page"] + "#envoyer")
    if request.method == "GET":
        conversation = services.mark_read(request.user, conversation)
        conversation.young_person = extra["young_person"]
    query = request.GET.get("q", "").strip()[:200]
    rows = _rows(request.user, conversation, role, query=query)
    return render(
        request,
        template,
        {
            "conversation": conversation,
            "rows": rows,
            "form": form,
            "query": query,
            "urls": urls,
            "last_seq": conversation.last_seq,
            "time_zone": extra["young_person"].structure.time_zone,
            **extra,
        },
        status=400 if form.errors else 200,
    )


def _thread(request, conversation, role):
    """The thread partial: only the messages after ?after=<seq>, else all of them."""
    after = request.GET.get("after")
    after = int(after) if after and after.isdigit() else None
    young_person = conversation.young_person
    conversation = services.mark_read(request.user, conversation)
    conversation.young_person = young_person
    return render(
        request,
        "chat/_thread.html",
        {
            "rows": _rows(request.user, conversation, role, after=after),
            "urls": _urls(role, conversation),
            "conversation": conversation,
            "last_seq": conversation.last_seq,
            "time_zone": young_person.structure.time_zone,
            "partial": True,
        },
    )


def _edit(request, pk, back):
    message = get_message_for_user(request.user, pk)
    form = EditForm(request.POST)
    if not form.is_valid():
        flash.error(request, form.errors["body"][0])
    else:
        try:
            services.edit_message(request.user, message, form.cleaned_data["body"])
        except ServiceError as error:
            flash.error(request, error.message)
        else:
            flash.success(request, "Votre message a été modifié.")
    return redirect(back(message.conversation) + f"#message-{message.pk}")


def _delete(request, pk, back):
    message = get_message_for_user(request.user, pk)
    try:
        services.delete_message(request.user, message)
    except ServiceError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, "Votre message a été supprimé.")
    return redirect(back(message.conversation) + f"#message-{message.pk}")


# --- counselor -----------------------------------------------------------------------------------


def _counselor_page(conversation) -> str:
    return reverse("chat_counselor:conversation", args=[conversation.pk])


@counselor_required
def counselor_list(request):
    young_people = (
        portfolio_of(request.user.counselor)
        .select_related("user", "conversation")
        .order_by(
            F("conversation__last_message_at").desc(nulls_last=True),
            "user__last_name",
            "user__first_name",
            "id",
        )
    )
    entries = []
    for young_person in young_people:
        conversation = getattr(young_person, "conversation", None)
        entries.append(
            {
                "young_person": young_person,
                "conversation": conversation,
                "unread": services.unread_count(conversation, SenderRole.COUNSELOR)
                if conversation
                else 0,
            }
        )
    return render(
        request,
        "chat/counselor_list.html",
        {
            "entries": entries,
            "flagged_count": sum(
                1 for entry in entries if entry["conversation"] and entry["conversation"].flagged
            ),
            "time_zone": request.user.counselor.structure.time_zone,
            "active_section": "messages",
        },
    )


@counselor_required
@require_POST
def counselor_start(request, pk):
    """The conversation with a young person of the portfolio, created the first time."""
    young_person = portfolio_of(request.user.counselor).filter(pk=pk).first()
    if young_person is None:
        raise Http404
    conversation = services.conversation_of(young_person)
    return redirect(_counselor_page(get_conversation_for_user(request.user, conversation.pk)))


@counselor_required
def counselor_conversation(request, pk):
    conversation = get_conversation_for_user(request.user, pk)
    return _conversation_page(
        request,
        conversation,
        SenderRole.COUNSELOR,
        "chat/counselor_conversation.html",
        {"young_person": conversation.young_person, "active_section": "messages"},
    )


@counselor_required
def counselor_thread(request, pk):
    return _thread(request, get_conversation_for_user(request.user, pk), SenderRole.COUNSELOR)


@counselor_required
@require_POST
def counselor_flag(request, pk):
    conversation = get_conversation_for_user(request.user, pk)
    flagged = request.POST.get("flagged") == "1"
    services.set_flag(request.user, conversation, flagged)
    name = conversation.young_person.user.get_full_name()
    flash.success(
        request,
        f"La conversation avec {name} est marquée « à suivre »."
        if flagged
        else f"La conversation avec {name} n'est plus marquée « à suivre ».",
    )
    if request.POST.get("next") == "conversation":
        return redirect(_counselor_page(conversation))
    return redirect("chat_counselor:list")


@counselor_required
@require_POST
def counselor_edit(request, pk):
    return _edit(request, pk, _counselor_page)


@counselor_required
@require_POST
def counselor_delete(request, pk):
    return _delete(request, pk, _counselor_page)


# --- young person --------------------------------------------------------------------------------


def _young_page(conversation) -> str:
    return reverse("youth:messages")


def _young_conversation(request):
    young_person = request.user.young_person
    conversation = services.conversation_of(young_person)
    return get_conversation_for_user(request.user, conversation.pk)


@young_person_required
def young_conversation(request):
    conversation = _young_conversation(request)
    return _conversation_page(
        request,
        conversation,
        SenderRole.YOUNG_PERSON,
        "chat/young_conversation.html",
        {
            "young_person": conversation.young_person,
            "counselor": conversation.young_person.counselor,
            "active_tab": "messages",
        },
    )


@young_person_required
def young_thread(request):
    return _thread(request, _young_conversation(request), SenderRole.YOUNG_PERSON)


@young_person_required
@require_POST
def young_edit(request, pk):
    return _edit(request, pk, _young_page)


@young_person_required
@require_POST
def young_delete(request, pk):
    return _delete(request, pk, _young_page)
