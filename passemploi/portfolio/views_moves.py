"""Pages that change who follows a young person: reassignment, take back, archiving."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from passemploi.accounts.access import (
    counselor_required,
    get_young_person_for_user,
    portfolio_of,
    supervisor_required,
)
from passemploi.accounts.models import Counselor, YoungPerson
from passemploi.core.errors import ServiceError
from passemploi.portfolio import services
from passemploi.portfolio.forms import ArchiveForm, ReassignForm, ReassignSourceForm

BY_NAME = ("user__last_name", "user__first_name", "id")


def _names(young_people) -> str:
    return ", ".join(yp.user.get_full_name() for yp in young_people)


@supervisor_required
def reassign(request):
    """Source counselor → their young people (checkboxes) → target and kind → confirmation."""
    structure_id = request.user.counselor.structure_id
    counselors = (
        Counselor.objects.filter(structure_id=structure_id)
        .select_related("user")
        .order_by(*BY_NAME)
    )
    source_form = ReassignSourceForm(
        request.GET if "source" in request.GET else None, counselors=counselors
    )
    context = {"source_form": source_form, "active_section": "team"}
    if not source_form.is_bound or not source_form.is_valid():
        status = 400 if source_form.errors else 200
        return render(request, "portfolio/reassign.html", context, status=status)
    source = source_form.cleaned_data["source"]
    form = ReassignForm(
        request.POST or None,
        young_people=portfolio_of(source).select_related("user").order_by(*BY_NAME),
        targets=counselors.exclude(pk=source.pk),
    )
    context |= {"source": source, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "confirm" not in request.POST:
            context["confirming"] = True
            return render(request, "portfolio/reassign.html", context)
        try:
            rows, _ = services.reassign(
                request.user,
                [yp.pk for yp in data["young_people"]],
                data["target"].pk,
                temporary=data["temporary"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field == "target" else None, error.message)
        else:
            kind = "temporairement " if data["temporary"] else ""
            messages.success(
                request,
                f"{_names(row.young_person for row in rows)} "
                f"{'est' if len(rows) == 1 else 'sont'} {kind}suivi"
                f"{'' if len(rows) == 1 else 's'} par {data['target'].user.get_full_name()}.",
            )
            return redirect("portfolio:team")
    status = 400 if form.errors else 200
    return render(request, "portfolio/reassign.html", context, status=status)


@counselor_required
@require_POST
def take_back(request):
    """ "Reprendre": one young person (young_person=<id>) or all those lent temporarily."""
    wanted = request.POST.getlist("young_person") or None
    try:
        rows = services.take_back(request.user, wanted)
    except (ServiceError, ValueError):
        rows = []
    if rows:
        messages.success(
            request, f"Vous suivez de nouveau {_names(row.young_person for row in rows)}."
        )
    else:
        messages.info(request, "Aucun bénéficiaire à reprendre.")
    return redirect("portfolio:index")


@counselor_required
def archive(request, pk):
    young_person = get_young_person_for_user(request.user, pk)
    form = ArchiveForm(request.POST or None)
    context = {"young_person": young_person, "form": form, "active_section": "portfolio"}
    if request.method == "POST" and not young_person.is_archived and form.is_valid():
        data = form.cleaned_data
        if "confirm" not in request.POST:
            context["confirming"] = True
            context["reason_label"] = dict(form.fields["reason"].choices)[data["reason"]]
            return render(request, "portfolio/archive.html", context)
        try:
            services.archive_young_person(request.user, young_person, **data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                f"{young_person.user.get_full_name()} a été archivé(e) : "
                "son compte ne permet plus de se connecter.",
            )
            return redirect("portfolio:index")
    status = 400 if form.errors else 200
    return render(request, "portfolio/archive.html", context, status=status)


@supervisor_required
def archives(request):
    """The structure's archived young people, with their current archive."""
    structure_id = request.user.counselor.structure_id
    young_people = list(
        YoungPerson.objects.filter(structure_id=structure_id, is_archived=True)
        .select_related("user", "counselor__user")
        .prefetch_related("archives")
        .order_by(*BY_NAME)
    )
    for young_person in young_people:
        current = [a for a in young_person.archives.all() if a.restored_at is None]
        young_person.current_archive = current[-1] if current else None
    return render(
        request,
        "portfolio/archives.html",
        {"young_people": young_people, "active_section": "team"},
    )


@supervisor_required
@require_POST
def unarchive(request, pk):
    young_person = get_young_person_for_user(request.user, pk)
    try:
        restored = services.unarchive_young_person(request.user, young_person)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        name = young_person.user.get_full_name()
        if restored:
            messages.success(
                request,
                f"{name} est de nouveau suivi(e) par "
                f"{young_person.counselor.user.get_full_name()} et peut se connecter.",
            )
        else:
            messages.info(request, f"{name} n'est pas archivé(e).")
    return redirect("portfolio:archives")
