"""Access-token authentication for sockets opened by API clients (the mobile app, partners).

A client that cannot send the session cookie presents its access token, either in the query
string (`/ws/?token=<access token>`) or as the subprotocol `bearer.<access token>`. A token that
is presented wins over any session; an invalid, expired or revoked one leaves the socket
anonymous, and the consumer closes it with 4401. Without a token, the session (pages) is used.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from passemploi.accounts.models import ApiToken
from passemploi.accounts.services import hash_secret
from passemploi.accounts.tokens import user_for_access_token

SUBPROTOCOL_PREFIX = "bearer."


def presented_token(scope) -> tuple[str | None, str | None]:
    """(token, subprotocol to echo) from the subprotocols or the query string; (None, None)."""
    for subprotocol in scope.get("subprotocols") or []:
        if subprotocol.startswith(SUBPROTOCOL_PREFIX):
            return subprotocol[len(SUBPROTOCOL_PREFIX) :], subprotocol
    query = parse_qs((scope.get("query_string") or b"").decode("latin-1"))
    values = query.get("token")
    if values:
        return values[0], None
    return None, None


@database_sync_to_async
def _user_for(token: str):
    return user_for_access_token(token)


def _token_holds(token: str, user_id) -> bool:
    """The token still signs its user in (not expired, not revoked, user still active)."""
    return ApiToken.objects.filter(
        token_hash=hash_secret(token or ""),
        kind=ApiToken.Kind.ACCESS,
        user_id=user_id,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        user__is_active=True,
    ).exists()


token_is_valid_for = database_sync_to_async(_token_holds)


class TokenAuthMiddleware:
    """Wraps a socket application: authenticates by access token when the client presents one."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        token, subprotocol = presented_token(scope)
        if token is None:
            return await self.app(scope, receive, send)
        user = await _user_for(token)
        scope = dict(scope)
        scope["user"] = user or AnonymousUser()
        scope["access_token"] = token
        scope["accepted_subprotocol"] = subprotocol
        # The token is the only credential of this socket: a cookie sent alongside is ignored.
        scope.pop("session", None)
        return await self.app(scope, receive, send)
