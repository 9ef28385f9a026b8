"""WebsocketCommunicator for the socket tests.

channels.testing's package __init__ imports daphne (for its live-server test case), which is
not a dependency of this project. Use the upstream communicator when it imports; otherwise an
equivalent built on asgiref's ApplicationCommunicator, with the same methods and behaviour
(including channels' no-op close_old_connections while the test talks to the application).
"""

import json
from unittest import mock
from urllib.parse import unquote, urlparse

from asgiref.testing import ApplicationCommunicator

try:
    from channels.testing import WebsocketCommunicator
except ModuleNotFoundError:  # pragma: no cover - depends on whether daphne is installed

    def _no_op():
        pass

    class WebsocketCommunicator(ApplicationCommunicator):
        def __init__(self, application, path, headers=None, subprotocols=None):
            parsed = urlparse(path)
            self.scope = {
                "type": "websocket",
                "path": unquote(parsed.path),
                "query_string": parsed.query.encode(),
                "headers": headers or [],
                "subprotocols": subprotocols or [],
            }
            super().__init__(application, self.scope)
            self.response_headers = None

        async def send_input(self, message):
            with mock.patch("channels.db.close_old_connections", _no_op):
                return await super().send_input(message)

        async def receive_output(self, timeout=1):
            with mock.patch("channels.db.close_old_connections", _no_op):
                return await super().receive_output(timeout)

        async def connect(self, timeout=1):
            """(True, subprotocol) when accepted, (False, close code) when refused."""
            await self.send_input({"type": "websocket.connect"})
            response = await self.receive_output(timeout)
            if response["type"] == "websocket.close":
                return False, response.get("code", 1000)
            assert response["type"] == "websocket.accept", response
            self.response_headers = response.get("headers", [])
            return True, response.get("subprotocol")

        async def send_to(self, text_data=None, bytes_data=None):
            assert bool(text_data) != bool(bytes_data), "give exactly one of text or bytes"
            if text_data:
                await self.send_input({"type": "websocket.receive", "text": text_data})
            else:
                await self.send_input({"type": "websocket.receive", "bytes": bytes_data})

        async def send_json_to(self, data):
            await self.send_to(text_data=json.dumps(data))

        async def receive_from(self, timeout=1):
            response = await self.receive_output(timeout)
            assert response["type"] == "websocket.send", response
            return response["text"] if "text" in response else response["bytes"]

        async def receive_json_from(self, timeout=1):
            payload = await self.receive_from(timeout)
            assert isinstance(payload, str), f"not a text frame: {payload!r}"
            return json.loads(payload)

        async def disconnect(self, code=1000, timeout=1):
            await self.send_input({"type": "websocket.disconnect", "code": code})
            await self.wait(timeout)


__all__ = ["WebsocketCommunicator"]
