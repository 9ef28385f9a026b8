"""The signed-in user's own event stream: later features push real-time events through it."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer

from passemploi.accounts.enums import Role

UNAUTHENTICATED_CLOSE_CODE = 4401


def user_group(user_id) -> str:
    return f"user.{user_id}"


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
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        role = await self._role(user)
        await self.send_json({"type": "hello", "user_id": str(user.pk), "role": role})

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

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
        await self.send_json(message["event"])

    @staticmethod
    async def _role(user) -> str:
        from asgiref.sync import sync_to_async

        role = await sync_to_async(lambda: user.role)()
        return Role(role).value
