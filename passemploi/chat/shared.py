"""Cards of shared items: a message of kind `shared` points at an action, an appointment, a
session or an offer, and shows as a card with a title, one line of detail and a link.

Each domain registers a resolver in a `chat_cards.py` module of its app (discovered when the chat
app starts), e.g. passemploi/actions/chat_cards.py:

    register("action", resolve_actions)

A resolver takes (viewer, ids, role) — role "young_person" or "counselor" — and returns
{id: Card} for the objects the viewer may see, through the domain's own access function and in a
constant number of queries. Anything missing from that answer (forbidden, deleted, unknown type)
shows as "Cet élément n'est plus disponible"."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

UNAVAILABLE = "Cet élément n'est plus disponible"


@dataclass(frozen=True)
class Card:
    type: str
    id: UUID | None
    title: str
    detail: str = ""
    url: str = ""
    available: bool = True


Resolver = Callable[[object, list, str], dict]
_resolvers: dict[str, Resolver] = {}


def register(shared_type: str, resolver: Resolver) -> None:
    _resolvers[shared_type] = resolver


def unavailable(shared_type: str, shared_id) -> Card:
    return Card(type=shared_type, id=shared_id, title=UNAVAILABLE, available=False)


def resolve(viewer, messages: Iterable, role: str) -> dict:
    """{message id: Card} for the shared messages among `messages`, one query batch per type."""
    wanted = defaultdict(set)
    shared = [m for m in messages if m.shared_type and m.deleted_at is None]
    for message in shared:
        if message.shared_id is not None:
            wanted[message.shared_type].add(message.shared_id)
    found = {}
    for shared_type, ids in wanted.items():
        resolver = _resolvers.get(shared_type)
        if resolver is not None:
            for object_id, card in resolver(viewer, sorted(ids), role).items():
                found[(shared_type, object_id)] = card
    return {
        message.pk: found.get((message.shared_type, message.shared_id))
        or unavailable(message.shared_type, message.shared_id)
        for message in shared
    }


def resolve_one(viewer, shared_type: str, shared_id, role: str) -> Card:
    resolver = _resolvers.get(shared_type)
    card = resolver(viewer, [shared_id], role).get(shared_id) if resolver else None
    return card or unavailable(shared_type, shared_id)
