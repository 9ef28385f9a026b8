"""The signed-in user's own event stream: later features push real-time events through it."""

import hashlib
import time

from asgiref.sync import async_to_sync, sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

from passemploi.accounts.enums import Role
from passemploi.notifications import presence

UNAUTHENTICATED_CLOSE_CODE = 4401


def user_group(user_id) -> str:
    return f"user.{user_id}"


def _session_holds(session_key: str, user_id) -> bool:
    """The session has not ended, and its user may still sign in (not archived or disabled)."""
    return (
        Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now()).exists()
        and get_user_model().objects.filter(pk=user_id, is_active=True).exists()
    )


# database_sync_to_async hands the connection back (to the pool) once done.
_session_is_current = database_sync_to_async(_session_holds)


def session_group(session_key: str) -> str:
    # Group names allow only a few characters: hash the key (which is a secret anyway).
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def end_session_sockets(session_key: str | None) -> None:
    """Close the sockets opened with a session that just ended (sign-out on that device)."""
    if session_key:
        async_to_sync(get_channel_layer().group_send)(
            session_group(session_key), {"type": "session.end"}
        )


def end_user_sockets(user_id) -> None:
    """Close every open socket of one user (all their devices): signed out everywhere, or the
    account can no longer sign in. Call it once the change has committed."""
    async_to_sync(get_channel_layer().group_send)(user_group(user_id), {"type": "session.end"})


async def push_to_user(user_id, event: dict) -> None:
    """Send an event to every open socket of one user (all their tabs and devices)."""
    await get_channel_layer().group_send(
        user_group(user_id), {"type": "user.event", "event": event}
    )


class UserEventsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED_CLOSE_CODE)
            return
        self.groups_joined = [user_group(user.pk)]
        session = self.scope.get("session")
        if session is not None and session.session_key:
            self.groups_joined.append(session_group(session.session_key))
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept(subprotocol=self.scope.get("accepted_subprotocol"))
        role = await self._role(user)
        await self.send_json({"type": "hello", "user_id": str(user.pk), "role": role})
        # Presence: a young person with an open socket gets no push for new messages.
        await presence.connected(user.pk)
        self.present_user_id = user.pk

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if getattr(self, "present_user_id", None) is not None:
            await presence.disconnected(self.present_user_id)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # A binary frame or text that is not JSON is an unknown message, not a crash.
        try:
            content = await self.decode_json(text_data)
        except (TypeError, ValueError):
            await self.send_json({"type": "error", "code": "unknown_message"})
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            if getattr(self, "present_user_id", None) is not None:
                await presence.seen(self.present_user_id)
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "code": "unknown_message"})

    async def user_event(self, message):
        # A socket outlives the page that opened it: check the session still holds (idle and
        # absolute expiry, sign-out elsewhere) before pushing anything on it.
        if not await self._credential_holds():
            await self.close(code=UNAUTHENTICATED_CLOSE_CODE)
            return
        await self.send_json(message["event"])

    async def _credential_holds(self) -> bool:
        """The session or token check, remembered for SOCKET_AUTH_RECHECK_SECONDS: a busy socket
        then costs the database one query now and then, not one per event. A revocation thus
        reaches an open socket within that time; sign-out and archiving close it at once."""
        checked_at = getattr(self, "credential_checked_at", None)
        now = time.monotonic()
        if checked_at is not None and now - checked_at < settings.SOCKET_AUTH_RECHECK_SECONDS:
            return True
        if not await self._session_alive():
            return False
        self.credential_checked_at = now
        return True

    async def _session_alive(self) -> bool:
        token = self.scope.get("access_token")
        if token is not None:  # an API client's socket (core/token_auth.py): the token must hold
            from passemploi.core.token_auth import token_is_valid_for

            return await token_is_valid_for(token, self.scope["user"].pk)
        session = self.scope.get("session")
        if session is None or not session.session_key:
            return False
        return await _session_is_current(session.session_key, self.scope["user"].pk)

    async def session_end(self, message):
        await self.close(code=UNAUTHENTICATED_CLOSE_CODE)

    @staticmethod
    async def _role(user) -> str:
        role = await sync_to_async(lambda: user.role)()
        return Role(role).value
