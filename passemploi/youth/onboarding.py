"""The three first-run screens of the app (text only: they must load on a slow phone)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Screen:
    title: str
    text: str
    icon: str


SCREENS = [
    Screen(
        "Bienvenue sur Pass Emploi",
        "Votre conseiller et vous suivez ici votre parcours : vos démarches, vos "
        "rendez-vous et vos échanges, au même endroit.",
        "fr-icon-hand-heart-line",
    ),
    Screen(
        "Votre semaine en un coup d'œil",
        "L'accueil vous montre vos rendez-vous, les démarches à faire cette semaine et les "
        "ateliers de votre structure.",
        "fr-icon-calendar-line",
    ),
    Screen(
        "Même sans réseau",
        "Les dernières pages consultées restent lisibles hors connexion, et ce que vous écrivez "
        "est envoyé dès que la connexion revient.",
        "fr-icon-wifi-line",
    ),
]
