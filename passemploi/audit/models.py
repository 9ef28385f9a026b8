"""The security audit log: append-only, without any message or file content.

Rows are never updated; PostgreSQL enforces it with a trigger (migration 0002) that also refuses
to delete a row younger than the retention period, so only the nightly purge removes rows.
The actor is kept as an id and a label, not a foreign key: deleting an account must not rewrite
(or lose) the log of what it did.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone

RETENTION = timedelta(days=365)


class AuditKind(models.TextChoices):
    LOGIN_SUCCEEDED = "login_succeeded", "Connexion réussie"
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOGOUT = "logout", "Déconnexion"
    PASSWORD_CHANGED = "password_changed", "Mot de passe défini ou changé"
    TOKEN_ISSUED = "token_issued", "Jeton d'API délivré"
    TOKEN_REVOKED = "token_revoked", "Jeton d'API révoqué"
    TOKEN_REUSE = "token_reuse", "Réutilisation d'un jeton de rafraîchissement"
    SESSIONS_REVOKED = "sessions_revoked", "Déconnexion de tous les appareils"
    TWO_FACTOR_CHANGED = "two_factor_changed", "Double authentification modifiée"
    DATA_EXPORT = "data_export", "Export de données"
    ACCOUNT_DELETED = "account_deleted", "Compte supprimé"
    REASSIGNED = "reassigned", "Réaffectation"
    ARCHIVED = "archived", "Archivage"
    UNARCHIVED = "unarchived", "Désarchivage"
    SUPPORT_ACCESS = "support_access", "Consultation d'un dossier par le support"
    SSO_FAILED = "sso_failed", "Échec de connexion fédérée"


class AuditEvent(models.Model):
    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    kind = models.CharField("événement", max_length=32, choices=AuditKind.choices)
    actor_id = models.UUIDField("auteur (id)", null=True, blank=True, db_index=True)
    actor_label = models.CharField("auteur", max_length=254, blank=True)
    target_type = models.CharField("type de cible", max_length=32, blank=True)
    target_id = models.CharField("cible (id)", max_length=64, blank=True, db_index=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=200, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    class Meta:
        verbose_name = "événement de sécurité"
        verbose_name_plural = "journal de sécurité"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "-at"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.actor_label or 'anonyme'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Le journal de sécurité ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Le journal de sécurité ne se supprime que par la purge de rétention.")
