"""A local SMTP server that accepts every message and counts connections and messages.

For ``benchmark_outbox_delivery``: the portal's SMTP backend talks real SMTP to it, so
what a delivery run costs in connections (greeting, EHLO, QUIT) is measured, not
imagined. ``connect_delay`` holds the greeting back, as a relay across the network
with TLS takes that long to answer a new connection; ``message_delay`` holds back the
answer to each message (a slow relay: the tests' long follow-up batch).
"""

from __future__ import annotations

import socketserver
import threading
import time


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        sink: SmtpSink = self.server.sink  # type: ignore[attr-defined]
        sink.count("connections")
        time.sleep(sink.connect_delay)
        self.reply("220 sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
                self.wfile.flush()
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                while self.rfile.readline() not in (b".\r\n", b""):
                    pass
                time.sleep(sink.message_delay)
                sink.count("messages")
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    """Run the sink on 127.0.0.1 (a free port) while the ``with`` block runs."""

    def __init__(self, connect_delay: float = 0.0, message_delay: float = 0.0) -> None:
        self.connect_delay = connect_delay
        self.message_delay = message_delay
        self.counts = {"connections": 0, "messages": 0}
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def count(self, what: str) -> None:
        with self._lock:
            self.counts[what] += 1

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def settings(self) -> dict:
        """The Django settings that send the portal's e-mail to this sink."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }

    def environment(self) -> dict:
        """The environment variables that send a worker's e-mail to this sink."""
        return {
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(self.port),
            "DJANGO_EMAIL_USE_TLS": "false",
            "DJANGO_EMAIL_HOST_USER": "",
            "DJANGO_EMAIL_HOST_PASSWORD": "",
        }
