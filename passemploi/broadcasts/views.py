"""The counselor's broadcast pages under /conseiller/listes/: broadcast lists (list, create,
edit, delete), the multi-recipient message and the pinned notice ("message important").
Views stay thin: rules live in services, reads in access."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from passemploi.accounts.access import counselor_required, portfolio_of
from passemploi.broadcasts import services
from passemploi.broadcasts.access import get_list_for_user, lists_visible_to, with_member_counts
from passemploi.broadcasts.forms import GroupMessageForm, ListForm, NoticeForm
from passemploi.broadcasts.models import PinnedNotice
from passemploi.chat import attachments
from passemploi.core.errors import ServiceError

FIELDS = {"young_person_ids": "young_people", "list_ids": "lists", "file": "attachment"}


def _onto_form(form, error: ServiceError, fields=None) -> None:
    """A service's refusal goes next to the field it is about (else above the form)."""
    field = (fields or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _posted(request):
    return request.POST if request.method == "POST" else None


def _portfolio(request):
    return (
        portfolio_of(request.user.counselor)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


def _page(request, template, context, form=None):
    context = {"active_section": "messages", **context}
    if form is not None:
        context["form"] = form
    return render(request, template, context, status=400 if form and form.errors else 200)


# --- broadcast lists -----------------------------------------------------------------------------


@counselor_required
def index(request):
    lists = with_member_counts(lists_visible_to(request.user)).order_by("name", "id")
    return _page(request, "broadcasts/index.html", {"lists": lists})


@counselor_required
def create(request):
    form = ListForm(_posted(request), young_people=_portfolio(request))
    if form.is_valid():
        try:
            created = services.create_list(
                request.user,
                form.cleaned_data["name"],
                [young_person.pk for young_person in form.cleaned_data["members"]],
            )
        except ServiceError as error:
            _onto_form(form, error, {"young_person_ids": "members"})
        else:
            messages.success(request, f"La liste « {created.name} » est créée.")
            return redirect("broadcasts_counselor:index")
    return _page(request, "broadcasts/list_form.html", {"broadcast_list": None}, form)


@counselor_required
def edit(request, pk):
    broadcast_list = get_list_for_user(request.user, pk)
    initial = {
        "name": broadcast_list.name,
        "members": list(services.members_of(broadcast_list).values_list("pk", flat=True)),
    }
    form = ListForm(_posted(request), initial=initial, young_people=_portfolio(request))
    if form.is_valid():
        try:
            services.update_list(
                request.user,
                broadcast_list,
                name=form.cleaned_data["name"],
                young_person_ids=[yp.pk for yp in form.cleaned_data["members"]],
            )
        except ServiceError as error:
            _onto_form(form, error, {"young_person_ids": "members"})
        else:
            messages.success(request, f"La liste « {broadcast_list.name} » est enregistrée.")
            return redirect("broadcasts_counselor:index")
    return _page(request, "broadcasts/list_form.html", {"broadcast_list": broadcast_list}, form)


@counselor_required
def delete(request, pk):
    """GET asks for confirmation; POST deletes."""
    broadcast_list = get_list_for_user(request.user, pk)
    if request.method == "POST":
        name = broadcast_list.name
        services.delete_list(request.user, broadcast_list)
        messages.success(request, f"La liste « {name} » est supprimée.")
        return redirect("broadcasts_counselor:index")
    return _page(request, "broadcasts/delete.html", {"broadcast_list": broadcast_list})


# --- multi-recipient message ---------------------------------------------------------------------


@counselor_required
def send(request):
    lists = with_member_counts(lists_visible_to(request.user)).order_by("name", "id")
    initial = {}
    chosen = request.GET.get("liste")
    if chosen:
        initial["lists"] = [chosen]
    form = GroupMessageForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        initial=initial,
        young_people=_portfolio(request),
        lists=lists,
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            upload = None
            if data["attachment"]:
                upload = attachments.check_upload(data["attachment"])
            group, _ = services.send_group_message(
                request.user,
                client_id=data["client_id"],
                body=data["body"],
                young_person_ids=[young_person.pk for young_person in data["young_people"]],
                list_ids=[broadcast_list.pk for broadcast_list in data["lists"]],
                upload=upload,
            )
        except ServiceError as error:
            _onto_form(form, error, FIELDS)
        else:
            count = group.recipient_count
            messages.success(
                request,
                f"Votre message a été envoyé à {count} bénéficiaire{'s' if count > 1 else ''}.",
            )
            return redirect("chat_counselor:list")
    return _page(request, "broadcasts/send.html", {}, form)


# --- pinned notice -------------------------------------------------------------------------------


@counselor_required
def notice(request):
    counselor = request.user.counselor
    current = PinnedNotice.objects.filter(counselor=counselor).first()
    initial = {}
    if current is not None:
        initial = {"text": current.text, "starts_on": current.starts_on, "ends_on": current.ends_on}
    form = NoticeForm(_posted(request), initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_notice(request.user, data["text"], data["starts_on"], data["ends_on"])
        except ServiceError as error:
            _onto_form(form, error)
        else:
            messages.success(request, "Votre message important est enregistré.")
            return redirect("broadcasts_counselor:notice")
    today = services.local_today(counselor.structure.time_zone)
    return _page(
        request,
        "broadcasts/notice.html",
        {"notice": current, "active": current is not None and current.is_active(today)},
        form,
    )


@counselor_required
@require_POST
def notice_remove(request):
    if services.remove_notice(request.user):
        messages.success(request, "Votre message important est retiré.")
    return redirect("broadcasts_counselor:notice")
