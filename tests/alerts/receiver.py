"""A webhook receiver for the tests: a real HTTP server on 127.0.0.1 (its own thread) that checks
each request's signature with the hook's secret, keeps what it received, and answers as told
(a status, a body, a redirect, or no answer for a while)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from alerts.webhooks import verify


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signed: bool  # the signature matched the body under the receiver's secret

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int = 200
    body: str = "ok"
    headers: dict[str, str] = field(default_factory=dict)
    wait: float = 0  # seconds before answering: longer than the timeout is a receiver that hangs


class Receiver:
    def __init__(self):
        self.secret = ""
        self.received: list[Received] = []
        self.answers: list[Answer] = []  # the next requests' answers, in order; then 200 "ok"
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                signature = self.headers.get("X-Tracker-Signature")
                receiver.received.append(Received(self.path, dict(self.headers), body, verify(receiver.secret, body, signature)))
                answer = receiver.answers.pop(0) if receiver.answers else Answer()
                time.sleep(answer.wait)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body.encode())))
                    self.end_headers()
                    self.wfile.write(answer.body.encode())
                except OSError:
                    pass  # the caller gave up waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False  # a handler still waiting out a "hang" does not hold the test up
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def answer(self, *answers: Answer) -> None:
        self.answers.extend(answers)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
