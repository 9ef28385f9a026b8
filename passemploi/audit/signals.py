from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from passemploi.audit.models import AuditKind
from passemploi.audit.services import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(AuditKind.LOGIN_SUCCEEDED, actor=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(AuditKind.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted email, not the password (Django already masks it in `credentials`).
    attempted = str((credentials or {}).get("username", ""))[:254]
    record(AuditKind.LOGIN_FAILED, actor_label=attempted, request=request)
