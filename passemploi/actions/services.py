"""Writes on actions: create, edit, status, comments, qualification. Each records history."""

import calendar
import uuid
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from passemploi.accounts.access import young_person_of
from passemploi.accounts.models import User, YoungPerson
from passemploi.actions.access import can_edit
from passemploi.actions.counter import local_today
from passemploi.actions.enums import (
    DEFAULT_HOURS,
    ActionCategory,
    ActionStatus,
    CreatorRole,
    QualificationCode,
)
from passemploi.actions.models import TITLE_MAX, Action, ActionComment, ActionHistory
from passemploi.core.errors import ServiceError
from passemploi.core.events import publish

MAX_HORIZON = timedelta(days=730)  # due dates at most two years away
COMMENT_MAX = 2000
QUALIFICATION_COMMENT_MAX = 255
MAX_HOURS = Decimal("99.9")
STALE_AFTER_MONTHS = 4
EDITABLE_FIELDS = ("title", "description", "category", "due_date", "start_date", "reminder")


def _err(code, message, field=None, status=400):
    return ServiceError(code, message, field, status=status)


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _display_field(name: str, value) -> str:
    if name == "category" and value in ActionCategory.values:
        return ActionCategory(value).label
    return _display(value)


def _record(action, actor, event, changes=None):
    ActionHistory.objects.create(action=action, actor=actor, event=event, changes=changes or {})


def _tell(action, event):
    """Announce the change (sockets; notifications plan the J-3 reminder, notify new ones)."""
    publish(
        [action.young_person.user_id],
        {"type": f"action.{event}", "action_id": str(action.pk)},
    )


def _clean_title(title) -> str:
    title = (title or "").strip()
    if not title:
        raise _err("title_required", "Le titre de l'action est obligatoire.", "title")
    if len(title) > TITLE_MAX:
        raise _err(
            "title_too_long", f"Le titre ne doit pas dépasser {TITLE_MAX} caractères.", "title"
        )
    return title


def _clean_category(category) -> str:
    if category not in ActionCategory.values:
        raise _err("invalid_category", "Choisissez une catégorie dans la liste.", "category")
    return category


def _clean_status(status) -> str:
    if status not in ActionStatus.values:
        raise _err("invalid_status", "Ce statut n'existe pas.", "status")
    return status


def _clean_due_date(due_date, today: date) -> date:
    if not isinstance(due_date, date):
        raise _err("due_date_required", "La date de l'action est obligatoire.", "due_date")
    if abs(due_date - today) > MAX_HORIZON:
        raise _err(
            "due_date_out_of_range",
            "La date doit être à moins de deux ans d'aujourd'hui.",
            "due_date",
        )
    return due_date


def _creator_role(actor: User, young_person: YoungPerson) -> str:
    own = young_person_of(actor)
    if own is not None:
        if own.pk != young_person.pk:
            raise _err("not_found", "Cette ressource n'existe pas.", status=404)
        return CreatorRole.YOUNG_PERSON
    return CreatorRole.COUNSELOR


def _apply_status_dates(action: Action, status: str, today: date) -> None:
    if status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE) and action.start_date is None:
        action.start_date = min(today, action.due_date) if status == ActionStatus.DONE else today
    if status == ActionStatus.DONE:
        action.end_date = action.end_date or today
    else:
        action.end_date = None


@transaction.atomic
def create_action(
    *,
    actor: User,
    young_person: YoungPerson,
    title: str,
    category: str,
    due_date: date,
    status: str = ActionStatus.NOT_STARTED,
    description: str = "",
    reminder: bool = True,
    client_id: uuid.UUID | None = None,
) -> tuple[Action, bool]:
    """Create one action; with a client_id already used by this actor, return the first one."""
    if client_id is not None:
        existing = Action.objects.filter(created_by=actor, client_id=client_id).first()
        if existing is not None:
            return existing, False
    today = local_today(young_person)
    action = Action(
        young_person=young_person,
        title=_clean_title(title),
        description=(description or "").strip(),
        category=_clean_category(category),
        status=_clean_status(status),
        due_date=_clean_due_date(due_date, today),
        reminder=reminder,
        created_by=actor,
        creator_role=_creator_role(actor, young_person),
        client_id=client_id,
    )
    if status == ActionStatus.DONE:
        # Logged after the fact: it was done on its date, not today.
        action.end_date = min(action.due_date, today)
    _apply_status_dates(action, status, today)
    try:
        with transaction.atomic():
            action.save()
    except IntegrityError:
        # A concurrent retry with the same client_id won the race.
        return Action.objects.get(created_by=actor, client_id=client_id), False
    _record(action, actor, "created", {"status": ["", action.get_status_display()]})
    _tell(action, "created")
    return action, True


def item_client_id(client_id, item) -> uuid.UUID | None:
    """One client_id per action of a batch (the idempotency key is unique per author), derived
    from the request's so a retried batch returns the same actions."""
    return None if client_id is None else uuid.uuid5(uuid.UUID(str(client_id)), str(item))


@transaction.atomic
def create_actions_on_dates(*, dates: list[date], **fields) -> list[Action]:
    """A suggestion done on several days at once (e.g. "Faire du sport" three times)."""
    unique = sorted(set(dates))
    if not unique:
        raise _err("due_date_required", "Choisissez au moins une date.", "due_date")
    if len(unique) > 14:
        raise _err("too_many_dates", "Choisissez au plus 14 dates.", "due_date")
    client_id = fields.pop("client_id", None)
    return [
        create_action(due_date=day, client_id=item_client_id(client_id, day), **fields)[0]
        for day in unique
    ]


@transaction.atomic
def create_action_for_many(*, actor: User, young_people: list[YoungPerson], **fields) -> list:
    """A counselor gives the same action to several young people."""
    if not young_people:
        raise _err("young_people_required", "Choisissez au moins un bénéficiaire.", "young_people")
    client_id = fields.pop("client_id", None)
    return [
        create_action(
            actor=actor, young_person=yp, client_id=item_client_id(client_id, yp.pk), **fields
        )[0]
        for yp in young_people
    ]


def _refuse_if_locked(actor, action):
    if action.is_qualified:
        raise _err(
            "action_qualified",
            "Cette action est qualifiée : elle ne peut plus être modifiée.",
            status=409,
        )
    if not can_edit(actor, action):
        raise _err(
            "not_allowed",
            "Vous ne pouvez modifier que les actions que vous avez créées.",
            status=403,
        )


@transaction.atomic
def update_action(actor: User, action: Action, **fields) -> Action:
    _refuse_if_locked(actor, action)
    today = local_today(action.young_person)
    cleaners = {
        "title": _clean_title,
        "category": _clean_category,
        "due_date": lambda v: _clean_due_date(v, today),
        "description": lambda v: (v or "").strip(),
        "start_date": lambda v: v,
        "reminder": bool,
    }
    changes = {}
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise _err("unknown_field", f"Champ non modifiable : {name}.", name)
        value = cleaners[name](value)
        old = getattr(action, name)
        if old != value:
            changes[name] = [_display_field(name, old), _display_field(name, value)]
            setattr(action, name, value)
    if changes:
        action.save()
        _record(action, actor, "updated", changes)
        _tell(action, "updated")
    return action


@transaction.atomic
def change_status(actor: User, action: Action, status: str) -> Action:
    if action.is_qualified:
        raise _err(
            "action_qualified",
            "Cette action est qualifiée : son statut ne peut plus changer.",
            status=409,
        )
    status = _clean_status(status)
    if status == action.status:
        return action
    old_label = action.get_status_display()
    _apply_status_dates(action, status, local_today(action.young_person))
    action.status = status
    action.save()
    _record(action, actor, "status", {"status": [old_label, action.get_status_display()]})
    _tell(action, "updated")
    return action


@transaction.atomic
def duplicate_action(actor: User, action: Action) -> Action:
    if young_person_of(actor) is not None and not can_edit(actor, action):
        raise _err("not_allowed", "Vous ne pouvez dupliquer que vos propres actions.", status=403)
    copy, _ = create_action(
        actor=actor,
        young_person=action.young_person,
        title=action.title,
        category=action.category,
        description=action.description,
        due_date=local_today(action.young_person),
        reminder=action.reminder,
    )
    return copy


@transaction.atomic
def delete_action(actor: User, action: Action) -> None:
    _refuse_if_locked(actor, action)
    action.delete()


@transaction.atomic
def add_comment(actor: User, action: Action, body: str) -> ActionComment:
    body = (body or "").strip()
    if not body:
        raise _err("comment_required", "Le commentaire est vide.", "body")
    if len(body) > COMMENT_MAX:
        raise _err(
            "comment_too_long",
            f"Le commentaire ne doit pas dépasser {COMMENT_MAX} caractères.",
            "body",
        )
    return ActionComment.objects.create(action=action, author=actor, body=body)


def default_qualification_comment(action: Action) -> str:
    text = action.title
    if action.description:
        text = f"{text} - {action.description}"
    return text[:QUALIFICATION_COMMENT_MAX]


def _clean_hours(hours, code) -> Decimal:
    if code == QualificationCode.NON_SNP:
        return Decimal(0)
    if hours is None or hours == "":
        return DEFAULT_HOURS[code]
    try:
        value = Decimal(str(hours))
    except InvalidOperation as exc:
        raise _err("invalid_hours", "Saisissez un nombre d'heures valide.", "hours") from exc
    if (
        not value.is_finite()
        or value < 0
        or value > MAX_HOURS
        or value != value.quantize(Decimal("0.1"))
    ):
        raise _err(
            "invalid_hours",
            "Le nombre d'heures doit être compris entre 0 et 99,9 (une décimale au plus).",
            "hours",
        )
    return value


@transaction.atomic
def qualify_action(
    actor: User,
    action: Action,
    *,
    code: str | None = None,
    hours=None,
    start_date: date | None = None,
    end_date: date | None = None,
    comment: str | None = None,
) -> Action:
    """A counselor validates a done action as an SNP: it then counts as validated hours and
    can no longer change."""
    if young_person_of(actor) is not None:
        raise _err("not_allowed", "Seul un conseiller peut qualifier une action.", status=403)
    if action.is_qualified:
        raise _err("action_qualified", "Cette action est déjà qualifiée.", status=409)
    if action.status != ActionStatus.DONE:
        raise _err(
            "action_not_done",
            f"« {action.title} » n'est pas terminée : seules les actions terminées se qualifient.",
            status=409,
        )
    code = code or action.category
    if code not in QualificationCode.values:
        raise _err("invalid_code", "Choisissez un code de qualification dans la liste.", "code")
    start_date = start_date or action.start_date or action.end_date
    end_date = end_date or action.end_date
    if start_date and end_date and end_date < start_date:
        raise _err("invalid_dates", "La date de fin doit suivre la date de début.", "end_date")
    comment = default_qualification_comment(action) if comment is None else comment.strip()
    if len(comment) > QUALIFICATION_COMMENT_MAX:
        raise _err(
            "comment_too_long",
            f"Le commentaire ne doit pas dépasser {QUALIFICATION_COMMENT_MAX} caractères.",
            "comment",
        )
    action.qualification_code = code
    action.qualified_hours = _clean_hours(hours, code)
    action.qualification_comment = comment
    action.start_date, action.end_date = start_date, end_date
    action.qualified_by = actor
    action.qualified_at = timezone.now()
    action.save()
    _record(
        action,
        actor,
        "qualified",
        {
            "qualification_code": ["", action.get_qualification_code_display()],
            "qualified_hours": ["", _display(action.qualified_hours)],
        },
    )
    return action


@transaction.atomic
def qualify_actions(actor: User, actions: list[Action], code: str | None = None) -> list[Action]:
    """Bulk qualification with each action's defaults: all or nothing."""
    if not actions:
        raise _err("actions_required", "Sélectionnez au moins une action.", "actions")
    return [qualify_action(actor, action, code=code) for action in actions]


def months_ago(moment, months: int):
    """The same wall-clock moment `months` calendar months earlier (day clamped to the month)."""
    year, month = divmod(moment.month - 1 - months, 12)
    year += moment.year
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@transaction.atomic
def autoqualify_stale_actions(now=None) -> int:
    """Nightly: actions still in progress four months after creation become NON_SNP (0 h)."""
    now = now or timezone.now()
    stale = Action.objects.filter(
        status=ActionStatus.IN_PROGRESS,
        qualified_at__isnull=True,
        created_at__lt=months_ago(now, STALE_AFTER_MONTHS),
    )
    ids = list(stale.select_for_update().values_list("id", flat=True))
    Action.objects.filter(pk__in=ids).update(
        qualification_code=QualificationCode.NON_SNP,
        qualified_hours=Decimal(0),
        qualification_comment="Qualifiée automatiquement : en cours depuis plus de 4 mois.",
        qualified_at=now,
        updated_at=now,  # .update() skips auto_now
    )
    ActionHistory.objects.bulk_create(
        ActionHistory(
            action_id=pk,
            actor=None,
            at=now,
            event="auto_qualified",
            changes={"qualification_code": ["", QualificationCode.NON_SNP.label]},
        )
        for pk in ids
    )
    return len(ids)
