"""Suggestions per category for young people, and the counselors' predefined actions."""

from dataclasses import dataclass

from passemploi.actions.enums import ActionCategory as C


@dataclass(frozen=True)
class Suggestion:
    title: str
    description: str = ""
    batch: bool = False  # may be created on several dates at once


SUGGESTIONS: dict[str, list[Suggestion]] = {
    C.EMPLOI: [
        Suggestion("Rédiger ou mettre à jour mon CV"),
        Suggestion("Rechercher des offres d'emploi", batch=True),
        Suggestion("Envoyer une candidature", batch=True),
        Suggestion("Préparer un entretien d'embauche"),
        Suggestion("Écrire une lettre de motivation"),
        Suggestion("Chercher un stage", batch=True),
    ],
    C.PROJET_PROFESSIONNEL: [
        Suggestion("Faire un stage"),
        Suggestion("Suivre une formation"),
        Suggestion("Réviser", batch=True),
        Suggestion("Chercher une alternance", batch=True),
        Suggestion("Me renseigner sur un métier"),
        Suggestion("Écrire une lettre de motivation"),
    ],
    C.CULTURE_SPORT_LOISIRS: [
        Suggestion("Faire du sport", batch=True),
        Suggestion("Aller au cinéma"),
        Suggestion("Visiter un musée ou une exposition"),
        Suggestion("Aller voir un spectacle"),
        Suggestion("Dessiner, faire de la musique ou lire", batch=True),
    ],
    C.CITOYENNETE: [
        Suggestion("Préparer l'examen du permis de conduire"),
        Suggestion("Réviser le code de la route", batch=True),
        Suggestion("Prendre une leçon de conduite", batch=True),
        Suggestion("Faire une démarche administrative"),
        Suggestion("Demander une aide ou une allocation"),
        Suggestion("Faire du bénévolat", batch=True),
    ],
    C.FORMATION: [
        Suggestion("Rechercher une formation"),
        Suggestion("Chercher un contrat d'apprentissage"),
        Suggestion("Participer à un atelier", batch=True),
        Suggestion("Demander une aide au financement de formation"),
    ],
    C.LOGEMENT: [
        Suggestion("Rechercher un logement", batch=True),
        Suggestion("Constituer mon dossier de logement"),
        Suggestion("Visiter un logement", batch=True),
        Suggestion("Acheter du mobilier ou de l'équipement"),
        Suggestion("Demander une aide au logement"),
    ],
    C.SANTE: [
        Suggestion("Prendre un rendez-vous médical"),
        Suggestion("Faire un bilan de santé"),
        Suggestion("Demander ma carte Vitale"),
        Suggestion("Faire une démarche de santé"),
        Suggestion("Être hospitalisé(e)"),
        Suggestion("Suivre une rééducation", batch=True),
    ],
}

# The counselors' predefined catalogue: (title, category).
PREDEFINED: list[tuple[str, str]] = [
    ("Identifier ses atouts et ses compétences", C.PROJET_PROFESSIONNEL),
    ("Identifier des pistes de métier", C.PROJET_PROFESSIONNEL),
    ("Faire une enquête métier", C.PROJET_PROFESSIONNEL),
    ("Mettre à jour son CV", C.EMPLOI),
    ("Rédiger une lettre de motivation", C.EMPLOI),
    ("Tenir un tableau de prospection", C.EMPLOI),
    ("Candidater à des offres d'emploi", C.EMPLOI),
    ("Préparer un entretien d'embauche", C.EMPLOI),
    ("Contacter des entreprises (candidature spontanée)", C.EMPLOI),
    ("Créer son espace sur le site de France Travail", C.EMPLOI),
    ("Rechercher une formation", C.FORMATION),
    ("S'inscrire à une formation", C.FORMATION),
    ("Chercher un employeur pour une alternance", C.FORMATION),
    ("Participer à un atelier collectif", C.FORMATION),
    ("Faire une demande de logement social", C.LOGEMENT),
    ("Contacter un organisme de prestations sociales (CAF, CPAM, MSA)", C.CITOYENNETE),
    ("S'inscrire au code de la route", C.CITOYENNETE),
    ("Ouvrir un compte bancaire", C.CITOYENNETE),
    ("Prendre rendez-vous chez un médecin", C.SANTE),
    ("Faire une activité sportive ou culturelle", C.CULTURE_SPORT_LOISIRS),
]


def suggestion(category: str, index: int) -> Suggestion | None:
    items = SUGGESTIONS.get(category, [])
    return items[index] if 0 <= index < len(items) else None
