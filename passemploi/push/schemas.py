"""Request and response schemas of the push API (subscriptions, device tokens, VAPID key).

Keys and platforms are validated by the services, so a malformed subscription or an unknown
platform answers a stable code (`invalid_endpoint`, `invalid_key`, `unknown_platform`).
"""

import datetime

from ninja import Field, Schema

ENDPOINT_EXAMPLE = "https://push.example.net/wpush/v2/gAAAAABk1x2"
P256DH_EXAMPLE = (
    "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
)
AUTH_EXAMPLE = "tBHItJI5svbpez7KI4CCXg"


class SubscriptionKeysIn(Schema):
    p256dh: str = Field(..., max_length=200, examples=[P256DH_EXAMPLE])
    auth: str = Field(..., max_length=100, examples=[AUTH_EXAMPLE])


class SubscriptionIn(Schema):
    """The browser's `PushSubscription.toJSON()`, as is."""

    endpoint: str = Field(..., max_length=4096, examples=[ENDPOINT_EXAMPLE])
    keys: SubscriptionKeysIn


class SubscriptionDeleteIn(Schema):
    endpoint: str = Field(..., max_length=4096, examples=[ENDPOINT_EXAMPLE])


class SubscriptionOut(Schema):
    endpoint: str = Field(..., examples=[ENDPOINT_EXAMPLE])
    created_at: datetime.datetime
    last_success_at: datetime.datetime | None


class DeviceIn(Schema):
    platform: str = Field(
        ..., max_length=32, description="`ios` ou `android`", examples=["android"]
    )
    token: str = Field(..., max_length=1024, description="Jeton d'enregistrement FCM")


class DeviceOut(Schema):
    platform: str = Field(..., examples=["android"])
    platform_label: str = Field(..., examples=["Android"])
    token: str
    created_at: datetime.datetime
    last_seen_at: datetime.datetime


class VapidKeyOut(Schema):
    public_key: str | None = Field(
        ...,
        description="Clé publique VAPID (base64url) pour PushManager.subscribe ; null si le "
        "Web Push n'est pas configuré",
        examples=[P256DH_EXAMPLE],
    )
