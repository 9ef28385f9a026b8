"""Print a new VAPID key pair, as environment lines for the settings.

The private key is the raw 32-byte P-256 scalar and the public key the uncompressed point, both
base64url without padding: the forms browsers (`applicationServerKey`) and pywebpush expect.
Changing the keys invalidates every existing browser subscription (browsers subscribe again
from the profile page).
"""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.management.base import BaseCommand


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate_vapid_keys() -> tuple[str, str]:
    """A new (private, public) VAPID key pair, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(private), _b64url(public)


class Command(BaseCommand):
    help = "Génère une paire de clés VAPID pour le Web Push (à mettre dans l'environnement)."

    def handle(self, *args, **options):
        private, public = generate_vapid_keys()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"VAPID_SUBJECT={settings.VAPID_SUBJECT}")
