"""Local HTTP servers standing in for the push services (a Web Push service, FCM and its
token endpoint): real sockets on 127.0.0.1, answering what each test scripts."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict  # names in lower case
    body: bytes


@dataclass
class Reply:
    status: int = 201
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    hang: bool = False  # never answer (until the server stops): a timeout


class LocalServer:
    """A threading HTTP server; `respond(request) -> Reply` decides each answer."""

    def __init__(self, respond):
        self.requests: list[Received] = []
        self.respond = respond
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                request = Received(
                    "POST",
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                server.requests.append(request)
                reply = server.respond(request)
                if reply.hang:
                    server._stop.wait(30)
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def json_reply(status: int, data: dict, headers: dict | None = None) -> Reply:
    return Reply(
        status,
        {"Content-Type": "application/json", **(headers or {})},
        json.dumps(data).encode(),
    )
