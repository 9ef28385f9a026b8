from django.urls import path

from passemploi.core.consumers import UserEventsConsumer
from passemploi.core.token_auth import TokenAuthMiddleware

websocket_urlpatterns = [
    path("ws/events/", UserEventsConsumer.as_asgi(), name="ws-events"),
    # Pages (session) and API clients (access token: ?token= or the bearer.<token> subprotocol).
    path("ws/", TokenAuthMiddleware(UserEventsConsumer.as_asgi()), name="ws"),
]
