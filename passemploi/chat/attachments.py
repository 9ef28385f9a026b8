"""Attachments of chat messages: checks, encrypted storage, virus scan, download and expiry.

- `check_upload(file)` reads an upload once, sniffs its type from the content (PDF, PNG, JPEG or
  WebP, 5 MB at most; images are fully decoded, a PDF needs its header and trailer), scans it with
  clamd when configured and returns a `CheckedUpload`, or raises ServiceError with a stable code.
- `services.send_message(..., upload=checked)` stores one encrypted copy per conversation
  (`store`): a multi-recipient send passes the same CheckedUpload to each conversation.
- Without clamd configured (CLAMD_SOCKET / CLAMD_HOST empty) files are accepted as `clean`
  with `scanned_at` left empty; `manage.py check --deploy` warns about it. Configured but
  unreachable: the file stays `pending` (not downloadable) until `scan_pending_attachments()`.
- `expire_attachments()` deletes the stored bytes 4 months after the upload.
"""

import io
import logging
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from PIL import Image

from passemploi.chat import clamd, crypto
from passemploi.chat.models import Attachment, AttachmentState, Conversation
from passemploi.core.errors import ServiceError

logger = logging.getLogger(__name__)

MAX_SIZE = 5 * 1024 * 1024
LIFETIME = timedelta(days=122)  # 4 months
ORPHAN_LIFETIME = timedelta(days=1)  # uploaded through the API but never sent
TYPES = {  # content type: (extensions, Pillow format or None for PDF)
    "application/pdf": ((".pdf",), None),
    "image/png": ((".png",), "PNG"),
    "image/jpeg": ((".jpg", ".jpeg"), "JPEG"),
    "image/webp": ((".webp",), "WEBP"),
}
TYPE_NAMES = "PDF, PNG, JPEG ou WebP"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the checks; `state`/`scanned_at` are the scan verdict."""

    content: bytes
    filename: str
    content_type: str
    size: int
    state: str
    scanned_at: object = None


def _refuse(code: str, message: str, status: int = 400) -> ServiceError:
    return ServiceError(code, message, "file", status=status)


def sniff(data: bytes) -> str | None:
    """The content type from the first bytes, whatever the file's name says."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _check_content(data: bytes, content_type: str) -> None:
    expected_format = TYPES[content_type][1]
    if expected_format is None:
        # A PDF ends with its trailer marker (possibly followed by whitespace).
        if b"%%EOF" not in data[-1024:]:
            raise _refuse("attachment_corrupt", "Ce fichier PDF est incomplet ou endommagé.")
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected_format]) as image:
                image.load()  # decodes every pixel: a truncated image raises here
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning) as exc:
        raise _refuse("attachment_corrupt", "Cette image est incomplète ou endommagée.") from exc


def clean_filename(name: str, content_type: str) -> str:
    """A safe display name: no path, no control or odd characters, the right extension."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[^\w .()\-]", "_", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    extensions = TYPES[content_type][0]
    if not dot or f".{extension.lower()}" not in extensions:
        stem = name
        extension = extensions[0][1:]
    stem = stem[:100].strip(" .") or "piece-jointe"
    return f"{stem}.{extension.lower()}"


def _scan(data: bytes) -> tuple[str, object]:
    if not clamd.is_configured():
        return AttachmentState.CLEAN, None
    try:
        signature = clamd.scan(data)
    except clamd.ClamdUnavailable as exc:
        logger.warning("clamd unavailable, attachment left pending: %s", exc)
        return AttachmentState.PENDING, None
    if signature:
        logger.warning("Infected attachment refused: %s", signature)
        return AttachmentState.INFECTED, timezone.now()
    return AttachmentState.CLEAN, timezone.now()


def check_upload(uploaded_file) -> CheckedUpload:
    """Read, check and scan an uploaded file (a Django UploadedFile or any binary file object
    with a `name`). Raises ServiceError: attachment_empty, attachment_too_large,
    attachment_type_not_allowed, attachment_corrupt."""
    if uploaded_file is None:
        raise _refuse("attachment_empty", "Le fichier est vide.")
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_SIZE:
        raise _refuse("attachment_too_large", "Le fichier ne doit pas dépasser 5 Mo.", 413)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(MAX_SIZE + 1)
    if not data:
        raise _refuse("attachment_empty", "Le fichier est vide.")
    if len(data) > MAX_SIZE:
        raise _refuse("attachment_too_large", "Le fichier ne doit pas dépasser 5 Mo.", 413)
    content_type = sniff(data)
    if content_type is None:
        raise _refuse(
            "attachment_type_not_allowed",
            f"Ce type de fichier n'est pas accepté : envoyez un fichier {TYPE_NAMES}.",
            415,
        )
    _check_content(data, content_type)
    state, scanned_at = _scan(data)
    return CheckedUpload(
        content=data,
        filename=clean_filename(getattr(uploaded_file, "name", ""), content_type),
        content_type=content_type,
        size=len(data),
        state=state,
        scanned_at=scanned_at,
    )


def storage():
    return storages.create_storage(settings.CHAT_ATTACHMENTS_STORAGE)


def _data_key(conversation: Conversation) -> bytes:
    return crypto.unwrap(conversation.wrapped_key)


def store(conversation: Conversation, uploader, upload: CheckedUpload, message=None) -> Attachment:
    """One encrypted copy of `upload` for `conversation` (its own data key, a random name)."""
    now = timezone.now()
    attachment = Attachment(
        conversation=conversation,
        uploader=uploader,
        message=message,
        filename=upload.filename,
        content_type=upload.content_type,
        size=upload.size,
        state=upload.state,
        scanned_at=upload.scanned_at,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    key = secrets.token_hex(20)
    sealed = crypto.encrypt_bytes(_data_key(conversation), upload.content, str(attachment.id))
    attachment.storage_key = storage().save(f"{key[:2]}/{key}", ContentFile(sealed))
    try:
        attachment.save(force_insert=True)
    except Exception:
        storage().delete(attachment.storage_key)
        raise
    # services.send_message deletes the bytes if its own transaction fails. An outer rollback
    # later in the request would leave bytes without a row: encrypted, under a random name, and
    # rare (Django has no rollback hook to catch it).
    return attachment


def read(attachment: Attachment) -> bytes:
    """The decrypted bytes (only called for clean, unexpired attachments)."""
    with storage().open(attachment.storage_key, "rb") as handle:
        sealed = handle.read()
    return crypto.decrypt_bytes(_data_key(attachment.conversation), sealed, str(attachment.id))


def scan_pending_attachments(limit: int = 200) -> dict:
    """Retry the scan of files left pending while clamd was unreachable."""
    counts = {"clean": 0, "infected": 0, "pending": 0}
    if not clamd.is_configured():
        pending = Attachment.objects.filter(state=AttachmentState.PENDING)
        counts["clean"] = pending.update(state=AttachmentState.CLEAN)
        return counts
    queryset = Attachment.objects.filter(state=AttachmentState.PENDING).select_related(
        "conversation"
    )
    for attachment in queryset.order_by("created_at")[:limit]:
        try:
            signature = clamd.scan(read(attachment))
        except clamd.ClamdUnavailable:
            counts["pending"] += 1
            break
        attachment.state = AttachmentState.INFECTED if signature else AttachmentState.CLEAN
        attachment.scanned_at = timezone.now()
        Attachment.objects.filter(pk=attachment.pk, state=AttachmentState.PENDING).update(
            state=attachment.state, scanned_at=attachment.scanned_at
        )
        counts[attachment.state] += 1
    counts["pending"] = Attachment.objects.filter(state=AttachmentState.PENDING).count()
    return counts


def expire_attachments(now=None) -> dict:
    """Delete the bytes of attachments older than 4 months (the row stays, state `expired`) and
    drop uploads never attached to a message after a day."""
    now = now or timezone.now()
    files = storage()
    expired = 0
    for attachment in Attachment.objects.filter(expires_at__lte=now).exclude(
        state=AttachmentState.EXPIRED
    ):
        files.delete(attachment.storage_key)
        Attachment.objects.filter(pk=attachment.pk).update(state=AttachmentState.EXPIRED)
        expired += 1
    orphans = 0
    for attachment in Attachment.objects.filter(
        message__isnull=True, created_at__lte=now - ORPHAN_LIFETIME
    ):
        files.delete(attachment.storage_key)
        attachment.delete()
        orphans += 1
    return {"expired": expired, "orphans": orphans}


def content_for_download(attachment: Attachment) -> bytes:
    """The decrypted bytes of a downloadable attachment, or ServiceError: attachment_expired
    (410), attachment_infected (403), attachment_pending (409)."""
    if attachment.state == AttachmentState.EXPIRED or attachment.expires_at <= timezone.now():
        raise ServiceError("attachment_expired", "Pièce jointe expirée.", status=410)
    if attachment.state == AttachmentState.INFECTED:
        raise ServiceError(
            "attachment_infected", "Cette pièce jointe contient un virus.", status=403
        )
    if attachment.state != AttachmentState.CLEAN:
        raise ServiceError(
            "attachment_pending", "Cette pièce jointe est en cours d'analyse.", status=409
        )
    return read(attachment)


def download_response(attachment: Attachment):
    """An HttpResponse that makes the browser save the file, never display or sniff it."""
    response = HttpResponse(content_for_download(attachment), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
