"""A small client for ClamAV's clamd daemon (INSTREAM command), configured by CLAMD_SOCKET
(a unix socket path) or CLAMD_HOST/CLAMD_PORT, with CLAMD_TIMEOUT seconds per call.

Protocol: send b"zINSTREAM\\0", then chunks each prefixed by its length as 4 bytes big-endian,
then a zero length; clamd answers "stream: OK\\0" or "stream: <signature> FOUND\\0"."""

import socket
import struct

from django.conf import settings

CHUNK = 64 * 1024


class ClamdUnavailable(Exception):
    """clamd is configured but could not give a verdict (down, timeout, error reply)."""


def is_configured() -> bool:
    return bool(settings.CLAMD_SOCKET or settings.CLAMD_HOST)


def _connect() -> socket.socket:
    timeout = settings.CLAMD_TIMEOUT
    if settings.CLAMD_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(settings.CLAMD_SOCKET)
        except OSError:
            sock.close()
            raise
        return sock
    return socket.create_connection((settings.CLAMD_HOST, settings.CLAMD_PORT), timeout=timeout)


def _reply(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def ping() -> bool:
    try:
        with _connect() as sock:
            sock.sendall(b"zPING\0")
            return _reply(sock) == "PONG"
    except OSError:
        return False


def scan(data: bytes) -> str | None:
    """None when clean, else the signature name. Raises ClamdUnavailable."""
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
            reply = _reply(sock)
    except OSError as exc:
        raise ClamdUnavailable(str(exc)) from exc
    verdict = reply.partition(": ")[2] if ": " in reply else reply
    if verdict == "OK":
        return None
    if verdict.endswith(" FOUND"):
        return verdict.removesuffix(" FOUND")
    raise ClamdUnavailable(reply)
