"""Writes on portfolios: reassignment (réaffectation) by a supervisor, take back, archiving.

What a counselor change moves, and what it leaves (docs/portfolio.md):
- the referent changes, the conversation follows the young person (it is theirs) with a system
  message, and a history row is written per young person;
- the young person's actions are theirs and stay as they are: the new referent sees and
  qualifies them;
- appointments keep the counselor who set them up (they host or cancel them) and collective
  registrations stay: a move never leaves the structure.
Archiving keeps every record; the account stops signing in (pages, API tokens, sockets).
"""

import uuid
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from passemploi.accounts.access import counselor_of
from passemploi.accounts.models import ApiToken, Counselor, User, YoungPerson
from passemploi.audit import services as audit
from passemploi.audit.models import AuditKind
from passemploi.chat.services import conversation_of, post_system_message
from passemploi.core.consumers import end_user_sockets
from passemploi.core.errors import ServiceError
from passemploi.core.events import publish
from passemploi.portfolio.enums import ArchiveReason, ReassignmentKind
from passemploi.portfolio.models import Archive, Reassignment

COMMENT_MAX_LENGTH = 250
NEW_COUNSELOR = "Vous avez un nouveau conseiller : {name}."
TEMPORARY_COUNSELOR = "Vous avez un conseiller temporaire : {name}."
BACK_TO_COUNSELOR = "Votre conseiller {name} vous suit de nouveau."


def require_supervisor(actor: User) -> Counselor:
    counselor = counselor_of(actor)
    if counselor is None or not counselor.is_supervisor:
        raise ServiceError("forbidden", "Réservé aux superviseurs de la structure.", status=403)
    return counselor


def _target_in(structure_id, target_id) -> Counselor:
    target = (
        Counselor.objects.select_related("user").filter(pk=target_id).first() if target_id else None
    )
    # A counselor of another structure and an unknown id get the same answer.
    if target is None or target.structure_id != structure_id:
        raise ServiceError(
            "invalid_target",
            "Choisissez un conseiller de votre structure.",
            "target_counselor_id",
        )
    return target


def _move(young_person, target, kind, actor, batch, client_id) -> Reassignment:
    source_id = young_person.counselor_id
    if kind == ReassignmentKind.TEMPORARY:
        # Lent again: the young person still goes back to their first counselor.
        young_person.initial_counselor_id = young_person.initial_counselor_id or source_id
        if young_person.initial_counselor_id == target.pk:  # lent back to them: a return
            young_person.initial_counselor_id = None
    else:
        young_person.initial_counselor_id = None
    young_person.counselor = target
    young_person.save(update_fields=["counselor", "initial_counselor"])
    row = Reassignment.objects.create(
        young_person=young_person,
        from_counselor_id=source_id,
        to_counselor=target,
        kind=kind,
        created_by=actor,
        batch=batch,
        client_id=client_id,
    )
    name = target.user.get_full_name()
    if kind == ReassignmentKind.TAKE_BACK:
        text = BACK_TO_COUNSELOR.format(name=name)
    elif young_person.is_temporary:
        text = TEMPORARY_COUNSELOR.format(name=name)
    else:
        text = NEW_COUNSELOR.format(name=name)
    post_system_message(conversation_of(young_person), text)
    audit.record(
        AuditKind.REASSIGNED,
        actor=actor,
        target=young_person,
        move=kind,
        from_counselor=str(row.from_counselor_id),
        to_counselor=str(target.pk),
    )
    return row


def _tell_moved(rows: list[Reassignment], counselors: set) -> None:
    for row in rows:
        publish(
            [row.young_person.user_id, *counselors],
            {
                "type": "young_person.reassigned",
                "young_person_id": str(row.young_person_id),
                "from_counselor_id": str(row.from_counselor_id),
                "to_counselor_id": str(row.to_counselor_id),
                "kind": row.kind,
            },
        )


def _existing_batch(actor: User, client_id) -> list[Reassignment] | None:
    if client_id is None:
        return None
    rows = list(
        Reassignment.objects.filter(created_by=actor, client_id=client_id).select_related(
            "young_person__user",
            "young_person__structure",
            "from_counselor__user",
            "to_counselor__user",
        )
    )
    return rows or None


def reassign(
    actor: User,
    young_person_ids,
    target_counselor_id,
    *,
    temporary: bool = False,
    client_id=None,
) -> tuple[list[Reassignment], bool]:
    """A supervisor moves young people of their structure to another counselor of it.

    Returns (history rows, created). A retried call with the same client id returns the rows of
    the first one. All or nothing: one refused young person and nobody moves."""
    supervisor = require_supervisor(actor)
    existing = _existing_batch(actor, client_id)
    if existing is not None:
        return existing, False
    ids = list(dict.fromkeys(str(pk) for pk in young_person_ids or []))
    if not ids:
        raise ServiceError(
            "young_people_required", "Choisissez au moins un bénéficiaire.", "young_person_ids"
        )
    target = _target_in(supervisor.structure_id, target_counselor_id)
    kind = ReassignmentKind.TEMPORARY if temporary else ReassignmentKind.DEFINITIVE
    try:
        with transaction.atomic():
            young_people = list(
                YoungPerson.objects.select_for_update(of=("self",))
                .select_related("user", "structure")
                .filter(pk__in=ids, structure_id=supervisor.structure_id, is_archived=False)
                .order_by("user__last_name", "user__first_name", "id")
            )
            if len(young_people) != len(ids):
                raise ServiceError(
                    "young_person_not_found",
                    "Un des bénéficiaires choisis n'existe pas ou n'est plus suivi.",
                    "young_person_ids",
                    status=404,
                )
            batch = uuid.uuid4()
            sources = {yp.counselor_id for yp in young_people}
            rows = []
            for young_person in young_people:
                if young_person.counselor_id == target.pk:
                    raise ServiceError(
                        "same_counselor",
                        f"{young_person.user.get_full_name()} est déjà suivi(e) par "
                        f"{target.user.get_full_name()}.",
                        "target_counselor_id",
                    )
                rows.append(_move(young_person, target, kind, actor, batch, client_id))
            counselor_users = Counselor.objects.filter(pk__in=sources | {target.pk}).values_list(
                "user_id", flat=True
            )
            _tell_moved(rows, set(counselor_users))
    except IntegrityError:
        # A concurrent retry with the same client id won the race.
        existing = _existing_batch(actor, client_id)
        if existing is None:
            raise
        return existing, False
    return rows, True


@transaction.atomic
def take_back(actor: User, young_person_ids=None) -> list[Reassignment]:
    """The initial counselor takes back young people lent temporarily (all of them by default)."""
    counselor = counselor_of(actor)
    if counselor is None:
        raise ServiceError("forbidden", "Réservé aux conseillers.", status=403)
    lent = (
        YoungPerson.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(initial_counselor=counselor, is_archived=False)
        .exclude(counselor=counselor)
        .order_by("user__last_name", "user__first_name", "id")
    )
    if young_person_ids is not None:
        lent = lent.filter(pk__in=list(young_person_ids))
    young_people = list(lent)
    batch = uuid.uuid4()
    sources = {yp.counselor_id for yp in young_people}
    rows = [
        _move(yp, counselor, ReassignmentKind.TAKE_BACK, actor, batch, None) for yp in young_people
    ]
    others = Counselor.objects.filter(pk__in=sources).values_list("user_id", flat=True)
    _tell_moved(rows, {counselor.user_id, *others})
    return rows


def lent_young_people(counselor: Counselor):
    """Young people temporarily followed by someone else, whom this counselor may take back."""
    return (
        YoungPerson.objects.filter(initial_counselor=counselor, is_archived=False)
        .exclude(counselor=counselor)
        .select_related("user", "counselor__user")
        .order_by("user__last_name", "user__first_name", "id")
    )


# --- archiving -----------------------------------------------------------------------------------


def _may_archive(actor: User, young_person: YoungPerson) -> None:
    """The referent (definitive or temporary) archives; so does a supervisor of the structure."""
    counselor = counselor_of(actor)
    if counselor is not None and (
        counselor.pk == young_person.counselor_id
        or (counselor.is_supervisor and counselor.structure_id == young_person.structure_id)
    ):
        return
    raise ServiceError(
        "forbidden", "Seul le conseiller du bénéficiaire peut l'archiver.", status=403
    )


def _end_sign_in(user: User) -> None:
    """The account can no longer sign in: sessions stop authenticating (inactive user), API tokens
    are revoked, open sockets are closed once the archive commits."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    transaction.on_commit(lambda: end_user_sockets(user.pk))


def _clean_archive(young_person, reason, end_date, comment) -> tuple[str, date, str]:
    if reason not in ArchiveReason.values:
        raise ServiceError("invalid_reason", "Choisissez un motif dans la liste.", "reason")
    comment = (comment or "").strip()
    if reason == ArchiveReason.OTHER and not comment:
        raise ServiceError(
            "comment_required", "Précisez le motif « Autre » dans le commentaire.", "comment"
        )
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ServiceError(
            "comment_too_long",
            f"Le commentaire ne doit pas dépasser {COMMENT_MAX_LENGTH} caractères.",
            "comment",
        )
    if not isinstance(end_date, date):
        raise ServiceError("end_date_required", "Indiquez la date de fin.", "end_date")
    if end_date < young_person.start_date:
        raise ServiceError(
            "end_date_before_start",
            "La date de fin ne peut pas précéder le début de l'accompagnement "
            f"({young_person.start_date:%d/%m/%Y}).",
            "end_date",
        )
    return reason, end_date, comment


def archive_young_person(
    actor: User,
    young_person: YoungPerson,
    *,
    reason: str,
    end_date: date | None,
    comment: str = "",
    client_id=None,
) -> tuple[Archive, bool]:
    """End the accompaniment. Returns (archive, created); a retry with the client id returns the
    first archive."""
    if client_id is not None:
        existing = Archive.objects.filter(archived_by=actor, client_id=client_id).first()
        if existing is not None:
            return existing, False
    _may_archive(actor, young_person)
    reason, end_date, comment = _clean_archive(young_person, reason, end_date, comment)
    try:
        with transaction.atomic():
            locked = YoungPerson.objects.select_for_update().get(pk=young_person.pk)
            if locked.is_archived:
                raise ServiceError(
                    "already_archived", "Ce bénéficiaire est déjà archivé.", status=409
                )
            archive = Archive.objects.create(
                young_person=locked,
                reason=reason,
                end_date=end_date,
                comment=comment,
                archived_by=actor,
                client_id=client_id,
            )
            # Archived: nobody lends or takes back any more.
            locked.is_archived = True
            locked.initial_counselor = None
            locked.save(update_fields=["is_archived", "initial_counselor"])
            young_person.is_archived, young_person.initial_counselor_id = True, None
            user = young_person.user
            _end_sign_in(user)
            if user.is_activated:
                _send_archive_email(user)
            publish(
                [locked.counselor.user_id],
                {"type": "young_person.archived", "young_person_id": str(locked.pk)},
            )
            audit.record(AuditKind.ARCHIVED, actor=actor, target=locked, reason=reason)
    except IntegrityError:
        if client_id is None:
            raise
        return Archive.objects.get(archived_by=actor, client_id=client_id), False
    return archive, True


def _send_archive_email(user: User) -> None:
    body = render_to_string("portfolio/emails/archived.txt", {"user": user})
    transaction.on_commit(
        lambda: send_mail(
            "Votre accompagnement Pass Emploi est terminé",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    )


@transaction.atomic
def unarchive_young_person(actor: User, young_person: YoungPerson) -> bool:
    """A supervisor of the structure brings an archived young person back to their last
    counselor's portfolio; they can sign in again. Not archived: nothing to do (False)."""
    supervisor = require_supervisor(actor)
    if supervisor.structure_id != young_person.structure_id:
        raise ServiceError("not_found", "Ce bénéficiaire n'existe pas.", status=404)
    locked = YoungPerson.objects.select_for_update().get(pk=young_person.pk)
    archive = Archive.objects.filter(young_person=locked, restored_at__isnull=True).first()
    if not locked.is_archived:
        return False
    if archive is not None:
        archive.restored_at, archive.restored_by = timezone.now(), actor
        archive.save(update_fields=["restored_at", "restored_by"])
    locked.is_archived = False
    locked.save(update_fields=["is_archived"])
    young_person.is_archived = False
    User.objects.filter(pk=locked.user_id).update(is_active=True)
    young_person.user.is_active = True
    audit.record(AuditKind.UNARCHIVED, actor=actor, target=locked)
    return True
