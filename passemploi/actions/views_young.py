"""The young person's action pages under /app/: Mon suivi, the creation steps, an action."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from passemploi.accounts.access import young_person_required
from passemploi.actions import services
from passemploi.actions.access import can_edit, get_action_for_user
from passemploi.actions.counter import WEEKLY_TARGET, Week, hours_of, local_today
from passemploi.actions.enums import ActionCategory, ActionStatus, CreatorRole
from passemploi.actions.forms_young import (
    CategoryForm,
    CommentForm,
    DateForm,
    EditForm,
    TitleForm,
    no_description,
)
from passemploi.actions.history import history_rows
from passemploi.actions.nouns import noun_for
from passemploi.actions.timeline import parse_week, weeks
from passemploi.core.errors import ServiceError

CATEGORY_ICONS = {
    ActionCategory.EMPLOI: "fr-icon-briefcase-line",
    ActionCategory.FORMATION: "fr-icon-book-2-line",
    ActionCategory.PROJET_PROFESSIONNEL: "fr-icon-compass-3-line",
    ActionCategory.CULTURE_SPORT_LOISIRS: "fr-icon-palette-line",
    ActionCategory.CITOYENNETE: "fr-icon-government-line",
    ActionCategory.LOGEMENT: "fr-icon-home-4-line",
    ActionCategory.SANTE: "fr-icon-heart-pulse-line",
}
# Fields of each creation step; the others are carried along as hidden inputs.
STEP_FIELDS = {
    1: ("categorie",),
    2: ("suggestion", "titre", "description"),
    3: ("statut", "quand", "date", "dates", "client_id"),
}
STATE_FIELDS = [name for names in STEP_FIELDS.values() for name in names]


def _young_person(request):
    return request.user.young_person


def tracking_url(week: Week | None = None, action=None) -> str:
    url = reverse("youth:tracking")
    if week is not None:
        url += "?" + urlencode({"semaine": week.start.isoformat()})
    if action is not None:
        url += f"#action-{action.pk}"
    return url


# --- Mon suivi -----------------------------------------------------------------------------------


@young_person_required
def tracking(request):
    young_person = _young_person(request)
    today = local_today(young_person)
    first = parse_week(request.GET.get("semaine"), today)
    current = Week.of(today)
    hours = hours_of(young_person, first) if young_person.hour_counter_enabled else None
    timeline = weeks(young_person, first, today)
    label = timeline[0].label
    return render(
        request,
        "actions/young/tracking.html",
        {
            "active_tab": "tracking",
            "noun": noun_for(young_person),
            "weeks": timeline,
            "first": first,
            "is_current": first == current,
            "previous_url": tracking_url(first.shift(-1)),
            "next_url": tracking_url(first.shift(1)),
            "current_url": tracking_url(),
            "hours": hours,
            "target": WEEKLY_TARGET,
            "counter_title": f"Mes heures — {label[0].lower()}{label[1:]}",
        },
    )


# --- creation in three steps ---------------------------------------------------------------------


def _carried(data, step: int) -> list[tuple[str, str]]:
    """The other steps' fields, as (name, value) pairs for hidden inputs."""
    pairs = []
    for name in STATE_FIELDS:
        if name in STEP_FIELDS[step]:
            continue
        for value in data.getlist(name):
            if value != "":
                pairs.append((name, value))
    return pairs


def _initial(data, step: int) -> dict:
    initial = {"categorie": data.get("categorie", "")}
    for name in STEP_FIELDS[step]:
        initial[name] = data.getlist(name) if name == "dates" else data.get(name, "")
    return initial


def _render_step(request, step: int, form, data, status=200, title=""):
    young_person = _young_person(request)
    noun = noun_for(young_person)
    category = data.get("categorie", "")
    carried = _carried(data, step)
    context = {
        "step": step,
        "form": form,
        "noun": noun,
        "carried": carried,
        "category": category,
        "category_label": dict(ActionCategory.choices).get(category, ""),
        "categories": [
            (value, label, CATEGORY_ICONS[value]) for value, label in ActionCategory.choices
        ],
        # Step 1 from scratch is a plain link-like GET; with typed text to carry, a POST.
        "method": "get" if step == 1 and not carried else "post",
        "title": title,
        "description": data.get("description", "").strip() if step == 3 else "",
        "no_description": no_description(noun),
    }
    return render(request, "actions/young/create.html", context, status=status)


# Where each refusal of the services goes: (step, field of that step's form).
SERVICE_FIELDS = {"title": (2, "titre"), "category": (1, "categorie"), "status": (3, "statut")}


def _refused(request, error: ServiceError, form: DateForm, data):
    """A refusal of the services, shown on the step and the field it is about."""
    step, field = SERVICE_FIELDS.get(error.field, (3, None))
    if error.field == "due_date":
        batch = form.cleaned_data.get("batch")
        field = "date" if form.cleaned_data.get("date") else ("dates" if batch else "quand")
    target = form
    if step != 3:
        target = (CategoryForm if step == 1 else TitleForm)(data, noun=form.noun)
        target.is_valid()
    target.add_error(field, error.message)
    title = form.cleaned_data.get("title", "")
    return _render_step(request, step, target, data, status=400, title=title)


@young_person_required
def create(request):
    """Three steps: category, title, status and date. Step 1 to 2 by GET (or POST when text is
    carried back), then POSTs that each validate a step and render the next one; only the last
    saves. Every value typed travels in hidden inputs, so nothing is lost going back or on error.
    """
    young_person = _young_person(request)
    noun = noun_for(young_person)
    today = local_today(young_person)
    data = request.POST if request.method == "POST" else request.GET
    back = data.get("retour")
    if back in ("1", "2"):
        step = int(back)
        form_class = CategoryForm if step == 1 else TitleForm
        return _render_step(
            request, step, form_class(initial=_initial(data, step), noun=noun), data
        )
    if request.method == "GET" and "categorie" not in data:
        return _render_step(request, 1, CategoryForm(noun=noun), data)

    category_form = CategoryForm(data, noun=noun)
    if not category_form.is_valid():
        return _render_step(request, 1, category_form, data, status=400)
    submitted = data.get("etape") if request.method == "POST" else "1"
    if submitted not in ("2", "3"):
        return _render_step(request, 2, TitleForm(initial=_initial(data, 2), noun=noun), data)

    title_form = TitleForm(data, noun=noun)
    if not title_form.is_valid():
        return _render_step(request, 2, title_form, data, status=400)
    title = title_form.cleaned_data["title"]
    if submitted == "2":
        initial = {**_initial(data, 2), **_initial(data, 3)}
        initial["statut"] = initial["statut"] or ActionStatus.IN_PROGRESS
        initial["client_id"] = initial["client_id"] or uuid.uuid4()
        form = DateForm(initial=initial, noun=noun, today=today)
        return _render_step(request, 3, form, data, title=title)

    form = DateForm(data, noun=noun, today=today)
    if not form.is_valid():
        return _render_step(request, 3, form, data, status=400, title=title)
    fields = form.cleaned_data
    common = {
        "actor": request.user,
        "young_person": young_person,
        "title": fields["title"],
        "category": fields["categorie"],
        "status": fields["statut"],
        "description": fields["description"],
    }
    try:
        if fields["batch"]:
            created = services.create_actions_on_dates(
                dates=fields["due_dates"], client_id=fields["client_id"], **common
            )
        else:
            action, _ = services.create_action(
                due_date=fields["due_dates"][0], client_id=fields["client_id"], **common
            )
            created = [action]
    except ServiceError as error:
        return _refused(request, error, form, data)
    first = created[0]
    if len(created) == 1:
        messages.success(request, f"{noun.The} « {first.title} » est enregistrée.")
    else:
        messages.success(
            request, f"{len(created)} {noun.many} « {first.title} » sont enregistrées."
        )
    return redirect(tracking_url(Week.of(first.due_date), first))


# --- one action ----------------------------------------------------------------------------------


def _action_context(request, action, comment_form=None):
    young_person = action.young_person
    noun = noun_for(young_person)
    return {
        "action": action,
        "noun": noun,
        "is_late": action.is_late(local_today(young_person)),
        "can_edit": can_edit(request.user, action),
        "by_counselor": action.creator_role == CreatorRole.COUNSELOR,
        "status_choices": [
            (value, label) for value, label in ActionStatus.choices if value != action.status
        ],
        "comments": action.comments.select_related("author").order_by("created_at", "pk"),
        "comment_form": comment_form or CommentForm(),
        "history": history_rows(action, request.user),
        "no_description": no_description(noun),
        "back_url": tracking_url(Week.of(action.due_date), action),
    }


@young_person_required
def detail(request, pk):
    """The action, its status buttons, comments and history; POST adds a comment."""
    action = get_action_for_user(request.user, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_comment(request.user, action, form.cleaned_data["body"])
        except ServiceError as error:
            form.add_error("body" if error.field == "body" else None, error.message)
        else:
            messages.success(request, "Votre message est envoyé.")
            return redirect(reverse("actions_young:detail", args=[action.pk]) + "#commentaires")
    return render(
        request,
        "actions/young/detail.html",
        _action_context(request, action, form if request.method == "POST" else None),
        status=400 if form.errors else 200,
    )


def _refusal(request, action) -> str | None:
    """Why this young person may not edit, duplicate or delete this action, if they may not."""
    noun = noun_for(action.young_person)
    if action.is_qualified:
        return f"Cette {noun.one} est qualifiée : elle ne peut plus être modifiée."
    if not can_edit(request.user, action):
        return f"Vous ne pouvez modifier que les {noun.many} que vous avez créées."
    return None


def _to_detail(action):
    return redirect("actions_young:detail", pk=action.pk)


@young_person_required
def edit(request, pk):
    action = get_action_for_user(request.user, pk)
    noun = noun_for(action.young_person)
    refusal = _refusal(request, action)
    if refusal:
        messages.error(request, refusal)
        return _to_detail(action)
    initial = {
        "title": action.title,
        "description": action.description,
        "category": action.category,
        "due_date": action.due_date,
        "reminder": action.reminder,
    }
    form = EditForm(request.POST or None, initial=initial, noun=noun)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(request.user, action, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Vos modifications sont enregistrées.")
            return _to_detail(action)
    return render(
        request,
        "actions/young/edit.html",
        {"action": action, "form": form, "noun": noun},
        status=400 if form.errors else 200,
    )


@young_person_required
@require_POST
def change_status(request, pk):
    action = get_action_for_user(request.user, pk)
    try:
        services.change_status(request.user, action, request.POST.get("statut"))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Statut mis à jour : {action.get_status_display()}.")
    return _to_detail(action)


@young_person_required
@require_POST
def duplicate(request, pk):
    action = get_action_for_user(request.user, pk)
    noun = noun_for(action.young_person)
    try:
        copy = services.duplicate_action(request.user, action)
    except ServiceError as error:
        messages.error(request, _refusal(request, action) or error.message)
        return _to_detail(action)
    messages.success(request, f"{noun.The} est dupliquée pour aujourd'hui.")
    return _to_detail(copy)


@young_person_required
def delete(request, pk):
    """GET: the confirmation step; POST: deletion."""
    action = get_action_for_user(request.user, pk)
    noun = noun_for(action.young_person)
    refusal = _refusal(request, action)
    if refusal:
        messages.error(request, refusal)
        return _to_detail(action)
    if request.method == "POST":
        week = Week.of(action.due_date)
        title = action.title
        try:
            services.delete_action(request.user, action)
        except ServiceError as error:
            messages.error(request, error.message)
            return _to_detail(action)
        messages.success(request, f"{noun.The} « {title} » est supprimée.")
        return redirect(tracking_url(week))
    return render(request, "actions/young/delete.html", {"action": action, "noun": noun})
