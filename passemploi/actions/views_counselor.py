"""The counselor's action pages: a young person's Actions tab, creating actions for one or
several young people, an action's page (comments, history, edit, qualification) and
Pilotage → Actions à qualifier. Views stay thin: rules live in services, reads in queries."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.views.decorators.http import require_POST

from passemploi.accounts import services as account_services
from passemploi.accounts.access import (
    counselor_required,
    get_young_person_for_user,
    portfolio_of,
)
from passemploi.actions import queries, services
from passemploi.actions.access import can_edit, get_action_for_user
from passemploi.actions.counter import Week, hours_of, local_today
from passemploi.actions.enums import DEFAULT_HOURS, ActionStatus
from passemploi.actions.forms_counselor import (
    ActionCreateForm,
    ActionEditForm,
    ActionFilterForm,
    BulkQualifyForm,
    CommentForm,
    HourCounterForm,
    QualifyForm,
)
from passemploi.actions.history import history_rows
from passemploi.actions.models import Action
from passemploi.actions.nouns import noun_for
from passemploi.core.errors import ServiceError
from passemploi.core.templatetags.passemploi import pluralize_fr

PAGE_SIZE = 30  # actions per page of a young person's tab
TO_QUALIFY_PAGE_SIZE = 100


def _onto_form(form, error: ServiceError) -> None:
    """A service's refusal goes next to the field it is about (else above the form)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _posted(request):
    """The form data of a POST (even an empty one: nothing ticked is an answer), else None."""
    return request.POST if request.method == "POST" else None


def _tab_url(young_person) -> str:
    return reverse("actions_counselor:young_person_actions", args=[young_person.pk])


def _detail_url(action, anchor: str = "") -> str:
    url = reverse("actions_counselor:detail", args=[action.pk])
    return f"{url}#{anchor}" if anchor else url


# --- a young person's Actions tab ---------------------------------------------------------------


@counselor_required
def young_person_actions(request, pk):
    young_person = get_young_person_for_user(request.user, pk)
    today = local_today(young_person)
    filters_form = ActionFilterForm(request.GET)
    filters = filters_form.filters()
    page = Paginator(queries.actions_of(young_person, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "actions/counselor/young_person_actions.html",
        {
            "young_person": young_person,
            "noun": noun_for(young_person),
            "hours": hours_of(young_person, Week.of(today)),
            "week_label": queries.week_label(Week.of(today), today),
            "counter_form": HourCounterForm(
                initial={"enabled": not young_person.hour_counter_enabled}
            ),
            "filters_form": filters_form,
            "filtered": bool(filters),
            "page": page,
            "weeks": queries.group_by_week(page.object_list, today),
            "active_section": "portfolio",
        },
    )


@counselor_required
@require_POST
def hour_counter(request, pk):
    young_person = get_young_person_for_user(request.user, pk)
    form = HourCounterForm(request.POST)
    enabled = form.cleaned_data["enabled"] if form.is_valid() else False
    try:
        account_services.set_hour_counter(request.user, young_person, enabled)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        name = young_person.user.get_full_name()
        if enabled:
            messages.success(request, f"Le compteur d'heures est maintenant affiché à {name}.")
        else:
            messages.success(request, f"Le compteur d'heures n'est plus affiché à {name}.")
    return redirect(_tab_url(young_person))


# --- creating an action for one or several young people ------------------------------------------


@counselor_required
def create(request):
    counselor = request.user.counselor
    young_people = (
        portfolio_of(counselor)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )
    initial = {"due_date": queries.today_in(counselor.structure)}
    if request.GET.get("beneficiaire"):
        # Checked only if it is one of the listed young people.
        initial["young_people"] = [request.GET["beneficiaire"]]
    form = ActionCreateForm(_posted(request), initial=initial, young_people=young_people)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            created = services.create_action_for_many(actor=request.user, **arguments)
        except ServiceError as error:
            _onto_form(form, error)
        else:
            count = len(created)
            messages.success(
                request,
                f"L'action « {created[0].title} » a été créée pour {count} "
                f"bénéficiaire{pluralize_fr(count)}.",
            )
            if count == 1:
                return redirect(_tab_url(created[0].young_person))
            return redirect("portfolio:index")
    return render(
        request,
        "actions/counselor/create.html",
        {"form": form, "active_section": "portfolio"},
        status=400 if form.errors else 200,
    )


# --- an action's page -----------------------------------------------------------------------------


def _qualifiable(action) -> bool:
    return action.status == ActionStatus.DONE and not action.is_qualified


def _render_detail(request, action, *, comment_form=None, qualify_form=None, status=200):
    if qualify_form is None and _qualifiable(action):
        qualify_form = QualifyForm(
            initial=QualifyForm.initial_for(
                action,
                DEFAULT_HOURS.get(action.category, 0),
                services.default_qualification_comment(action),
            )
        )
    return render(
        request,
        "actions/counselor/detail.html",
        {
            "action": action,
            "young_person": action.young_person,
            "time_zone": action.young_person.structure.time_zone,
            "late": action.is_late(local_today(action.young_person)),
            "status_error": status >= 400,
            "comments": action.comments.select_related("author"),
            "history": history_rows(action, request.user),
            "comment_form": comment_form or CommentForm(),
            "qualify_form": qualify_form if _qualifiable(action) else None,
            "editable": can_edit(request.user, action),
            "active_section": "portfolio",
        },
        status=status,
    )


@counselor_required
def detail(request, pk):
    return _render_detail(request, get_action_for_user(request.user, pk))


@counselor_required
@require_POST
def comment(request, pk):
    action = get_action_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(request.user, action, form.cleaned_data["body"])
        except ServiceError as error:
            _onto_form(form, error)
        else:
            messages.success(request, "Votre commentaire a été ajouté.")
            return redirect(_detail_url(action, "commentaires"))
    return _render_detail(request, action, comment_form=form, status=400)


@counselor_required
def edit(request, pk):
    action = get_action_for_user(request.user, pk)
    if not can_edit(request.user, action):
        messages.error(request, "Cette action est qualifiée : elle ne peut plus être modifiée.")
        return redirect(_detail_url(action))
    form = ActionEditForm(_posted(request), initial=ActionEditForm.initial_for(action))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ActionEditForm.FIELDS}
        try:
            services.update_action(request.user, action, **fields)
        except ServiceError as error:
            _onto_form(form, error)
        else:
            messages.success(request, "L'action a été modifiée.")
            return redirect(_detail_url(action))
    return render(
        request,
        "actions/counselor/edit.html",
        {
            "action": action,
            "young_person": action.young_person,
            "form": form,
            "active_section": "portfolio",
        },
        status=400 if form.errors else 200,
    )


@counselor_required
@require_POST
def qualify(request, pk):
    action = get_action_for_user(request.user, pk)
    form = QualifyForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if "comment" not in request.POST:
            data["comment"] = None  # the service's default comment
        try:
            services.qualify_action(request.user, action, **data)
        except ServiceError as error:
            if error.field not in form.fields:
                # The action's state refuses it (not done, already qualified): nothing typed
                # would help, the page tells why.
                messages.error(request, error.message)
                return redirect(_detail_url(action))
            _onto_form(form, error)
        else:
            messages.success(
                request,
                f"L'action « {action.title} » est qualifiée "
                f"({action.get_qualification_code_display()}, "
                f"{_hours_text(action.qualified_hours)}).",
            )
            return redirect(_detail_url(action))
    action.refresh_from_db()  # the failed attempt changed the instance, not the database
    return _render_detail(request, action, qualify_form=form, status=400)


def _hours_text(hours) -> str:
    return f"{floatformat(hours, -1)} heure{'s' if hours and hours >= 2 else ''}"


# --- Pilotage → Actions à qualifier ---------------------------------------------------------------


@counselor_required
def to_qualify(request):
    counselor = request.user.counselor
    selectable = Action.objects.filter(young_person__in=portfolio_of(counselor))
    form = BulkQualifyForm(_posted(request), actions=selectable)
    if request.method == "POST" and form.is_valid():
        selected = list(form.cleaned_data["actions"])
        try:
            qualified = services.qualify_actions(request.user, selected)
        except ServiceError as error:
            _onto_form(form, error)
        else:
            count = len(qualified)
            plural = pluralize_fr(count)
            messages.success(
                request, f"{count} action{plural} qualifiée{plural} avec les valeurs par défaut."
            )
            return redirect("actions_counselor:to_qualify")
    page = Paginator(queries.to_qualify(counselor), TO_QUALIFY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "actions/counselor/to_qualify.html",
        {
            "page": page,
            "form": form,
            "selected": set(request.POST.getlist("actions")),
            "active_section": "pilotage",
        },
        status=400 if form.errors else 200,
    )
