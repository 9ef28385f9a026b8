"""What the purge remembers between nights: the warning sent before an inactive account is
deleted (sent once; a sign-in since the warning cancels the deletion)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DeletionWarning(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_warning"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "avertissement de suppression"

    def __str__(self):
        return f"Avertissement à {self.user_id} le {self.sent_at:%d/%m/%Y}"
