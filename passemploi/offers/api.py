"""Offers under /api/v1/offers: search over the local catalogue and detail."""

from ninja import Query, Router

from passemploi.accounts.schemas import ErrorOut
from passemploi.offers.access import get_offer
from passemploi.offers.criteria import build_criteria
from passemploi.offers.schemas import OfferDetailOut, OfferPage, OfferQuery
from passemploi.offers.search import search_offers
from passemploi.offers.serializers import offer_detail_out, offer_out

router = Router(tags=["Offres"])
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get(
    "/offers",
    response={200: OfferPage, **ERRORS},
    summary="Rechercher des offres",
    description=(
        "Emplois, alternances, immersions et missions de service civique : mots-clés (français, "
        "sans accents ni casse), commune et rayon ou département, filtres, tri par pertinence, "
        "date ou distance. Le total est plafonné à 1 000."
    ),
)
def list_offers(request, query: Query[OfferQuery]):
    criteria = build_criteria(
        q=query.q,
        commune=query.commune or "",
        radius_km=query.radius_km,
        departement=query.departement or "",
        kinds=[str(v) for v in query.kind],
        contract_types=[str(v) for v in query.contract_type],
        working_times=[str(v) for v in query.working_time],
        experiences=[str(v) for v in query.experience],
        published_within_days=query.published_within_days,
        domain=str(query.domain or ""),
        rome_code=query.rome_code or "",
        sort=str(query.sort),
        page_size=query.limit,
        offset=query.offset,
    )
    result = search_offers(criteria)
    next_url = None
    if result.has_next:
        params = request.GET.copy()
        params["offset"] = str(criteria.offset + criteria.page_size)
        params["limit"] = str(criteria.page_size)
        next_url = f"{request.path}?{params.urlencode()}"
    return {
        "items": [offer_out(o) for o in result.offers],
        "count": result.count,
        "count_capped": result.capped,
        "next": next_url,
    }


@router.get(
    "/offers/{int:offer_id}",
    response={200: OfferDetailOut, **ERRORS},
    summary="Consulter une offre",
    description="Le détail d'une offre non expirée, avec le lien pour postuler.",
)
def offer_detail(request, offer_id: int):
    return offer_detail_out(get_offer(offer_id, request.auth))
