from django.contrib.auth.backends import ModelBackend

from passemploi.accounts.models import User, normalize_email


class EmailBackend(ModelBackend):
    """Case-insensitive email login; loads the role profile with the user in one query."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = normalize_email(username or kwargs.get("email") or "")
        if not email:
            return None
        return super().authenticate(request, username=email, password=password)

    def get_user(self, user_id):
        try:
            user = User.objects.select_related(
                "young_person__structure",
                "young_person__counselor__user",
                "counselor__structure",
            ).get(pk=user_id)
        except (User.DoesNotExist, ValueError):
            return None
        return user if self.user_can_authenticate(user) else None
