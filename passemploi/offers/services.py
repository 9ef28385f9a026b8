"""Alerts (saved searches), the searches counselors suggest, and the daily jobs of the offers.

The notifications schedule calls ``run_alerts`` (every day at 9:00) and can call
``remove_expired_offers`` (nightly); both are idempotent."""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from passemploi.accounts.access import counselor_of, get_young_person_for_user, young_person_of
from passemploi.core.errors import ServiceError
from passemploi.core.events import publish
from passemploi.offers.criteria import MAX_REACHABLE, Criteria, build_criteria
from passemploi.offers.enums import ContractType, Experience, OfferKind, SuggestionStatus
from passemploi.offers.maintenance import remove_expired_offers
from passemploi.offers.models import Alert, AlertSuggestion
from passemploi.offers.models_alerts import NAME_MAX
from passemploi.offers.search import filtered_offers

__all__ = ["remove_expired_offers", "run_alerts"]

# The stored form of a search: build_criteria's arguments, without sort and paging.
CRITERIA_KEYS = (
    "q",
    "commune",
    "radius_km",
    "departement",
    "kinds",
    "contract_types",
    "working_times",
    "experiences",
    "domain",
    "rome_code",
)
LIST_KEYS = ("kinds", "contract_types", "working_times", "experiences")
MAX_ALERTS = 20
RUN_BATCH = 500


def _young(user):
    young_person = young_person_of(user)
    if young_person is None:
        raise ServiceError("forbidden", "Réservé aux bénéficiaires.", status=403)
    return young_person


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("name_required", "Donnez un nom à l'alerte.", "name", status=422)
    if len(name) > NAME_MAX:
        raise ServiceError(
            "name_too_long", f"Le nom ne doit pas dépasser {NAME_MAX} caractères.", "name", 422
        )
    return name


def _has_criteria(criteria: Criteria) -> bool:
    return bool(
        criteria.terms
        or criteria.commune
        or criteria.departement
        or criteria.kinds
        or criteria.contract_types
        or criteria.working_times
        or criteria.experiences
        or criteria.domain
        or criteria.rome_code
    )


def store_criteria(values: dict) -> tuple[dict, str]:
    """(stored criteria, French summary) of a search; an unknown value raises the search's own
    error, a search without any criterion ``empty_criteria``."""
    raw = {key: values.get(key) for key in CRITERIA_KEYS if values.get(key) not in (None, "", [])}
    criteria = build_criteria(**raw)
    if not _has_criteria(criteria):
        raise ServiceError(
            "empty_criteria",
            "Choisissez au moins un critère (mots-clés, lieu ou filtre) pour créer une alerte.",
            "q",
            status=422,
        )
    stored = {}
    if criteria.terms:
        stored["q"] = " ".join((values.get("q") or "").split())[:200]
    if criteria.commune is not None:
        stored["commune"] = criteria.commune.insee
        stored["radius_km"] = criteria.radius_km
    elif criteria.departement:
        stored["departement"] = criteria.departement
    for key in LIST_KEYS:
        if getattr(criteria, key):
            stored[key] = list(getattr(criteria, key))
    for key in ("domain", "rome_code"):
        if getattr(criteria, key):
            stored[key] = getattr(criteria, key)
    return stored, summarize(criteria)


def summarize(criteria: Criteria) -> str:
    parts = []
    if criteria.terms:
        parts.append(" ".join(criteria.terms))
    if criteria.commune is not None:
        parts.append(f"{criteria.commune.label}, {criteria.radius_km} km")
    elif criteria.departement:
        parts.append(f"Département {criteria.departement}")
    parts += [OfferKind(v).label for v in criteria.kinds]
    parts += [ContractType(v).label for v in criteria.contract_types]
    if criteria.experiences:
        parts += [Experience(v).label for v in criteria.experiences]
    if criteria.rome_code:
        parts.append(criteria.rome_code)
    return " · ".join(parts)[:300]


# --- alerts --------------------------------------------------------------------------------------


def alerts_of(user):
    young_person = young_person_of(user)
    if young_person is None:
        return Alert.objects.none()
    return Alert.objects.filter(young_person=young_person)


def get_alert_for_user(user, pk) -> Alert:
    """One of the caller's alerts; another person's or a missing one is a 404."""
    try:
        return alerts_of(user).get(pk=pk)
    except (Alert.DoesNotExist, ValueError, TypeError):
        raise Http404("Alerte introuvable") from None


def create_alert(user, name: str, values: dict, client_id=None) -> tuple[Alert, bool]:
    """Save a search under a name. Idempotent per client id: (alert, created)."""
    young_person = _young(user)
    if client_id is not None:
        existing = Alert.objects.filter(young_person=young_person, client_id=client_id).first()
        if existing is not None:
            return existing, False
    name = _clean_name(name)
    stored, summary = store_criteria(values)
    if Alert.objects.filter(young_person=young_person).count() >= MAX_ALERTS:
        raise ServiceError(
            "too_many_alerts",
            f"Vous avez déjà {MAX_ALERTS} alertes : supprimez-en une d'abord.",
            status=409,
        )
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                young_person=young_person,
                name=name,
                criteria=stored,
                summary=summary,
                client_id=client_id,
            )
    except IntegrityError:  # a concurrent retry with the same client id
        return Alert.objects.get(young_person=young_person, client_id=client_id), False
    return alert, True


def rename_alert(user, alert: Alert, name: str) -> Alert:
    _young(user)
    alert.name = _clean_name(name)
    alert.save(update_fields=["name", "updated_at"])
    return alert


def delete_alert(user, alert: Alert) -> None:
    _young(user)
    alert.delete()


def _new_offer_count(alert: Alert, now) -> int:
    try:
        criteria = build_criteria(**alert.criteria)
    except ServiceError:  # a commune merged away since: nothing matches any more
        return 0
    new = filtered_offers(criteria).filter(
        published_at__gt=alert.last_run_at, published_at__lte=now
    )
    return new.values("id")[:MAX_REACHABLE].count()


def run_alerts(now=None) -> str:
    """The daily job: for each alert, the offers published since its last run; one
    ``alert.new_offers`` event per alert that has some. Each alert moves its last run to `now`
    with a compare-and-set, so a second (or concurrent) run finds nothing new and tells nobody
    twice. One count query per alert, bounded by MAX_REACHABLE."""
    now = now or timezone.now()
    alerts = (
        Alert.objects.filter(young_person__is_archived=False, last_run_at__lt=now)
        .select_related("young_person")
        .order_by("pk")
    )
    seen = notified = 0
    last_pk = None
    while True:  # keyset batches: no cursor held open across the writes below
        batch = alerts if last_pk is None else alerts.filter(pk__gt=last_pk)
        batch = list(batch[:RUN_BATCH])
        if not batch:
            break
        last_pk = batch[-1].pk
        for alert in batch:
            seen += 1
            count = _new_offer_count(alert, now)
            with transaction.atomic():
                moved = Alert.objects.filter(pk=alert.pk, last_run_at=alert.last_run_at).update(
                    last_run_at=now
                )
                if moved and count:
                    publish(
                        [alert.young_person.user_id],
                        {
                            "type": "alert.new_offers",
                            "alert_id": str(alert.pk),
                            "count": count,
                            # One notice per alert and run (the notices' idempotency key).
                            "run_id": f"{alert.pk}:{now.isoformat()}",
                        },
                    )
                    notified += 1
    return f"{seen} alertes, {notified} avec de nouvelles offres"


# --- suggestions ---------------------------------------------------------------------------------


def suggestions_visible_to(user):
    """A young person's suggestions; for a counselor, the ones they made."""
    young_person = young_person_of(user)
    if young_person is not None:
        return AlertSuggestion.objects.filter(young_person=young_person)
    counselor = counselor_of(user)
    if counselor is not None:
        return AlertSuggestion.objects.filter(counselor=counselor)
    return AlertSuggestion.objects.none()


def get_suggestion_for_young_person(user, pk) -> AlertSuggestion:
    young_person = young_person_of(user)
    try:
        if young_person is None:
            raise AlertSuggestion.DoesNotExist
        return AlertSuggestion.objects.get(pk=pk, young_person=young_person)
    except (AlertSuggestion.DoesNotExist, ValueError, TypeError):
        raise Http404("Suggestion introuvable") from None


def suggest_search(user, young_person_id, name: str, values: dict) -> AlertSuggestion:
    """A counselor suggests a search to one of the young people they may open."""
    counselor = counselor_of(user)
    if counselor is None:
        raise ServiceError("forbidden", "Réservé aux conseillers.", status=403)
    young_person = get_young_person_for_user(user, young_person_id)
    name = _clean_name(name)
    stored, summary = store_criteria(values)
    suggestion = AlertSuggestion.objects.create(
        young_person=young_person,
        counselor=counselor,
        name=name,
        criteria=stored,
        summary=summary,
    )
    publish(
        [young_person.user_id], {"type": "alert.suggested", "suggestion_id": str(suggestion.pk)}
    )
    return suggestion


@transaction.atomic
def answer_suggestion(user, suggestion: AlertSuggestion, accept: bool) -> AlertSuggestion:
    """Accept (the search becomes an alert of the young person) or refuse. Answering again
    the same way changes nothing; a suggestion already answered otherwise is a 409."""
    _young(user)
    wanted = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.REFUSED
    suggestion = AlertSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == wanted:
        return suggestion
    if suggestion.status != SuggestionStatus.PENDING:
        raise ServiceError(
            "already_answered", "Vous avez déjà répondu à cette suggestion.", status=409
        )
    if accept:
        alert, _ = create_alert(user, suggestion.name, suggestion.criteria)
        suggestion.alert = alert
    suggestion.status = wanted
    suggestion.answered_at = timezone.now()
    suggestion.save(update_fields=["status", "alert", "answered_at"])
    return suggestion
