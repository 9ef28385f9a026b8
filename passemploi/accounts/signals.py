import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from passemploi.accounts import throttle
from passemploi.accounts.enums import Role
from passemploi.accounts.middleware import LOGIN_AT_KEY
from passemploi.accounts.services import record_login


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record_login(user)
    if request is None or not hasattr(request, "session"):
        return
    request.session[LOGIN_AT_KEY] = time.time()
    if user.role == Role.COUNSELOR or user.is_staff:
        request.session.set_expiry(settings.COUNSELOR_SESSION_IDLE)
    else:
        request.session.set_expiry(settings.YOUNG_PERSON_SESSION_AGE)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    from passemploi.core.consumers import end_session_sockets

    session = getattr(request, "session", None)
    end_session_sockets(session.session_key if session is not None else None)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    throttle.record_failure((credentials or {}).get("username", ""))
