"""What the pages call an action: "démarche" for young people of France Travail structures.

Both nouns are feminine, so adjectives and past participles ("terminée", "créée") agree with
either; only the article changes ("l'action", "la démarche").
"""

from dataclasses import dataclass

from passemploi.accounts.enums import StructureKind


@dataclass(frozen=True)
class Noun:
    one: str  # "action"
    many: str  # "actions"
    the: str  # "l'action"
    of_the: str  # "de l'action"

    @property
    def One(self) -> str:
        return self.one.capitalize()

    @property
    def Many(self) -> str:
        return self.many.capitalize()

    @property
    def The(self) -> str:
        return self.the[0].upper() + self.the[1:]

    def count(self, number: int) -> str:
        """ "0 action", "1 action", "3 actions" (French: 0 and 1 take the singular)."""
        return f"{number} {self.many if abs(number) > 1 else self.one}"


ACTION = Noun("action", "actions", "l'action", "de l'action")
DEMARCHE = Noun("démarche", "démarches", "la démarche", "de la démarche")


def noun_for(young_person) -> Noun:
    if young_person is not None and young_person.structure.kind == StructureKind.FRANCE_TRAVAIL:
        return DEMARCHE
    return ACTION
