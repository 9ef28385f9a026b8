from django.db import models


class ReassignmentKind(models.TextChoices):
    DEFINITIVE = "definitive", "Définitive"
    TEMPORARY = "temporary", "Temporaire"
    # The initial counselor takes back a young person lent temporarily (récupération).
    TAKE_BACK = "take_back", "Récupération"


class ArchiveReason(models.TextChoices):
    """Reasons for ending an accompaniment (the original product's MotifSuppression list)."""

    LASTING_JOB = "lasting_job", "Emploi durable (plus de 6 mois)"
    PERMANENT_CONTRACT = "permanent_contract", "CDI"
    LONG_FIXED_TERM = "long_fixed_term", "CDD ou CTT de 6 mois ou plus"
    SHORT_JOB = "short_job", "Emploi court"
    TRAINING = "training", "Formation"
    CONTRACT_ENDED = "contract_ended", "Contrat arrivé à échéance"
    AGE_LIMIT = "age_limit", "Limite d'âge"
    SCHEME_CHANGE = "scheme_change", "Changement d'accompagnement"
    MOVED = "moved", "Déménagement"
    OWN_REQUEST = "own_request", "Demande du jeune"
    DROPOUT = "dropout", "Non-respect des engagements ou abandon"
    CIVIC_SERVICE = "civic_service", "Service civique"
    BUSINESS_CREATION = "business_creation", "Création d'entreprise"
    ESAT = "esat", "Entrée en ESAT"
    OTHER = "other", "Autre"


# Outcomes counted as a positive exit by the impact measures.
POSITIVE_REASONS = frozenset(
    {
        ArchiveReason.LASTING_JOB,
        ArchiveReason.PERMANENT_CONTRACT,
        ArchiveReason.LONG_FIXED_TERM,
        ArchiveReason.SHORT_JOB,
        ArchiveReason.TRAINING,
        ArchiveReason.CIVIC_SERVICE,
        ArchiveReason.BUSINESS_CREATION,
        ArchiveReason.ESAT,
    }
)


class RiskLevel(models.TextChoices):
    """Dropout early warning level (docs/dropout-risk.md). Never shown to the young person."""

    LOW = "low", "Faible"
    MEDIUM = "medium", "Moyen"
    HIGH = "high", "Élevé"
