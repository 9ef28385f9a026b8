"""A small but real OpenID Connect provider for the tests, served over HTTP from a thread:
discovery, JWKS (RSA keys made here, rotatable), authorize (redirects at once with a code for
`next_claims`), token (checks the client, redirect URI and PKCE verifier, returns a signed ID
token), userinfo (Bearer access token) and end_session (remembers the id_token_hint).

Tests tamper with what it answers through its attributes (`id_token_overrides`, `sign_with`,
`authorize_error`...), never by replacing the code under test.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_ID = "pass-emploi-test"
CLIENT_SECRET = "secret-de-test"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Key:
    def __init__(self, kid: str):
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict:
        numbers = self.private.public_key().public_numbers()

        def as_b64(value: int) -> str:
            return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))

        return {
            "kty": "RSA",
            "kid": self.kid,
            "use": "sig",
            "alg": "RS256",
            "n": as_b64(numbers.n),
            "e": as_b64(numbers.e),
        }

    def sign(self, payload: dict, alg: str = "RS256") -> str:
        header = b64(json.dumps({"alg": alg, "typ": "JWT", "kid": self.kid}).encode())
        body = b64(json.dumps(payload).encode())
        signature = self.private.sign(
            f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        return f"{header}.{body}.{b64(signature)}"


class Provider:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.keys = [Key("key-1")]  # served in the JWKS
        self.sign_with = self.keys[0]
        self.next_claims: dict = {}  # who the next authorization identifies
        self.id_token_overrides: dict = {}
        self.userinfo_as_jwt = False
        self.authorize_error = ""
        self.codes: dict = {}
        self.access_tokens: dict = {}
        self.jwks_requests = 0
        self.token_requests: list[dict] = []
        self.logouts: list[dict] = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def settings(self, **extra) -> dict:
        return {
            "discovery_url": self.discovery_url,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scopes": "openid email",
            "acr_values": "",
            "email_trusted": True,
            **extra,
        }

    def rotate(self) -> Key:
        """A new signing key replaces the old one in the JWKS."""
        key = Key(f"key-{len(self.keys) + 1}-{secrets.token_hex(2)}")
        self.keys = [key]
        self.sign_with = key
        return key

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # --- the endpoints ---------------------------------------------------------------------------

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/end_session",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict) -> tuple[int, dict, str]:
        redirect_uri = query["redirect_uri"]
        if query.get("client_id") != CLIENT_ID or query.get("code_challenge_method") != "S256":
            return 400, {}, "bad client or PKCE method"
        if self.authorize_error:
            target = {"error": self.authorize_error, "state": query.get("state", "")}
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "redirect_uri": redirect_uri,
                "challenge": query["code_challenge"],
                "nonce": query.get("nonce"),
                "claims": dict(self.next_claims),
            }
            target = {"code": code, "state": query.get("state", "")}
        return 302, {"Location": f"{redirect_uri}?{urlencode(target)}"}, ""

    def token(self, form: dict) -> tuple[int, dict]:
        self.token_requests.append(form)
        grant = self.codes.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
            or b64(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            != grant["challenge"]
        ):
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = grant["claims"]
        payload = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": claims["sub"],
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            "acr": "eidas1",
            **self.id_token_overrides,
        }
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = claims
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 60,
            "id_token": self.sign_with.sign(payload),
        }

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body=b"", headers=None, content_type="application/json"):
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status, data):
                self._send(status, json.dumps(data).encode())

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._json(200, provider.discovery())
                if url.path == "/jwks":
                    provider.jwks_requests += 1
                    return self._json(200, {"keys": [key.jwk() for key in provider.keys]})
                if url.path == "/authorize":
                    status, headers, text = provider.authorize(query)
                    return self._send(status, text.encode(), headers, "text/plain")
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    claims = provider.access_tokens.get(token)
                    if claims is None:
                        return self._json(401, {"error": "invalid_token"})
                    if provider.userinfo_as_jwt:
                        signed = provider.sign_with.sign(
                            {**claims, "iss": provider.issuer, "aud": CLIENT_ID}
                        )
                        return self._send(200, signed.encode(), content_type="application/jwt")
                    return self._json(200, claims)
                if url.path == "/end_session":
                    provider.logouts.append(query)
                    target = query.get("post_logout_redirect_uri", "/")
                    state = urlencode({"state": query.get("state", "")})
                    return self._send(302, b"", {"Location": f"{target}?{state}"}, "text/plain")
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    return self._json(*provider.token(form))
                return self._json(404, {"error": "not_found"})

        return Handler
