"""Offers as API dictionaries."""

from passemploi.offers.models import Offer


def offer_out(offer: Offer) -> dict:
    distance = getattr(offer, "distance", None)
    commune = offer.commune
    return {
        "id": offer.pk,
        "kind": offer.kind,
        "kind_label": offer.get_kind_display(),
        "title": offer.title,
        "company": offer.company,
        "contract_type": offer.contract_type,
        "contract_type_label": offer.get_contract_type_display(),
        "working_time": offer.working_time,
        "working_time_label": offer.get_working_time_display(),
        "experience": offer.experience,
        "experience_label": offer.get_experience_display(),
        "place_label": offer.place_label,
        "commune": (
            {"insee": commune.insee, "name": commune.name, "departement": commune.departement}
            if commune
            else None
        ),
        "latitude": offer.latitude,
        "longitude": offer.longitude,
        "distance_km": round(distance, 1) if distance is not None else None,
        "published_at": offer.published_at,
        "expires_at": offer.expires_at,
    }


def offer_detail_out(offer: Offer) -> dict:
    data = offer_out(offer)
    data.update(
        {
            field: getattr(offer, field)
            for field in (
                "description",
                "duration",
                "salary",
                "qualifications",
                "rome_code",
                "apply_url",
                "source",
                "source_id",
                "establishment",
                "sector",
                "contact_mode",
                "domain",
                "start_date",
            )
        }
    )
    data["domain_label"] = offer.get_domain_display() if offer.domain else ""
    return data
