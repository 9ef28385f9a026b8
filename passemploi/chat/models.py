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


class AttachmentState(models.TextChoices):
    PENDING = "pending", "En cours d'analyse"
    CLEAN = "clean", "Disponible"
    INFECTED = "infected", "Refusée (virus détecté)"
    EXPIRED = "expired", "Expirée"


class Attachment(models.Model):
    """A file joined to a message. Its bytes are encrypted with the conversation's data key and
    kept in the `chat_attachments` storage under a random key; see passemploi/chat/attachments.py.
    `message` stays empty between an API upload and the send that uses it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="attachments"
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachment"
    )
    storage_key = models.CharField(max_length=100, unique=True)
    filename = models.CharField("nom du fichier", max_length=150)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField("taille (octets)")
    state = models.CharField(
        max_length=16, choices=AttachmentState.choices, default=AttachmentState.PENDING
    )
    scanned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self):
        return self.filename

    LABELS = {
        "application/pdf": "PDF",
        "image/png": "PNG",
        "image/jpeg": "JPEG",
        "image/webp": "WebP",
    }

    def get_content_type_label(self) -> str:
        return self.LABELS.get(self.content_type, "Fichier")

    @property
    def is_expired(self) -> bool:
        return self.state == AttachmentState.EXPIRED or self.expires_at <= timezone.now()
