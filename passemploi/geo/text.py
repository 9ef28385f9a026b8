"""Text normalisation shared by the commune autocomplete and the offer search."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’_.,/]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """``"L'Haÿ-les-Roses"`` → ``"l hay les roses"``; ``"Saint-Étienne"`` → ``"saint etienne"``."""
    text = strip_accents(text).lower().replace("œ", "oe").replace("æ", "ae")
    return _SEPARATORS.sub(" ", text).strip()
