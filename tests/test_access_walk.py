"""Walk every page URL, API operation and socket route against a declared access policy.

Routes are collected from the code (config.urls, the ninja API's OpenAPI schema,
config.routing), so a new route without an entry in the tables below fails this module.

Policy rules checked for every route:
- anonymous is refused (pages: redirect to the login page with ?next=, API: 401 JSON
  not_authenticated, sockets: closed) unless the route is public;
- a signed-in user of the wrong role gets 403 (pages and API);
- on a route taking an object id, a user whose role reaches the route but who may not see that
  object gets exactly the same 404 as for an id that does not exist; its owners succeed.
"""

import base64
import functools
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock
from urllib.parse import urlencode

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config.asgi import application
from config.routing import websocket_urlpatterns
from passemploi.accounts import services, tokens
from passemploi.accounts.middleware import LOGIN_AT_KEY
from passemploi.agenda import registrations
from passemploi.broadcasts.models import BroadcastList
from passemploi.chat import attachments as chat_attachments
from passemploi.chat import services as chat_services
from passemploi.core.api import api
from passemploi.news.models import NewsItem
from passemploi.notifications.models import Notification
from passemploi.offers.models import Alert, AlertSuggestion, Favourite
from passemploi.push.models import DeviceToken, PushSubscription
from passemploi.youth.models import DataExport
from tests.conftest import verify_session
from tests.factories import (
    ActionFactory,
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    StructureFactory,
    UserFactory,
    YoungPersonFactory,
)
from tests.offers.factories import OfferFactory

# --- access levels and the identities that have them --------------------------------------------

PUBLIC = "public"
AUTHENTICATED = "authenticated"
YOUNG_PERSON = "young_person"
COUNSELOR = "counselor"
SUPERVISOR = "supervisor"
STAFF = "staff"
# Young people and counselors alike: the people of an accompaniment (actions, hour counter).
ACCOMPANIMENT = "accompaniment"
# Counselors and support staff: the accounts that hold other people's files (two-factor).
FILE_HOLDER = "file_holder"
# Supervisors (their structure) and support staff (every structure): the impact dashboard.
PILOTAGE = "pilotage"

# Every identity the walk signs in as, with the access levels their role has.
IDENTITIES = {
    "anonymous": {PUBLIC},
    "young_person": {PUBLIC, AUTHENTICATED, YOUNG_PERSON, ACCOMPANIMENT},
    "other_young_person": {PUBLIC, AUTHENTICATED, YOUNG_PERSON, ACCOMPANIMENT},
    # referent of the target young person
    "counselor": {PUBLIC, AUTHENTICATED, COUNSELOR, ACCOMPANIMENT, FILE_HOLDER},
    # same structure, not a supervisor
    "colleague": {PUBLIC, AUTHENTICATED, COUNSELOR, ACCOMPANIMENT, FILE_HOLDER},
    # another structure
    "other_counselor": {PUBLIC, AUTHENTICATED, COUNSELOR, ACCOMPANIMENT, FILE_HOLDER},
    "supervisor": {
        PUBLIC,
        AUTHENTICATED,
        COUNSELOR,
        SUPERVISOR,
        ACCOMPANIMENT,
        FILE_HOLDER,
        PILOTAGE,
    },
    # another structure
    "other_supervisor": {
        PUBLIC,
        AUTHENTICATED,
        COUNSELOR,
        SUPERVISOR,
        ACCOMPANIMENT,
        FILE_HOLDER,
        PILOTAGE,
    },
    "staff": {PUBLIC, AUTHENTICATED, STAFF, FILE_HOLDER, PILOTAGE},
    "no_role": {PUBLIC, AUTHENTICATED},  # an account with no profile and no staff flag
}
# Role checks are walked with one identity per role; the others only matter for objects.
ROLE_IDENTITIES = ["anonymous", "young_person", "counselor", "supervisor", "staff", "no_role"]

# For each kind of object a route can take by id: who may open the world's target object, and
# who may not although their role reaches such routes. Those are the access.py rules.
OBJECT_RULES = {
    "young_person": {
        "owners": ["young_person", "counselor", "supervisor"],
        "outsiders": ["other_young_person", "colleague", "other_counselor", "other_supervisor"],
    },
    "counselor": {
        "owners": ["supervisor"],
        "outsiders": ["other_supervisor", "counselor", "colleague", "other_counselor"],
    },
    # An action of the young person: theirs, their referent's and their structure supervisor's.
    "action": {
        "owners": ["young_person", "counselor", "supervisor"],
        "outsiders": ["other_young_person", "colleague", "other_counselor", "other_supervisor"],
    },
    # An individual appointment of the counselor with the young person.
    "appointment": {
        "owners": ["young_person", "counselor", "supervisor"],
        "outsiders": ["other_young_person", "colleague", "other_counselor", "other_supervisor"],
    },
    # A session of the structure, hidden from its young people, the young person registered:
    # every counselor of the structure manages sessions; other young people do not see it.
    "session": {
        "owners": ["young_person", "counselor", "colleague", "supervisor"],
        "outsiders": ["other_young_person", "other_counselor", "other_supervisor"],
    },
    # The same individual appointment, started an hour ago: it can be closed.
    "past_appointment": {
        "owners": ["young_person", "counselor", "supervisor"],
        "outsiders": ["other_young_person", "colleague", "other_counselor", "other_supervisor"],
    },
    # The young person's conversation, and a message of it: private to the young person and their
    # current counselor (not the structure's supervisor).
    "conversation": {
        "owners": ["young_person", "counselor"],
        "outsiders": [
            "other_young_person",
            "colleague",
            "other_counselor",
            "supervisor",
            "other_supervisor",
        ],
    },
    "message": {
        "owners": ["young_person", "counselor"],
        "outsiders": [
            "other_young_person",
            "colleague",
            "other_counselor",
            "supervisor",
            "other_supervisor",
        ],
    },
    # A sent attachment of the young person's conversation: the two parties only.
    "attachment": {
        "owners": ["young_person", "counselor"],
        "outsiders": [
            "other_young_person",
            "colleague",
            "other_counselor",
            "supervisor",
            "other_supervisor",
        ],
    },
    # A young person's file (dossier): every counselor of the structure reads it.
    "structure_young_person": {
        "owners": ["counselor", "colleague", "supervisor"],
        "outsiders": ["other_counselor", "other_supervisor"],
    },
    # A young person of the counselor's own portfolio (starting their conversation).
    "portfolio_young_person": {
        "owners": ["counselor"],
        "outsiders": ["colleague", "other_counselor", "supervisor", "other_supervisor"],
    },
    # A notification of the young person's centre: theirs alone.
    "notification": {"owners": ["young_person"], "outsiders": ["other_young_person"]},
    # A broadcast list of the counselor: theirs alone (not their supervisor's).
    "broadcast_list": {
        "owners": ["counselor"],
        "outsiders": ["colleague", "other_counselor", "supervisor", "other_supervisor"],
    },
    # A news item of the structure: every counselor of the structure manages it.
    "news_item": {
        "owners": ["counselor", "colleague", "supervisor"],
        "outsiders": ["other_counselor", "other_supervisor"],
    },
    # A device token: its user's alone. The walk's is the young person's phone, or for the
    # counselor identity their own phone (so both roles the route admits have an owner).
    "device": {
        "owners": ["young_person", "counselor"],
        "outsiders": [
            "other_young_person",
            "colleague",
            "other_counselor",
            "supervisor",
            "other_supervisor",
        ],
    },
    # An offer of the catalogue: open to every signed-in account the route admits (an expired
    # or missing one is the 404, tests/offers/test_api.py).
    "offer": {"owners": list(IDENTITIES), "outsiders": [], "open": True},
    # An offer the young person follows: theirs alone.
    "favourite": {"owners": ["young_person"], "outsiders": ["other_young_person"]},
    # A ready data export (GDPR archive) of the young person: theirs alone.
    "data_export": {"owners": ["young_person"], "outsiders": ["other_young_person"]},
    # An alert (saved search) of the young person, a search suggested to them: theirs alone.
    "alert": {"owners": ["young_person"], "outsiders": ["other_young_person"]},
    "suggestion": {"owners": ["young_person"], "outsiders": ["other_young_person"]},
}


@dataclass(frozen=True)
class Policy:
    access: str
    method: str = "get"
    # The kind of object (a key of OBJECT_RULES) named by the route's id parameter.
    obj: str | None = None
    obj_param: str = "pk"
    # A visible effect of a successful call on the object: checked for owners and outsiders.
    effect: str | None = None
    # The body of a write (API: JSON; pages: form fields), the query of an API read. A dict, or
    # a function of (world, identity) returning one.
    data: object = None


# --- the policy tables ---------------------------------------------------------------------------

PAGES = {
    "core:home": Policy(PUBLIC),  # sends each role to its space; anonymous to the login page
    "core:healthz": Policy(PUBLIC),
    "core:legal": Policy(PUBLIC),
    "core:privacy": Policy(PUBLIC),
    "core:terms": Policy(PUBLIC),
    "core:accessibility": Policy(PUBLIC),
    "accounts:login": Policy(PUBLIC),
    "accounts:logout": Policy(AUTHENTICATED, method="post"),
    "accounts:sign_out_everywhere": Policy(AUTHENTICATED, method="post"),
    "accounts:activate": Policy(PUBLIC),
    "accounts:password_reset": Policy(PUBLIC),
    "accounts:password_reset_done": Policy(PUBLIC),
    "accounts:password_reset_confirm": Policy(PUBLIC),
    "accounts:password_reset_complete": Policy(PUBLIC),
    # The second sign-in step: without a pending sign-in it sends back to the login page.
    "mfa:verify": Policy(PUBLIC),
    "mfa:enrol": Policy(PUBLIC),
    "mfa:security": Policy(FILE_HOLDER),
    # Federated sign-in (tests/sso): the provider's button and its callback; an unconfigured
    # provider is a 404, a callback without this browser's state the refusal page.
    "sso:start": Policy(PUBLIC, method="post"),
    "sso:callback": Policy(PUBLIC),
    "portfolio:index": Policy(COUNSELOR),
    "portfolio:resend_activation": Policy(
        COUNSELOR, method="post", obj="young_person", effect="activation_email"
    ),
    "portfolio:team": Policy(SUPERVISOR),
    "portfolio:reassign": Policy(SUPERVISOR),  # POST moves: tests/portfolio/test_views_moves.py
    "portfolio:archives": Policy(SUPERVISOR),
    "portfolio:archive": Policy(COUNSELOR, obj="young_person"),  # GET asks, POST confirms
    "portfolio:unarchive": Policy(SUPERVISOR, method="post", obj="young_person"),
    "portfolio:take_back": Policy(COUNSELOR, method="post"),
    "portfolio:profile": Policy(COUNSELOR),
    "portfolio:file": Policy(COUNSELOR, obj="structure_young_person"),
    "portfolio:export_csv": Policy(COUNSELOR),
    "portfolio:export_xlsx": Policy(COUNSELOR),
    "actions_counselor:young_person_actions": Policy(COUNSELOR, obj="young_person"),
    "actions_counselor:hour_counter": Policy(
        COUNSELOR, method="post", obj="young_person", data={"enabled": "True"}
    ),
    "actions_counselor:create": Policy(COUNSELOR),
    "actions_counselor:detail": Policy(COUNSELOR, obj="action"),
    "actions_counselor:edit": Policy(COUNSELOR, obj="action"),
    "actions_counselor:comment": Policy(
        COUNSELOR, method="post", obj="action", data={"body": "Bravo !"}
    ),
    "actions_counselor:qualify": Policy(COUNSELOR, method="post", obj="action"),
    "actions_counselor:to_qualify": Policy(COUNSELOR),
    "agenda_counselor:week": Policy(COUNSELOR),
    "agenda_counselor:create": Policy(COUNSELOR),
    "agenda_counselor:create_session": Policy(COUNSELOR),
    "agenda_counselor:detail": Policy(COUNSELOR, obj="appointment"),
    "agenda_counselor:edit": Policy(COUNSELOR, obj="appointment"),  # GET shows, POST saves
    "agenda_counselor:cancel": Policy(COUNSELOR, obj="appointment"),  # GET asks the reason
    "agenda_counselor:close": Policy(COUNSELOR, obj="appointment"),  # not yet started: says so
    "agenda_counselor:register": Policy(
        COUNSELOR,
        method="post",
        obj="session",
        # Another young person of the structure, not yet registered to the fresh session.
        data=lambda world, identity: {"young_person": world.target_young_person.pk},
    ),
    "agenda_counselor:unregister": Policy(
        COUNSELOR,
        method="post",
        obj="session",
        data=lambda world, identity: {
            "young_person": _their_young_person(world),
            "reason": "A trouvé un emploi",
        },
    ),
    "agenda_counselor:sheet": Policy(COUNSELOR, obj="appointment"),
    "agenda_counselor:sheet_csv": Policy(COUNSELOR, obj="appointment"),
    "agenda_counselor:to_close": Policy(COUNSELOR),
    "youth:home": Policy(YOUNG_PERSON),
    "youth:tracking": Policy(YOUNG_PERSON),
    "youth:messages": Policy(YOUNG_PERSON),
    "chat_counselor:list": Policy(COUNSELOR),
    "chat_counselor:start": Policy(COUNSELOR, method="post", obj="portfolio_young_person"),
    "chat_counselor:conversation": Policy(COUNSELOR, obj="conversation"),  # POST sends
    "chat_counselor:thread": Policy(COUNSELOR, obj="conversation"),
    "chat_counselor:flag": Policy(
        COUNSELOR, method="post", obj="conversation", data={"flagged": "1"}
    ),
    "chat_counselor:edit": Policy(COUNSELOR, method="post", obj="message", data={"body": "Oui"}),
    "chat_counselor:delete": Policy(COUNSELOR, method="post", obj="message"),
    "chat_young:thread": Policy(YOUNG_PERSON),
    "chat_young:attachment": Policy(YOUNG_PERSON, obj="attachment"),
    "chat_counselor:attachment": Policy(COUNSELOR, obj="attachment"),
    # Shares an action of the target young person; others' portfolios get a message, no share.
    "chat_counselor:share": Policy(
        COUNSELOR,
        method="post",
        data=lambda world, identity: {
            "young_person": world.target_young_person.pk,
            "shared_type": "action",
            "shared_id": ActionFactory(young_person=world.target_young_person).pk,
        },
    ),
    "chat_young:edit": Policy(YOUNG_PERSON, method="post", obj="message", data={"body": "Oui"}),
    "chat_young:delete": Policy(YOUNG_PERSON, method="post", obj="message"),
    "broadcasts_counselor:index": Policy(COUNSELOR),
    "broadcasts_counselor:create": Policy(COUNSELOR),
    "broadcasts_counselor:edit": Policy(COUNSELOR, obj="broadcast_list"),  # POST saves
    "broadcasts_counselor:delete": Policy(COUNSELOR, obj="broadcast_list"),  # GET confirms
    "broadcasts_counselor:send": Policy(COUNSELOR),  # POST sends
    "broadcasts_counselor:notice": Policy(COUNSELOR),  # POST saves
    "broadcasts_counselor:notice_remove": Policy(COUNSELOR, method="post"),
    "news_counselor:index": Policy(COUNSELOR),
    "news_counselor:create": Policy(COUNSELOR),
    "news_counselor:edit": Policy(COUNSELOR, obj="news_item"),
    "news_counselor:delete": Policy(COUNSELOR, obj="news_item"),  # GET confirms
    "news_young:index": Policy(YOUNG_PERSON),
    "offers_young:search": Policy(YOUNG_PERSON),
    "offers_young:detail": Policy(YOUNG_PERSON, obj="offer", obj_param="offer_id"),
    "offers_counselor:search": Policy(COUNSELOR),
    "offers_counselor:detail": Policy(COUNSELOR, obj="offer", obj_param="offer_id"),
    "geo:options": Policy(AUTHENTICATED),
    "offers_young:save": Policy(YOUNG_PERSON, method="post", obj="offer", obj_param="offer_id"),
    "offers_young:remove": Policy(YOUNG_PERSON, method="post", obj="offer", obj_param="offer_id"),
    "offers_young:apply": Policy(YOUNG_PERSON, method="post", obj="offer", obj_param="offer_id"),
    "offers_young:favourites": Policy(YOUNG_PERSON),
    "offers_young:sharing": Policy(YOUNG_PERSON, method="post", data={"shared": "1"}),
    "offers_counselor:young_person_favourites": Policy(COUNSELOR, obj="young_person"),
    "offers_young:answer": Policy(
        YOUNG_PERSON, method="post", obj="favourite", data={"answer": "not_yet"}
    ),
    "offers_young:status": Policy(
        YOUNG_PERSON, method="post", obj="favourite", data={"status": "applied"}
    ),
    "offers_young:create_action": Policy(YOUNG_PERSON, method="post", obj="favourite"),
    "offers_young:alerts": Policy(YOUNG_PERSON),
    "offers_young:alert_create": Policy(
        YOUNG_PERSON, method="post", data={"name": "Vente", "recherche": "q=vendeur"}
    ),
    "offers_young:alert_rename": Policy(
        YOUNG_PERSON, method="post", obj="alert", data={"name": "Ventes"}
    ),
    "offers_young:alert_delete": Policy(YOUNG_PERSON, method="post", obj="alert"),
    "offers_young:suggestion_accept": Policy(YOUNG_PERSON, method="post", obj="suggestion"),
    "offers_young:suggestion_refuse": Policy(YOUNG_PERSON, method="post", obj="suggestion"),
    "offers_counselor:suggest": Policy(
        COUNSELOR,
        method="post",
        data=lambda world, identity: {
            "young_person": str(_their_young_person(world)),
            "name": "Vente",
            "recherche": "q=vendeur",
        },
    ),
    "offers_counselor:share": Policy(
        COUNSELOR,
        method="post",
        obj="offer",
        obj_param="offer_id",
        data=lambda world, identity: {
            "client_id": str(uuid.uuid4()),
            "young_people": [str(pk) for pk in _share(world, identity)["young_person_ids"]],
        },
    ),
    "youth:events": Policy(YOUNG_PERSON),
    "youth:profile": Policy(YOUNG_PERSON),
    "youth:terms": Policy(YOUNG_PERSON),
    "youth:onboarding": Policy(YOUNG_PERSON),
    "youth:onboarding_done": Policy(YOUNG_PERSON, method="post"),
    "youth:faq": Policy(YOUNG_PERSON),
    "youth:contact": Policy(YOUNG_PERSON),  # POST: tests/youth/test_help.py
    "youth:data_export": Policy(YOUNG_PERSON),  # POST: tests/youth/test_export.py
    "youth:data_export_download": Policy(YOUNG_PERSON, obj="data_export"),
    "agenda_young:detail": Policy(YOUNG_PERSON, obj="appointment"),
    "agenda_young:ics": Policy(YOUNG_PERSON, obj="appointment"),
    "agenda_young:register": Policy(YOUNG_PERSON, method="post", obj="session"),
    "agenda_young:unregister": Policy(
        YOUNG_PERSON, method="post", obj="session", data={"reason": "Un entretien d'embauche"}
    ),
    "agenda_young:sync": Policy(YOUNG_PERSON),
    "agenda_young:sync_revoke": Policy(YOUNG_PERSON, method="post"),
    # Public by token: calendar apps fetch it without a session. The walk fills in a real
    # token (World.public_params); a wrong or revoked token is a 404 (tests/agenda/test_feeds.py).
    "calendar_feed:feed": Policy(PUBLIC),
    "calendar_feed:counselor_sync": Policy(COUNSELOR),
    "calendar_feed:counselor_revoke": Policy(COUNSELOR, method="post"),
    "actions_young:create": Policy(YOUNG_PERSON),
    "actions_young:detail": Policy(YOUNG_PERSON, obj="action"),  # POST adds a comment
    "actions_young:edit": Policy(YOUNG_PERSON, obj="action"),
    "actions_young:status": Policy(YOUNG_PERSON, method="post", obj="action"),
    "actions_young:duplicate": Policy(YOUNG_PERSON, method="post", obj="action"),
    "actions_young:delete": Policy(YOUNG_PERSON, obj="action"),  # GET confirms, POST deletes
    "notifications_young:centre": Policy(YOUNG_PERSON),
    "notifications_young:read": Policy(YOUNG_PERSON, method="post", obj="notification"),
    "notifications_young:read_all": Policy(YOUNG_PERSON, method="post"),
    "notifications_young:preferences": Policy(YOUNG_PERSON),  # POST saves
    "notifications_counselor:preferences": Policy(COUNSELOR),
    "youth:offline": Policy(PUBLIC),  # the service worker caches it
    "youth:manifest": Policy(PUBLIC),
    "youth:service_worker": Policy(PUBLIC),
    # The API's own non-operation pages: its documentation is public.
    "api:api-root": Policy(PUBLIC),
    "stats:public": Policy(PUBLIC),
    "stats:csv": Policy(PUBLIC),
    "stats:impact": Policy(PILOTAGE),
    "api:openapi-json": Policy(PUBLIC),
    "api:openapi-view": Policy(PUBLIC),
}

ACTION_ID = {"obj": "action", "obj_param": "action_id"}


def _today():
    return timezone.localdate()


def _their_young_person(world):
    """The young person of the "young_person" identity, followed by "counselor" and "supervisor"."""
    return world.target("young_person", "young_person").pk


def _new_action(world, identity) -> dict:
    """A valid new action: counselors name the world's young person, who may name themself."""
    return {
        "title": "Envoyer une candidature",
        "category": "EMPLOI",
        "due_date": _today(),
        "young_person_id": _their_young_person(world),
    }


APPOINTMENT_ID = {"obj": "appointment", "obj_param": "appointment_id"}
CONVERSATION_ID = {"obj": "conversation", "obj_param": "conversation_id"}
MESSAGE_ID = {"obj": "message", "obj_param": "message_id"}
SESSION_ID = {"obj": "session", "obj_param": "session_id"}


def _new_appointment(world, identity) -> dict:
    """A valid new appointment with the world's young person, or session (without)."""
    return {
        "young_person_ids": [_their_young_person(world)],
        "type": "ENTRETIEN_INDIVIDUEL_CONSEILLER",
        "title": "Point sur la recherche d'emploi",
        "starts_at": timezone.now() + timedelta(days=1),
        "duration_minutes": 30,
        "modality": "phone",
    }


def _new_session(world, identity) -> dict:
    return _new_appointment(world, identity) | {
        "young_person_ids": [],
        "type": "ATELIER",
        "max_participants": 10,
    }


def _registration(world, identity) -> dict:
    """A young person acts for themself; a counselor names the world's young person."""
    if identity in ("young_person", "other_young_person"):
        return {}
    return {"young_person_id": _their_young_person(world)}


def _push_subscription(endpoint: str) -> dict:
    """A well-formed Web Push subscription (a fresh P-256 public key, a 16-byte secret)."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return {
        "endpoint": endpoint,
        "keys": {
            "p256dh": base64.urlsafe_b64encode(point).rstrip(b"=").decode(),
            "auth": base64.urlsafe_b64encode(b"0123456789abcdef").rstrip(b"=").decode(),
        },
    }


def _own_push_subscription(world, identity) -> dict:
    """The endpoint of a subscription of the caller's (any endpoint for anonymous)."""
    endpoint = f"https://push.example.net/{uuid.uuid4()}"
    user = world.users[identity]
    if user is not None:
        keys = _push_subscription(endpoint)["keys"]
        PushSubscription.objects.create(user=user, endpoint=endpoint, **keys)
    return {"endpoint": endpoint}


LIST_ID = {"obj": "broadcast_list", "obj_param": "list_id"}
NEWS_ID = {"obj": "news_item", "obj_param": "news_id"}


def _share(world, identity) -> dict:
    """An offer shared to a young person of the caller's own portfolio (a fresh one)."""
    return _group_message(world, identity) | {"offer_id": OfferFactory().pk}


def _group_message(world, identity) -> dict:
    """A group message to a young person of the caller's own portfolio (a fresh one, so a
    supervisor, who follows nobody in the world, has someone to write to)."""
    user = world.users[identity]
    counselor = getattr(user, "counselor", None) if user is not None else None
    ids = [YoungPersonFactory(counselor=counselor).pk] if counselor is not None else []
    return {"client_id": uuid.uuid4(), "young_person_ids": ids, "body": "Bonjour à tous"}


API = {
    "POST /api/v1/auth/token": Policy(PUBLIC, method="post"),
    "POST /api/v1/auth/refresh": Policy(PUBLIC, method="post"),
    "POST /api/v1/auth/revoke": Policy(PUBLIC, method="post"),
    # Native apps' federated sign-in (tests/sso/test_api.py); the walk sends no body: 422.
    "POST /api/v1/auth/oidc/{provider}/token": Policy(PUBLIC, method="post"),
    "GET /api/v1/me": Policy(AUTHENTICATED),
    "GET /api/v1/stats": Policy(PUBLIC),
    "GET /api/v1/stats/series": Policy(PUBLIC, data={"measure": "messages"}),
    "GET /api/v1/stats/impact": Policy(PILOTAGE),
    "GET /api/v1/communes": Policy(AUTHENTICATED, data={"q": "lyon"}),
    "GET /api/v1/offers": Policy(AUTHENTICATED, data={"q": "vendeur"}),
    "GET /api/v1/offers/{offer_id}": Policy(AUTHENTICATED, obj="offer", obj_param="offer_id"),
    "GET /api/v1/favourites": Policy(YOUNG_PERSON),
    "PUT /api/v1/favourites/sharing": Policy(YOUNG_PERSON, method="put", data={"shared": True}),
    "GET /api/v1/young-people/{young_person_id}/favourites": Policy(
        ACCOMPANIMENT, obj="young_person", obj_param="young_person_id"
    ),
    "POST /api/v1/favourites": Policy(
        YOUNG_PERSON, method="post", data=lambda world, identity: {"offer_id": OfferFactory().pk}
    ),
    "PATCH /api/v1/favourites/{favourite_id}": Policy(
        YOUNG_PERSON,
        method="patch",
        data={"status": "applied"},
        obj="favourite",
        obj_param="favourite_id",
    ),
    "DELETE /api/v1/favourites/{favourite_id}": Policy(
        YOUNG_PERSON, method="delete", obj="favourite", obj_param="favourite_id"
    ),
    "GET /api/v1/alerts": Policy(YOUNG_PERSON),
    "POST /api/v1/alerts": Policy(
        YOUNG_PERSON, method="post", data={"name": "Vente", "criteria": {"q": "vendeur"}}
    ),
    "PATCH /api/v1/alerts/{alert_id}": Policy(
        YOUNG_PERSON, method="patch", obj="alert", obj_param="alert_id", data={"name": "Ventes"}
    ),
    "DELETE /api/v1/alerts/{alert_id}": Policy(
        YOUNG_PERSON, method="delete", obj="alert", obj_param="alert_id"
    ),
    "GET /api/v1/suggestions": Policy(ACCOMPANIMENT),
    "POST /api/v1/suggestions": Policy(
        COUNSELOR,
        method="post",
        data=lambda world, identity: {
            "young_person_id": _their_young_person(world),
            "name": "Vente",
            "criteria": {"q": "vendeur"},
        },
    ),
    "POST /api/v1/suggestions/{suggestion_id}/accept": Policy(
        YOUNG_PERSON, method="post", obj="suggestion", obj_param="suggestion_id"
    ),
    "POST /api/v1/suggestions/{suggestion_id}/refuse": Policy(
        YOUNG_PERSON, method="post", obj="suggestion", obj_param="suggestion_id"
    ),
    "GET /api/v1/shares": Policy(YOUNG_PERSON),
    "POST /api/v1/shares": Policy(COUNSELOR, method="post", data=_share),
    "POST /api/v1/favourites/{favourite_id}/answer": Policy(
        YOUNG_PERSON,
        method="post",
        data={"answer": "not_yet"},
        obj="favourite",
        obj_param="favourite_id",
    ),
    "GET /api/v1/actions": Policy(ACCOMPANIMENT),
    "POST /api/v1/actions": Policy(ACCOMPANIMENT, method="post", data=_new_action),
    "POST /api/v1/actions/batch": Policy(
        ACCOMPANIMENT,
        method="post",
        data=lambda world, identity: (
            _new_action(world, identity) | {"dates": [_today(), _today() + timedelta(days=1)]}
        ),
    ),
    "POST /api/v1/actions/qualify": Policy(
        COUNSELOR,
        method="post",
        data=lambda world, identity: {"action_ids": [world.target("action", identity).pk]},
    ),
    "GET /api/v1/actions/{action_id}": Policy(ACCOMPANIMENT, **ACTION_ID),
    "PATCH /api/v1/actions/{action_id}": Policy(
        ACCOMPANIMENT, method="patch", data={"title": "Nouveau titre"}, **ACTION_ID
    ),
    "DELETE /api/v1/actions/{action_id}": Policy(ACCOMPANIMENT, method="delete", **ACTION_ID),
    "POST /api/v1/actions/{action_id}/status": Policy(
        ACCOMPANIMENT, method="post", data={"status": "in_progress"}, **ACTION_ID
    ),
    "POST /api/v1/actions/{action_id}/duplicate": Policy(ACCOMPANIMENT, method="post", **ACTION_ID),
    "GET /api/v1/actions/{action_id}/comments": Policy(ACCOMPANIMENT, **ACTION_ID),
    "POST /api/v1/actions/{action_id}/comments": Policy(
        ACCOMPANIMENT, method="post", data={"body": "Bravo !"}, **ACTION_ID
    ),
    "GET /api/v1/actions/{action_id}/history": Policy(ACCOMPANIMENT, **ACTION_ID),
    "POST /api/v1/actions/{action_id}/qualify": Policy(COUNSELOR, method="post", **ACTION_ID),
    "GET /api/v1/hour-counter": Policy(
        ACCOMPANIMENT, data=lambda world, identity: {"young_person_id": _their_young_person(world)}
    ),
    "GET /api/v1/action-categories": Policy(ACCOMPANIMENT),
    "POST /api/v1/actions/for-young-people": Policy(
        COUNSELOR,
        method="post",
        data=lambda world, identity: (
            {
                key: value
                for key, value in _new_action(world, identity).items()
                if key != "young_person_id"
            }
            | {"young_person_ids": [_their_young_person(world)]}
        ),
    ),
    "PUT /api/v1/young-people/{young_person_id}/hour-counter": Policy(
        COUNSELOR,
        method="put",
        obj="young_person",
        obj_param="young_person_id",
        data={"enabled": True},
    ),
    # Agenda: rendez-vous, sessions, registrations, calendar.
    "GET /api/v1/appointments": Policy(ACCOMPANIMENT),
    "POST /api/v1/appointments": Policy(COUNSELOR, method="post", data=_new_appointment),
    "GET /api/v1/appointments/{appointment_id}": Policy(ACCOMPANIMENT, **APPOINTMENT_ID),
    "PATCH /api/v1/appointments/{appointment_id}": Policy(
        COUNSELOR, method="patch", data={"title": "Nouveau titre"}, **APPOINTMENT_ID
    ),
    "POST /api/v1/appointments/{appointment_id}/cancel": Policy(
        COUNSELOR, method="post", data={"reason": "Conseiller absent"}, **APPOINTMENT_ID
    ),
    "POST /api/v1/appointments/{appointment_id}/close": Policy(
        COUNSELOR,
        method="post",
        obj="past_appointment",
        obj_param="appointment_id",
        data=lambda world, identity: {"attendance": {str(_their_young_person(world)): "present"}},
    ),
    "GET /api/v1/appointments/{appointment_id}/changes": Policy(COUNSELOR, **APPOINTMENT_ID),
    "GET /api/v1/appointments/{appointment_id}/calendar": Policy(ACCOMPANIMENT, **APPOINTMENT_ID),
    "GET /api/v1/sessions": Policy(ACCOMPANIMENT),
    "POST /api/v1/sessions": Policy(COUNSELOR, method="post", data=_new_session),
    "GET /api/v1/sessions/{session_id}/registrations": Policy(COUNSELOR, **SESSION_ID),
    "POST /api/v1/sessions/{session_id}/registrations": Policy(
        ACCOMPANIMENT, method="post", data=_registration, **SESSION_ID
    ),
    "POST /api/v1/sessions/{session_id}/registrations/cancel": Policy(
        ACCOMPANIMENT,
        method="post",
        data=lambda world, identity: _registration(world, identity) | {"reason": "Malade"},
        **SESSION_ID,
    ),
    "GET /api/v1/calendar": Policy(
        ACCOMPANIMENT,
        data=lambda world, identity: {"from": _today(), "to": _today() + timedelta(days=6)},
    ),
    "GET /api/v1/calendar/feed": Policy(ACCOMPANIMENT),
    "POST /api/v1/calendar/feed/revoke": Policy(ACCOMPANIMENT, method="post"),
    # Messaging.
    "GET /api/v1/notifications": Policy(YOUNG_PERSON),
    "POST /api/v1/notifications/{notification_id}/read": Policy(
        YOUNG_PERSON, method="post", obj="notification", obj_param="notification_id"
    ),
    "POST /api/v1/notifications/read-all": Policy(YOUNG_PERSON, method="post"),
    "GET /api/v1/preferences/notifications": Policy(ACCOMPANIMENT),
    "PATCH /api/v1/preferences/notifications": Policy(
        ACCOMPANIMENT, method="patch", data={"digest": True}
    ),
    "GET /api/v1/conversations": Policy(ACCOMPANIMENT),
    "GET /api/v1/conversations/{conversation_id}": Policy(ACCOMPANIMENT, **CONVERSATION_ID),
    "GET /api/v1/conversations/{conversation_id}/messages": Policy(
        ACCOMPANIMENT, data={"after_seq": 0}, **CONVERSATION_ID
    ),
    "POST /api/v1/conversations/{conversation_id}/messages": Policy(
        ACCOMPANIMENT, method="post", data={"body": "Bonjour"}, **CONVERSATION_ID
    ),
    "POST /api/v1/conversations/{conversation_id}/read": Policy(
        ACCOMPANIMENT, method="post", **CONVERSATION_ID
    ),
    "POST /api/v1/conversations/{conversation_id}/flag": Policy(
        COUNSELOR, method="post", data={"flagged": True}, **CONVERSATION_ID
    ),
    "PATCH /api/v1/messages/{message_id}": Policy(
        ACCOMPANIMENT, method="patch", data={"body": "Corrigé"}, **MESSAGE_ID
    ),
    "DELETE /api/v1/messages/{message_id}": Policy(ACCOMPANIMENT, method="delete", **MESSAGE_ID),
    "POST /api/v1/conversations/{conversation_id}/attachments": Policy(
        ACCOMPANIMENT,
        method="post",
        data=lambda world, identity: {"file": SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n%%EOF\n")},
        **CONVERSATION_ID,
    ),
    "GET /api/v1/attachments/{attachment_id}/content": Policy(
        ACCOMPANIMENT, obj="attachment", obj_param="attachment_id"
    ),
    # Broadcast lists, group messages, the pinned notice (passemploi/broadcasts).
    "GET /api/v1/broadcast-lists": Policy(COUNSELOR),
    "POST /api/v1/broadcast-lists": Policy(
        COUNSELOR, method="post", data=lambda world, identity: {"name": f"Liste {uuid.uuid4()}"}
    ),
    "GET /api/v1/broadcast-lists/{list_id}": Policy(COUNSELOR, **LIST_ID),
    "PATCH /api/v1/broadcast-lists/{list_id}": Policy(
        COUNSELOR,
        method="patch",
        data=lambda world, identity: {"name": f"Liste {uuid.uuid4()}"},
        **LIST_ID,
    ),
    "DELETE /api/v1/broadcast-lists/{list_id}": Policy(COUNSELOR, method="delete", **LIST_ID),
    "PUT /api/v1/broadcast-lists/{list_id}/members": Policy(
        COUNSELOR,
        method="put",
        data=lambda world, identity: {"young_person_ids": [_their_young_person(world)]},
        **LIST_ID,
    ),
    "POST /api/v1/group-messages": Policy(COUNSELOR, method="post", data=_group_message),
    "GET /api/v1/pinned-notice": Policy(ACCOMPANIMENT),
    "PUT /api/v1/pinned-notice": Policy(
        COUNSELOR,
        method="put",
        data=lambda world, identity: {
            "text": "Absent cette semaine",
            "starts_on": _today(),
            "ends_on": _today(),
        },
    ),
    "DELETE /api/v1/pinned-notice": Policy(COUNSELOR, method="delete"),
    # Structure news (passemploi/news).
    "GET /api/v1/news": Policy(ACCOMPANIMENT),
    "POST /api/v1/news": Policy(
        COUNSELOR, method="post", data={"title": "Forum de l'alternance", "text": "Venez !"}
    ),
    "PATCH /api/v1/news/{news_id}": Policy(
        COUNSELOR, method="patch", data={"title": "Forum : nouvelle salle"}, **NEWS_ID
    ),
    "DELETE /api/v1/news/{news_id}": Policy(COUNSELOR, method="delete", **NEWS_ID),
    # Portfolio: reassignment (supervisors) and archiving.
    "POST /api/v1/reassignments": Policy(
        SUPERVISOR,
        method="post",
        # A fixed client id: the second call of the walk (session after bearer) is a retry.
        data=lambda world, identity: {
            "young_person_ids": [world.target_young_person.pk],
            "target_counselor_id": world.target_counselor.pk,
            "temporary": True,
            "client_id": uuid.UUID(int=7),
        },
    ),
    "POST /api/v1/reassignments/take-back": Policy(COUNSELOR, method="post"),
    "GET /api/v1/young-people/{young_person_id}/reassignments": Policy(
        COUNSELOR, obj="young_person", obj_param="young_person_id"
    ),
    "GET /api/v1/portfolio": Policy(COUNSELOR),
    "GET /api/v1/portfolio/export": Policy(COUNSELOR),
    "GET /api/v1/young-people/{young_person_id}/file": Policy(
        COUNSELOR, obj="structure_young_person", obj_param="young_person_id"
    ),
    "POST /api/v1/archives": Policy(
        COUNSELOR,
        method="post",
        data=lambda world, identity: {
            "young_person_id": world.target_young_person.pk,
            "reason": "moved",
            "end_date": _today(),
        },
    ),
    "POST /api/v1/archives/{young_person_id}/restore": Policy(
        SUPERVISOR, method="post", obj="young_person", obj_param="young_person_id"
    ),
    # Push channels (passemploi/push).
    "GET /api/v1/push/vapid-public-key": Policy(AUTHENTICATED),
    "POST /api/v1/push-subscriptions": Policy(
        ACCOMPANIMENT,
        method="post",
        data=lambda world, identity: _push_subscription("https://push.example.net/walk"),
    ),
    "DELETE /api/v1/push-subscriptions": Policy(
        ACCOMPANIMENT, method="delete", data=_own_push_subscription
    ),
    "POST /api/v1/devices": Policy(
        ACCOMPANIMENT, method="post", data={"platform": "android", "token": "walk-token"}
    ),
    "DELETE /api/v1/devices/{token}": Policy(
        ACCOMPANIMENT, method="delete", obj="device", obj_param="token"
    ),
}

SOCKETS = {
    "ws/events/": Policy(AUTHENTICATED),
    "ws/": Policy(AUTHENTICATED),  # the session here; tokens: tests/chat/test_socket.py
}

ADMIN_NAMESPACE = "admin"
API_NAMESPACE = "api"


# --- route collection ---------------------------------------------------------------------------

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    key: str
    route: str  # the Django route string, e.g. "conseiller/beneficiaires/<uuid:pk>/..."
    converters: dict = field(default_factory=dict, compare=False)


def _is_api_operation(pattern: URLPattern) -> bool:
    return "PathView" in getattr(pattern.callback, "__qualname__", "")


def _walk(patterns, prefix="", namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), namespace)
        else:
            yield prefix + str(pattern.pattern), namespaces, pattern


def collect_pages() -> dict[str, Route]:
    """Every page of config.urls, except the admin's own and the API's operations."""
    routes = {}
    for route, namespaces, pattern in _walk(get_resolver().url_patterns):
        if ADMIN_NAMESPACE in namespaces:
            continue
        if API_NAMESPACE in namespaces and _is_api_operation(pattern):
            continue
        key = ":".join((*namespaces, pattern.name)) if pattern.name else route
        assert key not in routes, f"two URL patterns share the key {key!r}"
        routes[key] = Route(key, route, dict(pattern.pattern.converters))
    return routes


def collect_api_operation_routes() -> set[str]:
    """The API's operation URL patterns, as OpenAPI-style paths (to check the schema is whole)."""
    paths = set()
    for route, namespaces, pattern in _walk(get_resolver().url_patterns):
        if API_NAMESPACE in namespaces and _is_api_operation(pattern):
            paths.add("/" + PARAM.sub(lambda m: "{" + m["name"] + "}", route))
    return paths


def collect_api() -> dict[str, Route]:
    routes = {}
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            key = f"{method.upper()} {path}"
            routes[key] = Route(key, path)
    return routes


def _walk_sockets(routes, prefix=""):
    for route in routes:
        if isinstance(route.callback, URLRouter):
            yield from _walk_sockets(route.callback.routes, prefix + str(route.pattern))
        else:
            yield prefix + str(route.pattern), route


def collect_sockets() -> dict[str, Route]:
    return {
        path: Route(path, path, dict(route.pattern.converters))
        for path, route in _walk_sockets(websocket_urlpatterns)
    }


PAGE_ROUTES = collect_pages()
API_ROUTES = collect_api()
SOCKET_ROUTES = collect_sockets()


def test_every_route_has_a_policy_and_every_policy_a_route():
    for kind, collected, table in (
        ("page", PAGE_ROUTES, PAGES),
        ("API operation", API_ROUTES, API),
        ("socket", SOCKET_ROUTES, SOCKETS),
    ):
        missing = sorted(set(collected) - set(table))
        stale = sorted(set(table) - set(collected))
        assert not missing, f"{kind} routes without an access policy in {__name__}: {missing}"
        assert not stale, f"{kind} policies for routes that no longer exist: {stale}"


def test_every_api_url_pattern_is_in_the_schema():
    """The API walk reads the OpenAPI schema: no operation may hide from it."""
    schema_paths = {key.split(" ", 1)[1] for key in API_ROUTES}
    assert collect_api_operation_routes() == schema_paths


def test_routes_taking_parameters_declare_their_object():
    """An id in a non-public route must say which object it opens, so the walk can test it."""
    for table, routes in ((PAGES, PAGE_ROUTES), (API, API_ROUTES), (SOCKETS, SOCKET_ROUTES)):
        for key, route in routes.items():
            policy = table.get(key)
            if policy is None or policy.access == PUBLIC:
                continue
            params = [m["name"] for m in PARAM.finditer(route.route)] + re.findall(
                r"{(\w+)}", route.route
            )
            if params:
                assert policy.obj in OBJECT_RULES, f"{key}: declare obj= for {params}"
                assert params == [policy.obj_param], f"{key}: unexpected parameters {params}"
            else:
                assert policy.obj is None, f"{key}: obj= declared but no id parameter"


# --- the world: one object of each kind, and every identity ------------------------------------


class World:
    def __init__(self):
        structure, other_structure = StructureFactory(), StructureFactory()
        counselor = CounselorFactory(structure=structure)
        colleague = CounselorFactory(structure=structure)
        supervisor = CounselorFactory(structure=structure, supervisor=True)
        other_counselor = CounselorFactory(structure=other_structure)
        other_supervisor = CounselorFactory(structure=other_structure, supervisor=True)
        young_person = YoungPersonFactory(counselor=counselor)
        other_young_person = YoungPersonFactory(counselor=colleague)
        YoungPersonFactory(counselor=other_counselor)
        # The object of counselor-side routes: a young person of the counselor's portfolio who
        # has not activated their account yet.
        self.target_young_person = YoungPersonFactory(counselor=counselor, user__not_activated=True)
        self.target_counselor = CounselorFactory(structure=structure)
        self.users = {
            "anonymous": None,
            "young_person": young_person.user,
            "other_young_person": other_young_person.user,
            "counselor": counselor.user,
            "colleague": colleague.user,
            "other_counselor": other_counselor.user,
            "supervisor": supervisor.user,
            "other_supervisor": other_supervisor.user,
            "staff": UserFactory(is_staff=True),
            "no_role": UserFactory(),
        }
        reset_user = UserFactory()
        self.public_params = {
            "accounts:activate": {
                "token": services.issue_activation_token(UserFactory(not_activated=True))
            },
            "accounts:password_reset_confirm": {
                "uidb64": urlsafe_base64_encode(force_bytes(reset_user.pk)),
                "token": default_token_generator.make_token(reset_user),
            },
            "calendar_feed:feed": {"token": registrations.feed_for(young_person.user).token},
            "POST /api/v1/auth/oidc/{provider}/token": {"provider": "proconnect"},
        }

    def target(self, obj: str, identity: str):
        """The object the walk asks for: one the owners among identities may open."""
        if obj == "young_person":
            if identity in ("young_person", "other_young_person"):
                return self.users["young_person"].young_person  # themself / someone else
            return self.target_young_person
        if obj == "counselor":
            return self.target_counselor
        if obj in ("portfolio_young_person", "structure_young_person"):
            return self.target_young_person
        if obj in ("conversation", "message"):
            young_person = self.users["young_person"].young_person
            conversation = chat_services.conversation_of(young_person)
            if obj == "conversation":
                return conversation
            # A fresh message each call: one deleted by the previous identity is not reused. Each
            # party gets their own (only one's own messages can be edited or deleted).
            sender = young_person.user
            if identity == "counselor":
                sender = young_person.counselor.user
            with mock.patch.object(chat_services, "publish"):  # setting up: no event to count
                message, _ = chat_services.send_message(sender, conversation, "Bonjour")
            return message
        if obj == "attachment":  # a sent, clean PDF of the young person's conversation
            young_person = self.users["young_person"].young_person
            conversation = chat_services.conversation_of(young_person)
            checked = chat_attachments.CheckedUpload(
                content=b"%PDF-1.4\n%%EOF\n",
                filename="cv.pdf",
                content_type="application/pdf",
                size=15,
                state="clean",
            )
            with mock.patch.object(chat_services, "publish"):
                message, _ = chat_services.send_message(
                    young_person.user, conversation, "", upload=checked
                )
            return message.attachment
        if obj == "action":
            # A fresh done action the young person created: every call (delete, qualify) finds
            # one untouched by the previous identity.
            return ActionFactory(young_person=self.users["young_person"].young_person, done=True)
        if obj in ("appointment", "session", "past_appointment"):
            # Fresh each call too: a registration withdrawn by one call is there for the next.
            young_person = self.users["young_person"].young_person
            appointment = AppointmentFactory(
                counselor=young_person.counselor,
                **({"session": True, "visible": False} if obj == "session" else {}),
                **(
                    {"starts_at": timezone.now() - timedelta(hours=1)}
                    if obj == "past_appointment"
                    else {}
                ),
            )
            ParticipationFactory(appointment=appointment, young_person=young_person)
            return appointment
        if obj == "device":
            # Fresh each call (a deletion removes it); the route takes the token, not an id.
            device = DeviceToken.objects.create(
                user=self.users["counselor" if identity == "counselor" else "young_person"],
                platform="android",
                token=f"walk-{uuid.uuid4()}",
            )
            return SimpleNamespace(pk=device.token)
        if obj == "broadcast_list":  # fresh each call: one deleted by a call is not reused
            counselor = self.users["counselor"].counselor
            return BroadcastList.objects.create(owner=counselor, name=f"Liste {uuid.uuid4()}")
        if obj == "notification":  # fresh each call: reading one is not undone
            return Notification.objects.create(
                recipient=self.users["young_person"],
                kind="news",
                topic="news",
                title="Actualité",
                body="Une nouvelle actualité a été publiée.",
                link="/app/",
                key=f"walk:{uuid.uuid4()}",
            )
        if obj == "offer":
            return OfferFactory()
        if obj == "data_export":  # a ready archive (its file: tests/youth/test_export.py)
            return DataExport.objects.create(
                young_person=self.users["young_person"].young_person,
                state="ready",
                storage_key=default_storage.save(
                    f"exports/walk-{uuid.uuid4()}.zip", ContentFile(b"PK\x05\x06" + bytes(18))
                ),
                expires_at=timezone.now() + timedelta(days=7),
            )
        if obj == "favourite":  # fresh each call: one removed by a call is not reused
            return Favourite.objects.create(
                young_person=self.users["young_person"].young_person, offer=OfferFactory()
            )
        if obj in ("alert", "suggestion"):  # fresh each call: one deleted or answered
            young_person = self.users["young_person"].young_person
            if obj == "alert":
                return Alert.objects.create(
                    young_person=young_person, name="Vente", criteria={"q": "vendeur"}
                )
            return AlertSuggestion.objects.create(
                young_person=young_person, name="Vente", criteria={"q": "vendeur"}
            )
        if obj == "news_item":
            counselor = self.users["counselor"].counselor
            return NewsItem.objects.create(
                structure=counselor.structure, author=counselor, title="Forum", text="Venez !"
            )
        raise AssertionError(f"unknown object kind {obj}")

    def client(self, identity: str) -> Client:
        return client_as(self.users[identity])


@functools.cache
def _shared_client() -> Client:
    # One client for the whole walk: a new one loads the middleware again (WhiteNoise's scan of
    # the static files costs a third of a second each time).
    return Client()


def client_as(user) -> Client:
    """The shared client, without cookies, signed in as user (None: anonymous)."""
    client = _shared_client()
    client.cookies.clear()
    if user is not None:
        client.force_login(user)
        if user.is_staff:  # support staff sign in with their second factor
            verify_session(client, user)
    return client


@pytest.fixture
def world(db):
    return World()


DEFAULTS = {"uuid": uuid.UUID(int=1), "int": 1, "slug": "x", "str": "x", "path": "x/y"}


def fill(route: Route, params: dict) -> str:
    """The route's path with its parameters filled: given values, else converter defaults."""

    def value(match):
        name = match["name"]
        converter = route.converters.get(name)
        raw = params.get(name, DEFAULTS[match["converter"] or "str"])
        return converter.to_url(raw) if converter else str(raw)

    path = PARAM.sub(value, route.route)
    path = re.sub(r"{(\w+)}", lambda m: str(params[m[1]]), path)
    return path if path.startswith("/") else "/" + path


def path_for(route: Route, policy: Policy, world: World, identity: str, obj_id=None) -> str:
    params = dict(world.public_params.get(route.key, {}))
    if policy.obj:
        params[policy.obj_param] = obj_id or world.target(policy.obj, identity).pk
    return fill(route, params)


# --- pages ---------------------------------------------------------------------------------------


def login_redirect(path: str) -> str:
    return f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': path}, safe='/')}"


def page(client: Client, policy: Policy, path: str, data=None):
    if policy.method == "get":
        return client.get(path)
    return getattr(client, policy.method)(path, data=data or {})


def normalized(response) -> tuple:
    """A response as a user sees it, without the per-request CSP nonce and CSRF token."""
    body = response.content.decode()
    body = re.sub(r'nonce="[^"]*"', 'nonce=""', body)
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "csrf", body)
    return response.status_code, response.get("Content-Type"), body


def _owns(policy: Policy, identity: str) -> bool:
    return not policy.obj or identity in OBJECT_RULES[policy.obj]["owners"]


@pytest.mark.parametrize("key", sorted(PAGE_ROUTES))
def test_page_access(key, world, django_capture_on_commit_callbacks):
    route, policy = PAGE_ROUTES[key], PAGES.get(key)
    assert policy is not None, f"no access policy for the page {key}"
    for identity in ROLE_IDENTITIES:
        path = path_for(route, policy, world, identity)
        with django_capture_on_commit_callbacks(execute=True):
            response = page(
                world.client(identity), policy, path, request_data(policy, world, identity)
            )
        where = f"{policy.method.upper()} {path} as {identity}"
        assert response.status_code < 500, where
        is_login_redirect = response.status_code == 302 and response["Location"] == login_redirect(
            path
        )
        if identity == "anonymous" and policy.access != PUBLIC:
            assert is_login_redirect, f"{where}: {response.status_code} {response.get('Location')}"
        elif policy.access in IDENTITIES[identity]:
            assert not is_login_redirect, where
            if policy.access != PUBLIC and not _owns(policy, identity):
                # The role reaches the route, not this object (a supervisor and a conversation of
                # their structure): test_objects checks that 404.
                assert response.status_code == 404, where
            elif policy.access != PUBLIC:
                assert response.status_code in (200, 302), where
                if policy.method == "get":
                    assert response.status_code == 200, where
        else:
            assert response.status_code == 403, f"{where}: {response.status_code}"


def test_admin_is_only_for_staff(world):
    """The admin's own patterns are not walked: its entry point guards them all."""
    admin = reverse("admin:index")
    admin_login = reverse("admin:login")
    for identity in ROLE_IDENTITIES:
        response = world.client(identity).get(admin)
        if identity == "staff":
            assert response.status_code == 200
        else:
            assert response.status_code in (302, 403), identity
            if response.status_code == 302:
                assert response["Location"].startswith(admin_login + "?next="), identity
    assert world.client("counselor").get(reverse("admin:accounts_user_changelist")).status_code in (
        302,
        403,
    )


# --- API -----------------------------------------------------------------------------------------


def request_data(policy: Policy, world: World, identity: str) -> dict:
    data = policy.data(world, identity) if callable(policy.data) else policy.data
    return data or {}


def api_call(client: Client, policy: Policy, path: str, token: str | None = None, data=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if policy.method == "get":
        return client.get(path, data=data or {}, headers=headers)
    if any(hasattr(value, "read") for value in (data or {}).values()):  # an upload: multipart
        return client.post(path, data=data, headers=headers)
    body = json.dumps(data or {}, cls=DjangoJSONEncoder)
    return getattr(client, policy.method)(
        path, data=body, content_type="application/json", headers=headers
    )


def api_clients(world: World, identity: str):
    """A signed-in identity calls the API with a bearer token and with a web session."""
    user = world.users[identity]
    if user is None:
        yield "no credentials", client_as(None), None
        yield "bad token", client_as(None), "not-a-token"
    else:
        yield "bearer", client_as(None), tokens.issue_token_pair(user)["access_token"]
        yield "session", client_as(user), None


@pytest.mark.parametrize("key", sorted(API_ROUTES))
def test_api_access(key, world):
    route, policy = API_ROUTES[key], API.get(key)
    assert policy is not None, f"no access policy for the API operation {key}"
    for identity in ROLE_IDENTITIES:
        for how, client, token in api_clients(world, identity):
            path = path_for(route, policy, world, identity)
            response = api_call(client, policy, path, token, request_data(policy, world, identity))
            where = f"{key} as {identity} ({how})"
            assert response.status_code < 500, where
            if response.status_code == 204:  # No Content (a deletion)
                assert not response.content, where
                body = {}
            elif response["Content-Type"].startswith("text/calendar"):  # an .ics file
                body = {}
            elif response.get("Content-Disposition", "").startswith("attachment"):  # a file
                body = {}
            else:
                assert response["Content-Type"].startswith("application/json"), where
                body = response.json()
            if identity == "anonymous" and policy.access != PUBLIC:
                assert response.status_code == 401, where
                assert body["code"] == "not_authenticated", where
                assert response["WWW-Authenticate"] == "Bearer", where
            elif policy.access in IDENTITIES[identity] and not _owns(policy, identity):
                # The role reaches the operation, not this object (a supervisor and a
                # conversation of their structure): test_objects checks that 404.
                assert response.status_code == 404, f"{where}: {body}"
            elif policy.access in IDENTITIES[identity]:
                assert response.status_code not in (401, 403, 404), f"{where}: {body}"
                if policy.method == "get":
                    assert response.status_code == 200, where
            else:
                assert response.status_code == 403, f"{where}: {response.status_code}"
                assert "code" in body, where


@pytest.mark.parametrize("key", sorted(k for k, p in API.items() if p.access != PUBLIC))
@pytest.mark.parametrize("identity", ["counselor", "staff"])
def test_api_expired_session_is_401_not_a_login_page(key, identity, world):
    """Past the absolute session lifetime, the API answers like for anonymous: JSON 401."""
    route, policy = API_ROUTES[key], API[key]
    path = path_for(route, policy, world, identity)
    token = tokens.issue_token_pair(world.users[identity])["access_token"]
    for bearer in (None, token):
        client = world.client(identity)
        session = client.session
        session[LOGIN_AT_KEY] = 0
        session.save()
        response = api_call(client, policy, path, bearer, request_data(policy, world, identity))
        if bearer is None:
            assert response.status_code == 401, response.get("Location")
            assert response.json()["code"] == "not_authenticated"
        elif policy.access in IDENTITIES[identity]:
            # a valid bearer token still works next to the stale cookie
            assert response.status_code not in (401, 403, 404)
        else:  # and meets the role check, not the login
            assert response.status_code == 403


# --- objects: pages and API ------------------------------------------------------------------

TABLES = {"page": (PAGE_ROUTES, PAGES), "api": (API_ROUTES, API)}
OBJECT_ROUTES = [(kind, key) for kind in TABLES for key, p in TABLES[kind][1].items() if p.obj]


def call_as(kind: str, world: World, identity: str, key: str, obj_id=None):
    routes, table = TABLES[kind]
    route, policy = routes[key], table[key]
    path = path_for(route, policy, world, identity, obj_id)
    if kind == "page":
        return page(world.client(identity), policy, path, request_data(policy, world, identity))
    token = tokens.issue_token_pair(world.users[identity])["access_token"]
    return api_call(client_as(None), policy, path, token, request_data(policy, world, identity))


def test_object_routes_are_walked():
    assert ("page", "portfolio:resend_activation") in OBJECT_ROUTES


@pytest.mark.parametrize(("kind", "key"), OBJECT_ROUTES)
def test_objects(kind, key, world, django_capture_on_commit_callbacks):
    """Outsiders get the very 404 of a missing id, with no side effect; owners succeed."""
    policy = TABLES[kind][1][key]
    rules = OBJECT_RULES[policy.obj]
    reachable = [i for i in IDENTITIES if policy.access in IDENTITIES[i]]
    outsiders = [i for i in rules["outsiders"] if i in reachable]
    owners = [i for i in rules["owners"] if i in reachable]
    assert owners and (outsiders or rules.get("open")), f"{key}: the walk has nobody to try"
    for identity in outsiders:
        where = f"{key} as {identity}"
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            forbidden = call_as(kind, world, identity, key)
            not_found = call_as(kind, world, identity, key, obj_id=uuid.uuid4())
        assert forbidden.status_code == 404, f"{where}: {forbidden.status_code}"
        assert normalized(forbidden) == normalized(not_found), where
        if kind == "api":
            assert forbidden.json()["code"] == "not_found", where
        assert not callbacks and not mail.outbox, f"{where}: side effect"
    for identity in owners:
        where = f"{key} as {identity}"
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = call_as(kind, world, identity, key)
            not_found = call_as(kind, world, identity, key, obj_id=uuid.uuid4())
        assert response.status_code < 400, f"{where}: {response.status_code}"
        assert not_found.status_code == 404, where
        if policy.effect == "activation_email":
            target = world.target(policy.obj, identity)
            assert [m.to for m in mail.outbox] == [[target.user.email]], where


# --- sockets -------------------------------------------------------------------------------------

ALLOWED_ORIGIN = b"http://testserver"


def socket_headers(client: Client, origin: bytes = ALLOWED_ORIGIN) -> list:
    headers = [(b"origin", origin)]
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie.value}".encode()))
    return headers


async def open_socket(path: str, headers: list) -> tuple[bool, object, dict | None]:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect()
    first = await communicator.receive_json_from() if connected else None
    # Refused or not, the client side goes away: the application must then end.
    await communicator.disconnect()
    return connected, code, first


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", sorted(SOCKET_ROUTES))
def test_socket_access(key):
    world = World()
    route, policy = SOCKET_ROUTES[key], SOCKETS.get(key)
    assert policy is not None, f"no access policy for the socket route {key}"
    for identity in ROLE_IDENTITIES:
        client = world.client(identity)
        path = path_for(route, policy, world, identity)
        connected, code, first = async_to_sync(open_socket)(path, socket_headers(client))
        where = f"{path} as {identity}"
        if policy.access in IDENTITIES[identity]:
            assert connected, f"{where}: closed with {code}"
            assert first["type"] == "hello", where
            assert first["user_id"] == str(world.users[identity].pk), where
        else:
            assert not connected, where
        # From a foreign page, nobody connects, whatever their cookies.
        foreign = socket_headers(client, origin=b"https://evil.example")
        connected, _, _ = async_to_sync(open_socket)(path, foreign)
        assert not connected, f"{where} from a foreign origin"
