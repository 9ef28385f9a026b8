from django.db import models


class OfferKind(models.TextChoices):
    EMPLOI = "EMPLOI", "Emploi"
    ALTERNANCE = "ALTERNANCE", "Alternance"
    IMMERSION = "IMMERSION", "Immersion"
    SERVICE_CIVIQUE = "SERVICE_CIVIQUE", "Service civique"


class ContractType(models.TextChoices):
    CDI = "CDI", "CDI"
    CDD = "CDD", "CDD"
    INTERIM = "INTERIM", "Intérim"
    SAISONNIER = "SAISONNIER", "Saisonnier"
    APPRENTISSAGE = "APPRENTISSAGE", "Contrat d'apprentissage"
    PROFESSIONNALISATION = "PROFESSIONNALISATION", "Contrat de professionnalisation"
    LIBERAL = "LIBERAL", "Profession libérale"
    ENGAGEMENT = "ENGAGEMENT", "Contrat d'engagement de service civique"
    AUTRE = "AUTRE", "Autre"


class WorkingTime(models.TextChoices):
    FULL_TIME = "FULL_TIME", "Temps plein"
    PART_TIME = "PART_TIME", "Temps partiel"


class Experience(models.TextChoices):
    """Required experience; France Travail's `experienceExigence` D and `experience` 1–3."""

    BEGINNER = "BEGINNER", "Débutant accepté"
    LESS_THAN_1_YEAR = "LESS_THAN_1_YEAR", "Moins d'un an"
    ONE_TO_3_YEARS = "ONE_TO_3_YEARS", "De 1 à 3 ans"
    MORE_THAN_3_YEARS = "MORE_THAN_3_YEARS", "Plus de 3 ans"


class ContactMode(models.TextChoices):
    EMAIL = "EMAIL", "Par e-mail"
    PHONE = "PHONE", "Par téléphone"
    IN_PERSON = "IN_PERSON", "En personne"


class CivicDomain(models.TextChoices):
    """The 12 domains of civic-service missions (as the CEJ app filters them)."""

    ENVIRONNEMENT = "ENVIRONNEMENT", "Environnement"
    SOLIDARITE_INSERTION = "SOLIDARITE_INSERTION", "Solidarité, insertion"
    PREVENTION_PROTECTION = "PREVENTION_PROTECTION", "Prévention, protection"
    SANTE = "SANTE", "Santé"
    CULTURE_LOISIRS = "CULTURE_LOISIRS", "Culture, loisirs"
    EDUCATION = "EDUCATION", "Éducation"
    EMPLOI = "EMPLOI", "Emploi"
    SPORT = "SPORT", "Sport"
    HUMANITAIRE = "HUMANITAIRE", "Humanitaire"
    ANIMAUX = "ANIMAUX", "Animaux"
    VIVRE_ENSEMBLE = "VIVRE_ENSEMBLE", "Vivre ensemble"
    AUTRE = "AUTRE", "Autre"


class SortOrder(models.TextChoices):
    RELEVANCE = "relevance", "Pertinence"
    DATE = "date", "Date de publication"
    DISTANCE = "distance", "Distance"


class FavouriteStatus(models.TextChoices):
    SAVED = "saved", "Sauvegardée"
    APPLIED = "applied", "Postulée"
    NOT_INTERESTED = "not_interested", "Pas intéressé"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"
