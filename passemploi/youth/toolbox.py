"""A few well-known public services for young people, shown on the Accueil toolbox card.
(The full, admin-edited toolbox belongs to issue #7's "Outils" page, not built yet.)"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    url: str


TOOLS = [
    Tool(
        "1jeune1solution",
        "Offres, formations, aides et accompagnements pour les 16-30 ans.",
        "https://www.1jeune1solution.gouv.fr/",
    ),
    Tool(
        "Mes aides",
        "Simuler les aides financières auxquelles j'ai droit.",
        "https://www.1jeune1solution.gouv.fr/mes-aides",
    ),
    Tool(
        "Service civique",
        "Trouver une mission de volontariat de 6 à 12 mois, indemnisée.",
        "https://www.service-civique.gouv.fr/",
    ),
]
