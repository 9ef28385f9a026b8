"""Notifications under /api/v1/: the young person's notification centre and everyone's
notification switches."""

import json
import uuid
import zoneinfo

from django.utils import timezone
from ninja import Query, Router

from passemploi.accounts.access import young_person_of
from passemploi.accounts.schemas import ErrorOut
from passemploi.core.api_support import caller
from passemploi.core.errors import ServiceError
from passemploi.notifications import services
from passemploi.notifications.access import get_notification_for_user, notifications_of
from passemploi.notifications.enums import Topic
from passemploi.notifications.schemas import (
    NotificationOut,
    NotificationPage,
    NotificationQuery,
    PreferencesIn,
    PreferencesOut,
    ReadAllOut,
)

router = Router(tags=["Notifications"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def young_caller(request):
    user = request.auth
    if young_person_of(user) is None:
        raise ServiceError("forbidden", "Réservé aux bénéficiaires.", status=403)
    return user


def notification_out(notification, zone) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "kind_label": notification.get_kind_display(),
        "title": notification.title,
        "body": notification.body,
        "link": notification.link,
        "read": notification.read_at is not None,
        "read_at": timezone.localtime(notification.read_at, zone) if notification.read_at else None,
        "created_at": timezone.localtime(notification.created_at, zone),
    }


def _zone(user):
    return zoneinfo.ZoneInfo(user.young_person.structure.time_zone)


@router.get(
    "/notifications",
    response={200: NotificationPage, **ERRORS},
    summary="Lister mes notifications",
    description=(
        "Le centre de notifications du jeune (10 derniers jours), la plus récente d'abord, avec "
        "le nombre de non lues."
    ),
)
def list_notifications(request, filters: Query[NotificationQuery]):
    user = young_caller(request)
    everything = notifications_of(user)
    rows = everything.filter(read_at__isnull=True) if filters.unread else everything
    count = rows.count()
    limit, offset = filters.limit, filters.offset
    zone = _zone(user)
    following = None
    if offset + limit < count:
        following = f"{request.path}?limit={limit}&offset={offset + limit}"
        if filters.unread is not None:
            following += f"&unread={str(filters.unread).lower()}"
    return {
        "items": [notification_out(n, zone) for n in rows[offset : offset + limit]],
        "count": count,
        "unread_count": everything.filter(read_at__isnull=True).count(),
        "next": following,
    }


@router.post(
    "/notifications/{uuid:notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    summary="Marquer une notification comme lue",
    description="Idempotent : une notification déjà lue garde sa date de lecture.",
)
def read_notification(request, notification_id: uuid.UUID):
    user = young_caller(request)
    notification = services.mark_read(user, get_notification_for_user(user, notification_id))
    return notification_out(notification, _zone(user))


@router.post(
    "/notifications/read-all",
    response={200: ReadAllOut, **ERRORS},
    summary="Tout marquer comme lu",
    description="Marque lues toutes les notifications non lues du jeune.",
)
def read_all_notifications(request):
    return {"updated": services.mark_all_read(young_caller(request))}


def preferences_out(user) -> dict:
    prefs = services.preferences_for(user)
    return {
        "items": [
            {"name": topic.value, "label": Topic(topic).label, "enabled": prefs.allows(topic)}
            for topic in services.topics_for(user)
        ]
    }


@router.get(
    "/preferences/notifications",
    response={200: PreferencesOut, **ERRORS},
    summary="Consulter mes préférences de notification",
    description=(
        "Les interrupteurs de l'appelant : un par thème pour un jeune, l'e-mail récapitulatif "
        "des messages non lus pour un conseiller."
    ),
)
def get_preferences(request):
    return preferences_out(caller(request))


@router.patch(
    "/preferences/notifications",
    response={200: PreferencesOut, 400: ErrorOut, **ERRORS},
    summary="Changer mes préférences de notification",
    description=(
        'Envoie seulement les interrupteurs à changer (`{"messages": false}`) ; un nom '
        "inconnu est refusé (422 `unknown_preference`) et rien n'est modifié."
    ),
)
def patch_preferences(request, payload: PreferencesIn):
    user = caller(request)
    # The names as sent (the schema drops unknown ones, which must be refused, not ignored).
    sent = json.loads(request.body or b"{}")
    changes = {name: getattr(payload, name, value) for name, value in sent.items()}
    services.update_preferences(user, changes)
    return preferences_out(user)
