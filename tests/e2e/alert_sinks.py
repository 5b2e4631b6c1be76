"""Real receivers for the alerts on 127.0.0.1: an SMTP server (aiosmtpd) and a webhook (a small HTTP server
that apprise's ``json://`` posts to). Each keeps what it accepted, in order."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        return "250 OK"


class SmtpSink:
    """aiosmtpd on 127.0.0.1; ``url`` is the apprise mailto:// URL that reaches it."""

    def __init__(self) -> None:
        self.mailbox = _Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.url = (
            f"mailto://127.0.0.1:{self.port}?from=hepza@example.org&to=reporter@example.org&mode=insecure"
        )

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return self.mailbox.messages

    def bodies(self, kind: str = "plain") -> list[str]:
        found = []
        for message in self.messages:
            part = message.get_body(preferencelist=(kind,))
            found.append(part.get_content() if part is not None else "")
        return found


class WebhookSink:
    """An HTTP server on 127.0.0.1 taking apprise's json:// posts. With ``hold_from = N``, the posts after
    the N-th accepted one wait (``held`` is set; the test kills their sender meanwhile) and then end
    unanswered: never accepted, so not kept."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"json://127.0.0.1:{self.port}/hook"
        self.posts: list[dict] = []
        self.hold_from: int | None = None
        self.held = threading.Event()  # a post is being held
        self.release = threading.Event()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if sink.hold_from is not None and len(sink.posts) >= sink.hold_from:
                    sink.held.set()
                    sink.release.wait(30)
                    self.close_connection = True
                    return  # no answer: not accepted
                sink.posts.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._handler = Handler
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> WebhookSink:
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.release.set()
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> WebhookSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
