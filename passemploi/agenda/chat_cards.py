"""Cards of appointments and sessions shared in the chat (see passemploi/chat/shared.py)."""

from zoneinfo import ZoneInfo

from django.urls import reverse

from passemploi.agenda.access import appointments_visible_to
from passemploi.chat.shared import Card, register


def _resolver(shared_type: str, is_session: bool):
    def resolve(viewer, ids, role) -> dict:
        cards = {}
        queryset = (
            appointments_visible_to(viewer)
            .filter(pk__in=ids, is_session=is_session)
            .select_related("structure")
        )
        name = "agenda_young:detail" if role == "young_person" else "agenda_counselor:detail"
        for appointment in queryset:
            starts = appointment.starts_at.astimezone(ZoneInfo(appointment.structure.time_zone))
            label = "Session" if is_session else "Rendez-vous"
            detail = f"{label} · le {starts:%d/%m/%Y} à {starts:%H:%M}"
            if appointment.canceled_at:
                detail += " · annulé"
            cards[appointment.pk] = Card(
                type=shared_type,
                id=appointment.pk,
                title=appointment.title,
                detail=detail,
                url=reverse(name, args=[appointment.pk]),
            )
        return cards

    return resolve


register("appointment", _resolver("appointment", is_session=False))
register("session", _resolver("session", is_session=True))
