from django.urls import path

from passemploi.core.consumers import UserEventsConsumer

websocket_urlpatterns = [
    path("ws/events/", UserEventsConsumer.as_asgi(), name="ws-events"),
]
