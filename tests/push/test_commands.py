"""The VAPID key generator: keys pywebpush signs with and browsers accept."""

import base64
from io import StringIO

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from py_vapid import Vapid


def b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def test_generate_vapid_keys_prints_a_matching_pair(settings):
    out = StringIO()
    call_command("generate_vapid_keys", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert set(lines) == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY", "VAPID_SUBJECT"}
    public, private = lines["VAPID_PUBLIC_KEY"], lines["VAPID_PRIVATE_KEY"]
    assert "=" not in public + private  # base64url without padding
    point = b64decode(public)
    assert len(point) == 65 and point[0] == 4  # uncompressed P-256 point
    assert len(b64decode(private)) == 32
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    # The private key is the one the public key belongs to, in the form pywebpush reads.
    vapid = Vapid.from_string(private_key=private)
    derived = vapid.public_key.public_numbers()
    assert (
        derived
        == ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point).public_numbers()
    )
    assert lines["VAPID_SUBJECT"] == settings.VAPID_SUBJECT


def test_two_runs_give_two_different_keys():
    first, second = StringIO(), StringIO()
    call_command("generate_vapid_keys", stdout=first)
    call_command("generate_vapid_keys", stdout=second)
    assert first.getvalue() != second.getvalue()
