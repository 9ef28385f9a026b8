from decimal import Decimal

from django.db import models


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "À faire"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Terminée"
    CANCELED = "canceled", "Annulée"


class ActionCategory(models.TextChoices):
    EMPLOI = "EMPLOI", "Emploi"
    FORMATION = "FORMATION", "Formation"
    PROJET_PROFESSIONNEL = "PROJET_PROFESSIONNEL", "Projet professionnel"
    CULTURE_SPORT_LOISIRS = "CULTURE_SPORT_LOISIRS", "Loisir, sport, culture"
    CITOYENNETE = "CITOYENNETE", "Citoyenneté"
    LOGEMENT = "LOGEMENT", "Logement"
    SANTE = "SANTE", "Santé"


# SNP codes ("situation non professionnelle") a counselor qualifies a done action with: the
# categories, plus NON_SNP for what does not count.
QualificationCode = models.TextChoices(
    "QualificationCode",
    [(c.name, (c.value, c.label)) for c in ActionCategory]
    + [("NON_SNP", ("NON_SNP", "Action non SNP"))],
)


# Hours an action counts for in the weekly counter until a counselor qualifies it.
DEFAULT_HOURS = {
    "EMPLOI": Decimal(3),
    "FORMATION": Decimal(3),
    "PROJET_PROFESSIONNEL": Decimal(2),
    "CULTURE_SPORT_LOISIRS": Decimal(2),
    "CITOYENNETE": Decimal(2),
    "LOGEMENT": Decimal(2),
    "SANTE": Decimal(2),
    "NON_SNP": Decimal(0),
}


class CreatorRole(models.TextChoices):
    YOUNG_PERSON = "young_person", "Bénéficiaire"
    COUNSELOR = "counselor", "Conseiller"
