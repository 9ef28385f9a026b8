import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from passemploi.accounts.models import YoungPerson
from passemploi.chat.enums import MessageKind, SenderRole, SharedType


class Conversation(models.Model):
    """One per young person, with whoever is their counselor now."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    young_person = models.OneToOneField(
        YoungPerson, on_delete=models.CASCADE, related_name="conversation"
    )
    # The conversation's data key, wrapped by the master key (see chat/crypto.py).
    wrapped_key = models.TextField()
    last_seq = models.PositiveBigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)
    young_person_read_seq = models.PositiveBigIntegerField(default=0)
    counselor_read_seq = models.PositiveBigIntegerField(default=0)
    flagged = models.BooleanField("à suivre", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "conversation"
        indexes = [models.Index(fields=["-last_message_at"])]

    def __str__(self):
        return f"Conversation de {self.young_person}"


class Message(models.Model):
    """A message; its body is stored encrypted. `seq` orders a conversation without gaps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveBigIntegerField()
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sender_role = models.CharField(max_length=16, choices=SenderRole.choices)
    kind = models.CharField(max_length=16, choices=MessageKind.choices, default=MessageKind.TEXT)
    body_encrypted = models.BinaryField()
    shared_type = models.CharField(max_length=16, choices=SharedType.choices, blank=True)
    shared_id = models.UUIDField(null=True, blank=True)
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "message"
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="message_seq_unique"),
            models.UniqueConstraint(
                fields=["sender", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="message_client_id_unique_per_sender",
            ),
        ]

    def __str__(self):
        return f"#{self.seq} de {self.conversation_id}"


class MessageVersion(models.Model):
    """A previous body of an edited or deleted message, kept (encrypted) for the record."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="versions")
    body_encrypted = models.BinaryField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "version de message"
        ordering = ["replaced_at", "id"]

    def __str__(self):
        return f"Version de {self.message_id}"
