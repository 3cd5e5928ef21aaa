"""A chat gateway on 127.0.0.1 for tests: records every request Apprise sends (json:// or form://) and answers as told."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class Received:
    """One request as the gateway got it."""

    path: str
    headers: dict[str, str]
    fields: dict[str, str]
    """the JSON object, or the form fields (first value of each)"""
    raw: bytes


class Gateway:
    """Modes: `ok` (200), `fail` (500 for the next `failures` requests, then ok), `hang` (record, then never answer)."""

    def __init__(self, mode: str = "ok", failures: int = 0, port: int = 0):
        self.mode, self.failures = mode, failures
        self.received: list[Received] = []
        self.release = threading.Event()
        gw = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    fields = json.loads(body or b"{}")
                else:
                    fields = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
                gw.received.append(Received(self.path, dict(self.headers.items()), fields, body))
                if gw.mode == "hang":
                    gw.release.wait(30)   # the message is in; the answer never comes in time
                    return
                if gw.mode == "fail" and gw.failures > 0:
                    gw.failures -= 1
                    self.send_response(500)
                else:
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "12")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Gateway":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def messages(self, path: str | None = None) -> list[Received]:
        return [r for r in self.received if path is None or r.path.split("?")[0] == path]
