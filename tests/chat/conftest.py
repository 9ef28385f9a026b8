"""Fixtures of the attachment tests: a storage of their own and a real clamd.

`clamd_socket` starts Debian's clamd (installed by `make clamav`) with a private configuration in
a temporary directory: a local socket there, and a signature database holding only the MD5 of
the EICAR test string, so it starts in a second and needs no internet."""

import hashlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(autouse=True)
def attachment_storage(settings, tmp_path):
    settings.CHAT_ATTACHMENTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "attachments")},
    }
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    return tmp_path / "attachments"


def _answers(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(str(path))
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def clamd_process(tmp_path_factory):
    if not Path(CLAMD).exists():
        pytest.skip("clamd is not installed: run `make clamav` (Debian package clamav-daemon)")
    home = tmp_path_factory.mktemp("clamd")
    database = home / "db"
    database.mkdir()
    signature = f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Eicar-Test-Signature\n"  # noqa: S324
    (database / "eicar.hdb").write_text(signature)
    sock = home / "clamd.sock"
    config = home / "clamd.conf"
    config.write_text(
        f"LocalSocket {sock}\n"
        f"DatabaseDirectory {database}\n"
        f"TemporaryDirectory {home}\n"
        "Foreground yes\n"
        "LogVerbose no\n"
    )
    log = (home / "clamd.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [CLAMD, f"--config-file={config}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not _answers(sock):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            log.close()
            output = (home / "clamd.log").read_text(errors="replace")[-500:]
            pytest.skip(f"clamd did not start: {output}")
        time.sleep(0.2)
    yield sock
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.fixture
def clamd_socket(clamd_process, settings):
    settings.CLAMD_SOCKET = str(clamd_process)
    return clamd_process
