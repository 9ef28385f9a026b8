"""Signed JSON Web Tokens (JWS compact form) checked with `cryptography`: RS256 and ES256, the
algorithms ProConnect, France Travail Connect and FranceConnect sign ID tokens with.

Only the signature is checked here; the claims (issuer, audience, expiry, nonce) are checked by
the caller, which knows what to expect.
"""

import base64
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

ALGORITHMS = ("RS256", "ES256")


class JoseError(Exception):
    """A token that cannot be trusted; `code` is a short stable label for the audit log."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class UnknownKey(JoseError):
    def __init__(self):
        super().__init__("unknown_key")


def b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64encode(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


def _int(value: str) -> int:
    return int.from_bytes(b64decode(value), "big")


def public_key(jwk: dict):
    """The public key of a JWK (RSA or P-256), or None for a key of another type."""
    if jwk.get("kty") == "RSA":
        return rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
    if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
        return ec.EllipticCurvePublicNumbers(
            _int(jwk["x"]), _int(jwk["y"]), ec.SECP256R1()
        ).public_key()
    return None


def split(token: str) -> tuple[dict, dict, bytes, bytes]:
    """(header, payload, signed bytes, signature) of a compact JWS, without checking it."""
    try:
        header_b64, payload_b64, signature_b64 = token.split(".")
        header = json.loads(b64decode(header_b64))
        payload = json.loads(b64decode(payload_b64))
        signature = b64decode(signature_b64)
    except (ValueError, AttributeError, TypeError):
        raise JoseError("malformed_token") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise JoseError("malformed_token")
    return header, payload, f"{header_b64}.{payload_b64}".encode(), signature


def _key_for(header: dict, keys: list[dict]):
    kid = header.get("kid")
    for jwk in keys:
        if jwk.get("use", "sig") != "sig":
            continue
        if kid is not None and jwk.get("kid") != kid:
            continue
        key = public_key(jwk)
        if key is not None:
            return key
    raise UnknownKey()


def verify(token: str, keys: list[dict]) -> dict:
    """The payload of `token` if one of `keys` (a JWKS's "keys") signed it; else JoseError.

    UnknownKey means no key of the set matches the token's `kid`: the caller may refetch the
    set once (the provider rotated its keys) and try again.
    """
    header, payload, signed, signature = split(token)
    alg = header.get("alg")
    if alg not in ALGORITHMS:  # "none" and HMAC algorithms are never accepted
        raise JoseError("bad_algorithm")
    key = _key_for(header, keys)
    try:
        if alg == "RS256":
            if not isinstance(key, rsa.RSAPublicKey):
                raise JoseError("bad_algorithm")
            key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        else:
            if not isinstance(key, ec.EllipticCurvePublicKey) or len(signature) != 64:
                raise JoseError("bad_algorithm")
            der = utils.encode_dss_signature(
                int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            )
            key.verify(der, signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise JoseError("bad_signature") from None
    return payload
