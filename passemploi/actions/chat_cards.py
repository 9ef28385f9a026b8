"""Cards of actions shared in the chat (see passemploi/chat/shared.py)."""

from django.urls import reverse

from passemploi.actions.access import actions_visible_to
from passemploi.chat.shared import Card, register


def resolve_actions(viewer, ids, role) -> dict:
    cards = {}
    for action in actions_visible_to(viewer).filter(pk__in=ids):
        name = "actions_young:detail" if role == "young_person" else "actions_counselor:detail"
        cards[action.pk] = Card(
            type="action",
            id=action.pk,
            title=action.title,
            detail=f"Action · {action.get_status_display()} · "
            f"échéance le {action.due_date:%d/%m/%Y}",
            url=reverse(name, args=[action.pk]),
        )
    return cards


register("action", resolve_actions)
