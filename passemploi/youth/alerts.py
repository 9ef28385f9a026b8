"""The young person's offer alerts, when the offers app provides them (passemploi/offers)."""

try:
    from passemploi.offers.models_alerts import Alert
except ImportError:  # alerts not built (yet): Accueil and the export show none
    Alert = None


def alerts_of(young_person, limit: int | None = None) -> list:
    if Alert is None:
        return []
    alerts = Alert.objects.filter(young_person=young_person).order_by("-created_at")
    return list(alerts[:limit] if limit else alerts)
