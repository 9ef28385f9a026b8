"""Broadcast lists, multi-recipient messages and the counselor's pinned notice."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from passemploi.accounts.models import Counselor, YoungPerson

NAME_MAX = 100
NOTICE_MAX = 1_000


class BroadcastList(models.Model):
    """A named list of young people a counselor writes to at once (liste de diffusion).

    Members are young people of the owner's portfolio when added; a member reassigned to another
    counselor or archived since stays in the table but is filtered out everywhere it is read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        Counselor,
        on_delete=models.CASCADE,
        related_name="broadcast_lists",
        verbose_name="conseiller",
    )
    name = models.CharField("nom", max_length=NAME_MAX)
    members = models.ManyToManyField(
        YoungPerson, related_name="broadcast_lists", blank=True, verbose_name="bénéficiaires"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "liste de diffusion"
        verbose_name_plural = "listes de diffusion"
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="broadcast_list_name_per_owner")
        ]

    def __str__(self):
        return self.name


class GroupMessage(models.Model):
    """One multi-recipient send, kept for idempotency: a retry with the same client id sends
    nothing again. Holds no message text, only a keyed digest of it (to refuse a client id
    reused for another text) and who received it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client_id = models.UUIDField()
    body_digest = models.CharField(max_length=64)
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "message à plusieurs destinataires"
        verbose_name_plural = "messages à plusieurs destinataires"
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "client_id"], name="group_message_client_id_per_sender"
            )
        ]

    def __str__(self):
        return f"Envoi groupé {self.client_id}"


class GroupRecipient(models.Model):
    """A recipient of a group message and the message their conversation received."""

    group_message = models.ForeignKey(
        GroupMessage, on_delete=models.CASCADE, related_name="recipients"
    )
    young_person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        "chat.Message", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "destinataire"
        constraints = [
            models.UniqueConstraint(
                fields=["group_message", "young_person"], name="group_recipient_unique"
            )
        ]

    def __str__(self):
        return f"{self.group_message_id} → {self.young_person_id}"


class PinnedNotice(models.Model):
    """The counselor's "message important" (an absence notice, say): shown pinned at the top of
    the conversation of each of their young people from `starts_on` to `ends_on` included, in
    the structure's time zone."""

    counselor = models.OneToOneField(
        Counselor, on_delete=models.CASCADE, related_name="pinned_notice"
    )
    text = models.TextField("texte", max_length=NOTICE_MAX)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "message important"
        verbose_name_plural = "messages importants"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="pinned_notice_ends_after_start",
            )
        ]

    def __str__(self):
        return f"Message important de {self.counselor}"

    def is_active(self, today) -> bool:
        return self.starts_on <= today <= self.ends_on
