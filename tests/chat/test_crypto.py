"""Envelope encryption of conversations: AES-GCM data keys wrapped by the master keys."""

import base64
import os

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured

from passemploi.chat import crypto

TEST_KEY = "test:dGVzdC1vbmx5LWNoYXQtbWFzdGVyLWtleS0zMmJ5dGU="


def new_master(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


def test_wrap_unwrap_round_trip():
    data_key = os.urandom(32)
    wrapped = crypto.wrap(data_key)
    assert wrapped.startswith("test:")
    assert base64.b64encode(data_key).decode() not in wrapped
    assert crypto.unwrap(wrapped) == data_key


def test_new_wrapped_data_keys_are_distinct_and_32_bytes():
    first, second = crypto.new_wrapped_data_key(), crypto.new_wrapped_data_key()
    assert first != second
    assert len(crypto.unwrap(first)) == 32
    assert crypto.unwrap(first) != crypto.unwrap(second)


def test_encrypt_decrypt_round_trip_is_randomised():
    key = os.urandom(32)
    sealed = crypto.encrypt(key, "Bonjour, ça va ?", "message-1")
    assert b"Bonjour" not in sealed
    assert crypto.encrypt(key, "Bonjour, ça va ?", "message-1") != sealed
    assert crypto.decrypt(key, sealed, "message-1") == "Bonjour, ça va ?"
    # Database drivers may hand back a memoryview.
    assert crypto.decrypt(key, memoryview(sealed), "message-1") == "Bonjour, ça va ?"


def test_body_bound_to_its_message_id():
    key = os.urandom(32)
    sealed = crypto.encrypt(key, "secret", "message-1")
    with pytest.raises(InvalidTag):
        crypto.decrypt(key, sealed, "message-2")


def test_tampered_ciphertext_fails():
    key = os.urandom(32)
    sealed = bytearray(crypto.encrypt(key, "secret", "message-1"))
    sealed[-1] ^= 0x01
    with pytest.raises(InvalidTag):
        crypto.decrypt(key, bytes(sealed), "message-1")


def test_wrong_data_key_fails():
    sealed = crypto.encrypt(os.urandom(32), "secret", "message-1")
    with pytest.raises(InvalidTag):
        crypto.decrypt(os.urandom(32), sealed, "message-1")


def test_tampered_wrapped_key_fails():
    key_id, _, encoded = crypto.wrap(os.urandom(32)).partition(":")
    raw = bytearray(base64.b64decode(encoded))
    raw[-1] ^= 0x01
    with pytest.raises(InvalidTag):
        crypto.unwrap(f"{key_id}:{base64.b64encode(bytes(raw)).decode()}")


def test_wrapped_key_bound_to_its_key_id(settings):
    """A wrapped key relabelled with another master key id does not unwrap."""
    shared = new_master("a").partition(":")[2]
    settings.CHAT_MASTER_KEYS = [f"a:{shared}", f"b:{shared}"]
    wrapped = crypto.wrap(os.urandom(32))
    with pytest.raises(InvalidTag):
        crypto.unwrap("b:" + wrapped.partition(":")[2])


def test_unknown_master_key_id(settings):
    wrapped = crypto.wrap(os.urandom(32))
    settings.CHAT_MASTER_KEYS = [new_master("other")]
    with pytest.raises(ImproperlyConfigured, match="test"):
        crypto.unwrap(wrapped)


def test_old_master_key_still_unwraps_and_new_one_wraps(settings):
    data_key = os.urandom(32)
    old = crypto.wrap(data_key)
    settings.CHAT_MASTER_KEYS = [new_master("new"), TEST_KEY]
    assert crypto.current_key_id() == "new"
    assert crypto.unwrap(old) == data_key
    assert crypto.wrap(data_key).startswith("new:")


@pytest.mark.parametrize(
    "keys",
    [
        [],
        ["sans-separateur"],
        [":" + base64.b64encode(os.urandom(32)).decode()],
        ["court:" + base64.b64encode(os.urandom(16)).decode()],
        ["pasbase64:@@@"],
        ["padding:abc"],
    ],
    ids=["empty", "no-colon", "no-id", "short-key", "not-base64", "bad-padding"],
)
def test_malformed_master_keys(settings, keys):
    settings.CHAT_MASTER_KEYS = keys
    with pytest.raises(ImproperlyConfigured):
        crypto.wrap(os.urandom(32))
