"""Push channels: Web Push subscriptions (VAPID) and native device tokens (FCM HTTP v1)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Platform(models.TextChoices):
    IOS = "ios", "iOS"
    ANDROID = "android", "Android"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (the installed app on a phone)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # The push service's URL for this browser: a capability, kept out of logs.
    endpoint = models.CharField(max_length=2048, unique=True)
    p256dh = models.CharField("clé publique P-256", max_length=128)
    auth = models.CharField("secret d'authentification", max_length=32)
    user_agent = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failure_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "abonnement Web Push"
        verbose_name_plural = "abonnements Web Push"

    def __str__(self):
        return f"Abonnement Web Push de {self.user}"


class DeviceToken(models.Model):
    """A native app's registration token for FCM (Android, and iOS through FCM)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens"
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    token = models.CharField(max_length=512, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "appareil mobile"
        verbose_name_plural = "appareils mobiles"
        indexes = [models.Index(fields=["last_seen_at"])]

    def __str__(self):
        return f"Appareil {self.get_platform_display()} de {self.user}"


class PushDelivery(models.Model):
    """A target that accepted a message, per caller key: a retry skips it (sent once)."""

    key = models.CharField(max_length=200)
    # "web:<subscription id>" or "fcm:<device token id>"
    target = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "envoi push"
        verbose_name_plural = "envois push"
        constraints = [
            models.UniqueConstraint(fields=["key", "target"], name="push_delivery_unique")
        ]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self):
        return f"{self.key} → {self.target}"
