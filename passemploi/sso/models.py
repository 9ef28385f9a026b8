from django.conf import settings
from django.db import models


class SsoIdentity(models.Model):
    """An account linked to an identity of an OpenID Connect provider (its `sub`).

    Created at the first federated sign-in matched on a verified email; later sign-ins are
    matched on (provider, sub) alone. Support deletes one in the admin to unlink it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    provider = models.CharField("fournisseur d'identité", max_length=32)
    sub = models.CharField("identifiant chez le fournisseur", max_length=255)
    linked_at = models.DateTimeField("liée le", auto_now_add=True)
    last_login_at = models.DateTimeField("dernière connexion", null=True, blank=True)

    class Meta:
        verbose_name = "identité fédérée"
        verbose_name_plural = "identités fédérées"
        constraints = [
            models.UniqueConstraint(fields=["provider", "sub"], name="sso_identity_provider_sub"),
            models.UniqueConstraint(fields=["user", "provider"], name="sso_identity_user_provider"),
        ]

    def __str__(self):
        return f"{self.provider} : {self.user.email}"
