"""The OpenID Connect providers: their settings, discovery documents and signing keys.

Discovery documents and key sets are kept in memory for an hour; a token signed by a key the
cached set does not have makes the set be fetched again once (the provider rotated its keys).
"""

import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings

from passemploi.accounts.enums import Role
from passemploi.core.errors import ServiceError

CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Provider:
    name: str
    label: str  # the brand, as written on its button
    role: Role  # the only role this provider signs in
    help_url: str  # "Qu'est-ce que … ?"
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: str
    acr_values: str
    email_trusted: bool


# Fixed here, never read from the environment: which role a provider may sign in.
KNOWN = {
    "proconnect": ("ProConnect", Role.COUNSELOR, "https://www.proconnect.gouv.fr/"),
    "ft_connect": (
        "France Travail Connect",
        Role.YOUNG_PERSON,
        "https://www.francetravail.fr/candidat/mes-droitsdemarches/mon-espace-personnel.html",
    ),
    "franceconnect": ("FranceConnect", Role.YOUNG_PERSON, "https://franceconnect.gouv.fr/"),
}


def get(name: str) -> Provider | None:
    """The provider `name` if it is known and configured, else None."""
    if name not in KNOWN:
        return None
    config = settings.SSO_PROVIDERS.get(name) or {}
    if not config.get("discovery_url") or not config.get("client_id"):
        return None
    label, role, help_url = KNOWN[name]
    return Provider(
        name=name,
        label=label,
        role=role,
        help_url=help_url,
        discovery_url=config["discovery_url"],
        client_id=config["client_id"],
        client_secret=config.get("client_secret", ""),
        scopes=config.get("scopes") or "openid email",
        acr_values=config.get("acr_values", ""),
        email_trusted=bool(config.get("email_trusted", True)),
    )


def configured(role: Role | None = None) -> list[Provider]:
    providers = [get(name) for name in KNOWN]
    return [p for p in providers if p is not None and (role is None or p.role == role)]


# --- remote documents ----------------------------------------------------------------------------

_cache: dict[str, tuple[float, object]] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def unreachable(provider: Provider) -> ServiceError:
    return ServiceError(
        "provider_unreachable",
        f"{provider.label} ne répond pas pour le moment. Réessayez dans quelques minutes ou "
        "connectez-vous avec votre adresse e-mail et votre mot de passe.",
        status=502,
    )


def fetch_json(provider: Provider, url: str) -> dict:
    try:
        response = requests.get(url, timeout=settings.SSO_TIMEOUT_SECONDS)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError):
        raise unreachable(provider) from None
    if not isinstance(data, dict):
        raise unreachable(provider)
    return data


def _cached(key: str, load, refresh: bool = False):
    with _lock:
        hit = _cache.get(key)
    if hit and not refresh and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = load()
    with _lock:
        _cache[key] = (time.monotonic(), value)
    return value


def metadata(provider: Provider) -> dict:
    """The provider's discovery document (.well-known/openid-configuration)."""
    data = _cached(
        "discovery:" + provider.discovery_url,
        lambda: fetch_json(provider, provider.discovery_url),
    )
    required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if any(not isinstance(data.get(key), str) for key in required):
        raise unreachable(provider)
    return data


def keys(provider: Provider, refresh: bool = False) -> list[dict]:
    uri = metadata(provider)["jwks_uri"]
    data = _cached("jwks:" + uri, lambda: fetch_json(provider, uri), refresh=refresh)
    found = data.get("keys")
    return [key for key in found if isinstance(key, dict)] if isinstance(found, list) else []
