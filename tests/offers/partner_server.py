"""A real local HTTP server standing in for a partner API: each path answers from a script of
responses (status, headers, JSON body), or stalls past the client's timeout; every request is
recorded."""

import json
import threading
import time
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

STALL = "stall"  # a response that never comes in time


class PartnerServer:
    def __init__(self, stall_seconds: float = 1.0):
        self.scripts = defaultdict(deque)
        self.defaults = {}
        self.requests = []
        self.stall_seconds = stall_seconds
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                with server._lock:
                    server.requests.append(
                        {
                            "method": self.command,
                            "path": parts.path,
                            "query": parse_qs(parts.query),
                            "headers": dict(self.headers),
                            "body": parse_qs(body),
                        }
                    )
                    script = server.scripts[parts.path]
                    reply = script.popleft() if script else server.defaults.get(parts.path)
                if reply is None:
                    reply = (404, {}, {"message": "not found"})
                if reply == STALL:
                    time.sleep(server.stall_seconds)
                    reply = (200, {}, {})
                status, headers, payload = reply
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if data:
                    try:
                        self.wfile.write(data)
                    except (BrokenPipeError, ConnectionResetError):
                        pass

            do_GET = _answer
            do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def script(self, path: str, *replies) -> None:
        self.scripts[path].extend(replies)

    def on(self, path: str) -> list:
        return [r for r in self.requests if r["path"] == path]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
