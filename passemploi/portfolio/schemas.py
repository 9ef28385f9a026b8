import datetime
import uuid

from ninja import Field, Schema

from passemploi.core.schemas import IsoDate
from passemploi.portfolio.enums import ArchiveReason, ReassignmentKind


class CounselorRefOut(Schema):
    id: uuid.UUID = Field(..., description="Identifiant du conseiller")
    first_name: str
    last_name: str


class ReassignmentIn(Schema):
    young_person_ids: list[uuid.UUID] = Field(
        ..., min_length=1, max_length=500, description="Bénéficiaires à réaffecter"
    )
    target_counselor_id: uuid.UUID = Field(..., description="Nouveau conseiller, de la structure")
    temporary: bool = Field(
        False, description="Temporaire : le conseiller d'origine pourra reprendre le bénéficiaire"
    )
    client_id: uuid.UUID | None = Field(
        None, description="Identifiant choisi par le client : un envoi répété ne refait rien"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "young_person_ids": ["5d3c1b2a-9e8f-4a7b-8c6d-1e2f3a4b5c6d"],
                    "target_counselor_id": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
                    "temporary": True,
                    "client_id": "0b7f3f5e-2a51-4c7e-9d61-3f0a6c1d2e4b",
                }
            ]
        }
    }


class TakeBackIn(Schema):
    young_person_ids: list[uuid.UUID] | None = Field(
        None, description="Bénéficiaires à reprendre ; tous ceux confiés temporairement si absent"
    )


class ReassignmentOut(Schema):
    id: uuid.UUID
    young_person_id: uuid.UUID
    from_counselor: CounselorRefOut
    to_counselor: CounselorRefOut
    kind: ReassignmentKind = Field(..., examples=["temporary"])
    kind_label: str = Field(..., examples=["Temporaire"])
    created_at: datetime.datetime


class ReassignmentList(Schema):
    items: list[ReassignmentOut]
    count: int


class ArchiveIn(Schema):
    young_person_id: uuid.UUID
    reason: ArchiveReason = Field(..., examples=["lasting_job"])
    end_date: IsoDate = Field(..., examples=["2026-06-30"])
    comment: str = Field("", max_length=250, description="Obligatoire pour le motif « other »")
    client_id: uuid.UUID | None = None


class ArchiveOut(Schema):
    id: uuid.UUID
    young_person_id: uuid.UUID
    reason: ArchiveReason
    reason_label: str = Field(..., examples=["Emploi durable (plus de 6 mois)"])
    positive: bool = Field(..., description="Sortie positive (mesures d'impact)")
    end_date: datetime.date
    comment: str
    archived_at: datetime.datetime
    restored_at: datetime.datetime | None


class RestoreOut(Schema):
    young_person_id: uuid.UUID
    restored: bool = Field(..., description="Faux si le bénéficiaire n'était pas archivé")
