"""Encryption at rest of conversations: envelope encryption with AES-GCM.

Each conversation has its own random 256-bit data key; message bodies are encrypted with it.
The data key is stored wrapped (encrypted) by a master key from the environment:
CHAT_MASTER_KEYS="id1:<base64 32 bytes>,id0:<old key>" — the first one wraps new keys, the others
still unwrap old ones until `manage.py rotate_chat_key` has rewrapped every conversation key.
A dump of the database therefore holds no plaintext and no usable key.
"""

import base64
import binascii
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12


def _master_keys() -> list[tuple[str, bytes]]:
    keys = []
    for item in settings.CHAT_MASTER_KEYS:
        key_id, _, encoded = item.partition(":")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raw = b""
        if not key_id or len(raw) != 32:
            raise ImproperlyConfigured("CHAT_MASTER_KEYS: each entry is id:<base64 of 32 bytes>.")
        keys.append((key_id, raw))
    if not keys:
        raise ImproperlyConfigured("CHAT_MASTER_KEYS is empty.")
    return keys


def current_key_id() -> str:
    return _master_keys()[0][0]


def _seal(key: bytes, plaintext: bytes, associated: bytes = b"") -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def _open(key: bytes, sealed: bytes, associated: bytes = b"") -> bytes:
    return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)


def new_wrapped_data_key() -> str:
    return wrap(AESGCM.generate_key(bit_length=256))


def wrap(data_key: bytes) -> str:
    key_id, master = _master_keys()[0]
    sealed = _seal(master, data_key, key_id.encode())
    return f"{key_id}:{base64.b64encode(sealed).decode()}"


def unwrap(wrapped: str) -> bytes:
    key_id, _, encoded = wrapped.partition(":")
    for candidate_id, master in _master_keys():
        if candidate_id == key_id:
            return _open(master, base64.b64decode(encoded), key_id.encode())
    raise ImproperlyConfigured(f"Master key {key_id!r} is no longer in CHAT_MASTER_KEYS.")


def encrypt(data_key: bytes, text: str, context: str) -> bytes:
    """`context` (the message id) is bound to the ciphertext: a body moved to another row
    does not decrypt."""
    return _seal(data_key, text.encode(), context.encode())


def decrypt(data_key: bytes, sealed: bytes, context: str) -> str:
    return _open(data_key, bytes(sealed), context.encode()).decode()


def encrypt_bytes(data_key: bytes, data: bytes, context: str) -> bytes:
    """Attachments: the same AES-GCM seal, bound to the attachment id."""
    return _seal(data_key, data, context.encode())


def decrypt_bytes(data_key: bytes, sealed: bytes, context: str) -> bytes:
    return _open(data_key, bytes(sealed), context.encode())
