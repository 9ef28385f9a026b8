"""The communes autocomplete under /api/v1/communes (any signed-in account)."""

from ninja import Field, Query, Router, Schema

from passemploi.accounts.schemas import ErrorOut
from passemploi.geo.search import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY, autocomplete

router = Router(tags=["Communes"])


class CommuneOut(Schema):
    insee: str = Field(..., examples=["69123"])
    name: str = Field(..., examples=["Lyon"])
    label: str = Field(..., description="Libellé à afficher et à renvoyer", examples=["Lyon (69)"])
    postal_codes: list[str] = Field(..., examples=[["69001", "69002"]])
    departement: str = Field(..., examples=["69"])
    region: str = Field(..., examples=["84"])
    population: int = Field(..., examples=[522250])
    latitude: float | None = Field(None, examples=[45.7676])
    longitude: float | None = Field(None, examples=[4.8344])


class CommuneList(Schema):
    items: list[CommuneOut]
    count: int


class CommuneQuery(Schema):
    q: str = Field(
        "", max_length=MAX_QUERY, description="Début du nom (sans accents), du code postal ou INSEE"
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def commune_out(commune) -> dict:
    return {
        "insee": commune.insee,
        "name": commune.name,
        "label": commune.label,
        "postal_codes": commune.postal_code_list,
        "departement": commune.departement,
        "region": commune.region,
        "population": commune.population,
        "latitude": commune.latitude,
        "longitude": commune.longitude,
    }


@router.get(
    "/communes",
    response={200: CommuneList, 401: ErrorOut, 422: ErrorOut},
    summary="Rechercher une commune",
    description=(
        "Autocomplétion des communes françaises (outre-mer compris) par début de nom, insensible "
        "aux accents et à la casse, ou par code postal ou INSEE ; les plus peuplées d'abord."
    ),
)
def list_communes(request, query: Query[CommuneQuery]):
    items = [commune_out(c) for c in autocomplete(query.q, query.limit)]
    return {"items": items, "count": len(items)}
