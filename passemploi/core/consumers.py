"""The signed-in user's own event stream: later features push real-time events through it."""

import hashlib

from asgiref.sync import async_to_sync, sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.contrib.sessions.models import Session
from django.utils import timezone

from passemploi.accounts.enums import Role

UNAUTHENTICATED_CLOSE_CODE = 4401


def user_group(user_id) -> str:
    return f"user.{user_id}"


def _session_is_current(session_key: str) -> bool:
    return Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now()).exists()


def session_group(session_key: str) -> str:
    # Group names allow only a few characters: hash the key (which is a secret anyway).
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def end_session_sockets(session_key: str | None) -> None:
    """Close the sockets opened with a session that just ended (sign-out on that device)."""
    if session_key:
        async_to_sync(get_channel_layer().group_send)(
            session_group(session_key), {"type": "session.end"}
        )


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

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

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
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "code": "unknown_message"})

    async def user_event(self, message):
        # A socket outlives the page that opened it: check the session still holds (idle and
        # absolute expiry, sign-out elsewhere) before pushing anything on it.
        if not await self._session_alive():
            await self.close(code=UNAUTHENTICATED_CLOSE_CODE)
            return
        await self.send_json(message["event"])

    async def _session_alive(self) -> bool:
        token = self.scope.get("access_token")
        if token is not None:  # an API client's socket (core/token_auth.py): the token must hold
            from passemploi.core.token_auth import token_is_valid_for

            return await token_is_valid_for(token, self.scope["user"].pk)
        session = self.scope.get("session")
        if session is None or not session.session_key:
            return False
        return await sync_to_async(_session_is_current)(session.session_key)

    async def session_end(self, message):
        await self.close(code=UNAUTHENTICATED_CLOSE_CODE)

    @staticmethod
    async def _role(user) -> str:
        role = await sync_to_async(lambda: user.role)()
        return Role(role).value
