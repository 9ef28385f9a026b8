"""Versioned terms of use (CGU). Bump CURRENT_TERMS_VERSION to ask every young person again."""

CURRENT_TERMS_VERSION = "2026-11-01"


def has_accepted_current_terms(young_person) -> bool:
    return young_person.terms_version == CURRENT_TERMS_VERSION
