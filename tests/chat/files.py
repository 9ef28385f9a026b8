"""Real files for the attachment tests, made with Pillow (images and a one-page PDF)."""

import functools
import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.chat.conftest import EICAR


def image_bytes(kind: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(buffer, format=kind)
    return buffer.getvalue()


@functools.cache
def pdf_bytes() -> bytes:
    """Pillow stamps the creation time: made once so that every call gives the same bytes."""
    return image_bytes("PDF")


def eicar_pdf() -> bytes:
    """A PDF whose compressed stream is the EICAR test string: clamd inflates and finds it."""
    body = zlib.compress(EICAR)
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Length "
        + str(len(body)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + body
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
