"""Reassignment (supervisors) and archiving (counselors) in the API: thin over services."""

import uuid

from ninja import Router, Status

from passemploi.accounts.access import get_young_person_for_user
from passemploi.accounts.schemas import ErrorOut
from passemploi.core.api_support import counselor_caller, local_time
from passemploi.portfolio import services
from passemploi.portfolio.models import Archive, Reassignment
from passemploi.portfolio.schemas import (
    ArchiveIn,
    ArchiveOut,
    ReassignmentIn,
    ReassignmentList,
    RestoreOut,
    TakeBackIn,
)

router = Router(tags=["Portefeuille"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, **ERRORS}


def _person(counselor) -> dict:
    user = counselor.user
    return {"id": counselor.pk, "first_name": user.first_name, "last_name": user.last_name}


def reassignment_out(row: Reassignment) -> dict:
    return {
        "id": row.pk,
        "young_person_id": row.young_person_id,
        "from_counselor": _person(row.from_counselor),
        "to_counselor": _person(row.to_counselor),
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "created_at": local_time(row.created_at, row.young_person),
    }


def _page(rows) -> dict:
    items = [reassignment_out(row) for row in rows]
    return {"items": items, "count": len(items)}


def archive_out(archive: Archive) -> dict:
    young_person = archive.young_person
    return {
        "id": archive.pk,
        "young_person_id": archive.young_person_id,
        "reason": archive.reason,
        "reason_label": archive.get_reason_display(),
        "positive": archive.is_positive,
        "end_date": archive.end_date,
        "comment": archive.comment,
        "archived_at": local_time(archive.archived_at, young_person),
        "restored_at": local_time(archive.restored_at, young_person)
        if archive.restored_at
        else None,
    }


@router.post(
    "/reassignments",
    response={200: ReassignmentList, 201: ReassignmentList, **WRITE_ERRORS},
    summary="Réaffecter des bénéficiaires",
    description=(
        "Un superviseur confie des bénéficiaires de sa structure à un autre conseiller de la "
        "structure, définitivement ou temporairement ; tout ou rien. Renvoie 201, ou 200 avec "
        "la première réponse si `client_id` a déjà servi."
    ),
)
def create_reassignment(request, payload: ReassignmentIn):
    user = counselor_caller(request)
    rows, created = services.reassign(
        user,
        payload.young_person_ids,
        payload.target_counselor_id,
        temporary=payload.temporary,
        client_id=payload.client_id,
    )
    return Status(201 if created else 200, _page(rows))


@router.post(
    "/reassignments/take-back",
    response={200: ReassignmentList, **WRITE_ERRORS},
    summary="Reprendre ses bénéficiaires",
    description=(
        "Le conseiller d'origine reprend les bénéficiaires confiés temporairement (tous, ou "
        "ceux listés). Rejouer l'appel ne refait rien."
    ),
)
def take_back(request, payload: TakeBackIn):
    user = counselor_caller(request)
    return _page(services.take_back(user, payload.young_person_ids))


@router.get(
    "/young-people/{uuid:young_person_id}/reassignments",
    response={200: ReassignmentList, **ERRORS},
    summary="Historique des conseillers d'un bénéficiaire",
    description="Chaque changement de conseiller, du plus ancien au plus récent.",
)
def list_reassignments(request, young_person_id: uuid.UUID):
    user = counselor_caller(request)
    young_person = get_young_person_for_user(user, young_person_id)
    rows = Reassignment.objects.filter(young_person=young_person).select_related(
        "young_person__structure", "from_counselor__user", "to_counselor__user"
    )
    return _page(rows)


@router.post(
    "/archives",
    response={200: ArchiveOut, 201: ArchiveOut, **WRITE_ERRORS},
    summary="Archiver un bénéficiaire",
    description=(
        "Met fin à l'accompagnement avec un motif et une date : le bénéficiaire ne peut plus se "
        "connecter (jetons révoqués), son dossier est conservé. 200 si `client_id` a déjà servi."
    ),
)
def create_archive(request, payload: ArchiveIn):
    user = counselor_caller(request)
    young_person = get_young_person_for_user(user, payload.young_person_id)
    archive, created = services.archive_young_person(
        user,
        young_person,
        reason=payload.reason,
        end_date=payload.end_date,
        comment=payload.comment,
        client_id=payload.client_id,
    )
    return Status(201 if created else 200, archive_out(archive))


@router.post(
    "/archives/{uuid:young_person_id}/restore",
    response={200: RestoreOut, **WRITE_ERRORS},
    summary="Désarchiver un bénéficiaire",
    description=(
        "Un superviseur rend le bénéficiaire à son dernier conseiller ; il peut de nouveau se "
        "connecter. Sans effet s'il n'est pas archivé."
    ),
)
def restore_archive(request, young_person_id: uuid.UUID):
    user = counselor_caller(request)
    services.require_supervisor(user)
    young_person = get_young_person_for_user(user, young_person_id)
    restored = services.unarchive_young_person(user, young_person)
    return {"young_person_id": young_person.pk, "restored": restored}
