from django.db import models


class StructureKind(models.TextChoices):
    MISSION_LOCALE = "MISSION_LOCALE", "Mission Locale"
    FRANCE_TRAVAIL = "FRANCE_TRAVAIL", "Agence France Travail"
    CONSEIL_DEPARTEMENTAL = "CONSEIL_DEPARTEMENTAL", "Conseil départemental"


class Scheme(models.TextChoices):
    """The accompaniment scheme (dispositif) a young person follows."""

    CEJ = "CEJ", "Contrat d'Engagement Jeune"
    PACEA = "PACEA", "PACEA"
    AIJ = "AIJ", "Accompagnement Intensif Jeunes"
    BRSA = "BRSA", "RSA rénové"
    AVENIR_PRO = "AVENIR_PRO", "Avenir pro"
    ACCOMPAGNEMENT_INTENSIF = "ACCOMPAGNEMENT_INTENSIF", "Accompagnement intensif"
    ACCOMPAGNEMENT_GLOBAL = "ACCOMPAGNEMENT_GLOBAL", "Accompagnement global"
    EQUIP_EMPLOI_RECRUT = "EQUIP_EMPLOI_RECRUT", "Equip'emploi / Equip'recrut"
    CONSEIL_DEPT = "CONSEIL_DEPT", "Conseil départemental"


class Role(models.TextChoices):
    YOUNG_PERSON = "young_person", "Bénéficiaire"
    COUNSELOR = "counselor", "Conseiller"
    SUPPORT = "support", "Support"
    NONE = "none", "Aucun"


class TokenPurpose(models.TextChoices):
    ACTIVATION = "activation", "Activation du compte"
