"""Push channels under /api/v1/: Web Push subscriptions, native device tokens, the VAPID key.

A caller only ever sees or removes their own subscriptions and tokens: anyone else's answers
404 like a missing one.
"""

from django.conf import settings
from ninja import Router, Status

from passemploi.accounts.schemas import ErrorOut
from passemploi.core.api_support import caller
from passemploi.push import services, webpush
from passemploi.push.schemas import (
    DeviceIn,
    DeviceOut,
    SubscriptionDeleteIn,
    SubscriptionIn,
    SubscriptionOut,
    VapidKeyOut,
)

router = Router(tags=["Notifications push"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _device_out(device) -> dict:
    return {
        "platform": device.platform,
        "platform_label": device.get_platform_display(),
        "token": device.token,
        "created_at": device.created_at,
        "last_seen_at": device.last_seen_at,
    }


@router.get(
    "/push/vapid-public-key",
    response={200: VapidKeyOut, **ERRORS},
    summary="Clé publique VAPID",
    description=(
        "La clé publique du serveur à passer à `PushManager.subscribe` "
        "(`applicationServerKey`) ; `null` quand le Web Push n'est pas configuré."
    ),
)
def vapid_public_key(request):
    return {"public_key": settings.VAPID_PUBLIC_KEY if webpush.enabled() else None}


@router.post(
    "/push-subscriptions",
    response={200: SubscriptionOut, 201: SubscriptionOut, **ERRORS},
    url_name="push_subscriptions",
    summary="Enregistrer un abonnement Web Push",
    description=(
        "Enregistre l'abonnement du navigateur (`PushSubscription.toJSON()`). Idempotent sur "
        "`endpoint` : un nouvel appel met les clés à jour et répond 200."
    ),
)
def register_subscription(request, payload: SubscriptionIn):
    subscription, created = services.register_subscription(
        caller(request),
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201 if created else 200, subscription)


@router.delete(
    "/push-subscriptions",
    response={204: None, **ERRORS},
    summary="Supprimer un abonnement Web Push",
    description="Supprime l'abonnement de l'appelant désigné par son `endpoint`.",
)
def unregister_subscription(request, payload: SubscriptionDeleteIn):
    services.unregister_subscription(caller(request), payload.endpoint)
    return Status(204, None)


@router.post(
    "/devices",
    response={200: DeviceOut, 201: DeviceOut, **ERRORS},
    summary="Enregistrer un appareil mobile",
    description=(
        "Enregistre le jeton FCM de l'application mobile (`platform` : `ios` ou `android`). "
        "À appeler à chaque démarrage : un jeton inutilisé depuis 60 jours est supprimé."
    ),
)
def register_device(request, payload: DeviceIn):
    device, created = services.register_device(
        caller(request), platform=payload.platform, token=payload.token
    )
    return Status(201 if created else 200, _device_out(device))


@router.delete(
    "/devices/{token}",
    response={204: None, **ERRORS},
    summary="Supprimer un appareil mobile",
    description="Supprime le jeton FCM de l'appelant (à la déconnexion de l'application).",
)
def unregister_device(request, token: str):
    services.unregister_device(caller(request), token)
    return Status(204, None)
