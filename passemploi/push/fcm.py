"""Native push sender: Firebase Cloud Messaging HTTP v1.

The access token comes from Google's OAuth 2.0 JWT-bearer grant (RFC 7523): a JWT signed RS256
with the service account's private key, exchanged at its `token_uri` for an access token that is
cached until shortly before it expires. No Google client library: `cryptography` signs, `requests`
posts. References: https://firebase.google.com/docs/cloud-messaging/send/v1-api and
https://developers.google.com/identity/protocols/oauth2/service-account#httprest
"""

import base64
import json
import logging
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.conf import settings

from passemploi.push import http
from passemploi.push.outcome import Outcome, Result, retry_after_seconds

logger = logging.getLogger(__name__)

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME = 3600  # seconds, the maximum Google accepts
EXPIRY_MARGIN = 60  # renew the access token this many seconds before it expires


@dataclass(frozen=True)
class Credentials:
    project_id: str
    client_email: str
    private_key: str  # PEM
    token_uri: str


class TokenError(Exception):
    def __init__(self, outcome: Outcome):
        super().__init__(outcome.detail)
        self.outcome = outcome


def credentials() -> Credentials | None:
    """The service account from FCM_CREDENTIALS (a JSON file path or the JSON itself)."""
    raw = settings.FCM_CREDENTIALS.strip()
    if not raw:
        return None
    return _parse(raw, settings.FCM_TOKEN_URI)


@lru_cache(maxsize=4)
def _parse(raw: str, token_uri: str) -> Credentials:
    # Read once per process: restart the workers after replacing the file.
    text = raw if raw.startswith("{") else Path(raw).read_text(encoding="utf-8")
    data = json.loads(text)
    return Credentials(
        project_id=data["project_id"],
        client_email=data["client_email"],
        private_key=data["private_key"],
        token_uri=token_uri or data["token_uri"],
    )


def enabled() -> bool:
    return bool(settings.FCM_CREDENTIALS.strip())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed_assertion(creds: Credentials, now: int | None = None) -> str:
    """The JWT asking for an access token, signed RS256 with the service account's key."""
    now = int(time.time()) if now is None else now
    header = {"alg": "RS256", "typ": "JWT"}
    claims = {
        "iss": creds.client_email,
        "scope": SCOPE,
        "aud": creds.token_uri,
        "iat": now,
        "exp": now + ASSERTION_LIFETIME,
    }
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    key = serialization.load_pem_private_key(creds.private_key.encode(), password=None)
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{_b64(signature)}"


class _TokenCache:
    """One access token per (account, token URI), shared by the threads of a process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}

    def get(self, creds: Credentials) -> str:
        cache_key = (creds.client_email, creds.token_uri)
        with self._lock:
            cached = self._tokens.get(cache_key)
            if cached and cached[1] > time.time():
                return cached[0]
            token, lifetime = _fetch_access_token(creds)
            self._tokens[cache_key] = (token, time.time() + lifetime - EXPIRY_MARGIN)
            return token

    def forget(self, creds: Credentials) -> None:
        with self._lock:
            self._tokens.pop((creds.client_email, creds.token_uri), None)

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


token_cache = _TokenCache()


def _fetch_access_token(creds: Credentials) -> tuple[str, int]:
    try:
        response = http.session().post(
            creds.token_uri,
            data={"grant_type": GRANT_TYPE, "assertion": signed_assertion(creds)},
            timeout=settings.PUSH_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise TokenError(
            Outcome(Result.RETRY, retry_after_seconds(None), "token endpoint")
        ) from exc
    if response.status_code == 429 or response.status_code >= 500:
        retry = retry_after_seconds(response.headers.get("Retry-After"))
        raise TokenError(Outcome(Result.RETRY, retry, "token endpoint"))
    if response.status_code != 200:
        logger.error(
            "FCM: the token endpoint refused the service account (%s)", response.status_code
        )
        raise TokenError(Outcome(Result.FAILED, detail="token refused"))
    body = response.json()
    return body["access_token"], int(body.get("expires_in", 3600))


def message_for(token: str, payload: dict) -> dict:
    """The FCM v1 message: a visible notification, plus the link and tag as data."""
    data = {"url": payload["url"]}
    message = {
        "token": token,
        "notification": {"title": payload["title"], "body": payload["body"]},
        "data": data,
    }
    if payload.get("tag"):
        data["tag"] = payload["tag"]
        message["android"] = {"notification": {"tag": payload["tag"]}}
        message["apns"] = {"headers": {"apns-collapse-id": payload["tag"][:64]}}
    return {"message": message}


def _error_code(response) -> str:
    try:
        details = response.json()["error"].get("details", [])
    except (ValueError, KeyError, TypeError, AttributeError):
        return ""
    for detail in details:
        if isinstance(detail, dict) and detail.get("errorCode"):
            return detail["errorCode"]
    return ""


def send(device, payload: dict) -> Outcome:
    """Send `payload` to one device token."""
    creds = credentials()
    if creds is None:
        return Outcome(Result.FAILED, detail="disabled")
    try:
        access_token = token_cache.get(creds)
    except TokenError as exc:
        return exc.outcome
    url = f"{settings.FCM_BASE_URL.rstrip('/')}/v1/projects/{creds.project_id}/messages:send"
    try:
        response = http.session().post(
            url,
            json=message_for(device.token, payload),
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.PUSH_TIMEOUT_SECONDS,
        )
    except requests.Timeout:
        return Outcome(Result.RETRY, retry_after_seconds(None), "timeout")
    except requests.RequestException as exc:
        return Outcome(Result.RETRY, retry_after_seconds(None), type(exc).__name__)
    status = response.status_code
    if status == 200:
        return Outcome(Result.SENT)
    code = _error_code(response)
    if status == 404 or code == "UNREGISTERED":
        return Outcome(Result.GONE, detail=code or "404")
    if status == 401:
        # The access token was revoked or expired early: fetch a new one next time.
        token_cache.forget(creds)
        return Outcome(Result.RETRY, retry_after_seconds(None), "401")
    if status == 429 or status >= 500:
        return Outcome(Result.RETRY, retry_after_seconds(response.headers.get("Retry-After")))
    logger.warning("FCM refused a message: %s %s", status, code)
    return Outcome(Result.FAILED, detail=code or str(status))
