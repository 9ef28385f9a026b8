import datetime
import uuid

from ninja import Field, Schema


class TokenIn(Schema):
    email: str = Field(..., examples=["jeune@demo.passemploi.fr"])
    password: str = Field(..., examples=["passemploi-demo"])
    otp_code: str | None = Field(
        None,
        description="Code de l'application d'authentification, pour un compte qui a activé "
        "la double authentification.",
    )


class RefreshIn(Schema):
    refresh_token: str = Field(..., min_length=1)


class RevokeIn(Schema):
    token: str = Field(..., min_length=1, description="Jeton d'accès ou de rafraîchissement")


class TokenOut(Schema):
    access_token: str
    refresh_token: str
    token_type: str = Field(..., examples=["Bearer"])
    expires_in: int = Field(..., description="Durée de validité du jeton d'accès, en secondes")
    refresh_expires_in: int


class RevokeOut(Schema):
    revoked: bool


class ErrorOut(Schema):
    code: str = Field(..., examples=["invalid_credentials"])
    message: str = Field(..., examples=["Adresse e-mail ou mot de passe incorrect."])
    fields: dict[str, list[str]] = Field(default_factory=dict)


class StructureOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    kind_label: str
    code: str
    departement: str
    time_zone: str


class PersonOut(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str
    email: str


class YoungPersonProfileOut(Schema):
    id: uuid.UUID
    scheme: str
    scheme_label: str
    partner_id: str
    start_date: datetime.date
    planned_end_date: datetime.date | None
    terms_accepted: bool
    terms_version: str
    counselor: PersonOut


class CounselorProfileOut(Schema):
    id: uuid.UUID
    is_supervisor: bool


class MeOut(Schema):
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    role: str = Field(..., examples=["young_person"])
    role_label: str = Field(..., examples=["Bénéficiaire"])
    structure: StructureOut | None
    young_person: YoungPersonProfileOut | None
    counselor: CounselorProfileOut | None
