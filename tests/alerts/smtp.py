"""A real SMTP server for the tests (aiosmtpd, on 127.0.0.1), and Django pointed at it.

Mail goes through Django's SMTP backend and the network, as in production: headers, encodings and
the server's refusals are real. ``refuse`` names addresses the server answers 550 for.
"""

from __future__ import annotations

import email
import threading
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.processes import free_port


class Inbox:
    """The aiosmtpd handler: keeps every message accepted, parsed, with its envelope recipients."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if address in message["X-Envelope-To"].split(", ")]

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()


def body(message: EmailMessage, subtype: str = "plain") -> str:
    """The decoded text (``plain``) or HTML (``html``) part of a message."""
    return message.get_body(preferencelist=(subtype,)).get_content().replace("\r\n", "\n")


def everything(message: EmailMessage) -> str:
    """Every header and every decoded part of a message: what a leak test reads."""
    headers = "\n".join(f"{name}: {value}" for name, value in message.items())
    parts = [part.get_content() for part in message.walk() if not part.is_multipart()]
    return "\n".join([headers, *parts])


@contextmanager
def smtp_listener():
    """An SMTP server on 127.0.0.1, for as long as the block lasts: yields its :class:`Inbox` and port."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def send_mail_to(settings, host: str, port: int) -> None:
    """Django's mail, through SMTP at ``host:port`` (``settings``: pytest-django's fixture): as
    MAILERS on Django 6.1 and later, as the EMAIL_* settings on the 5.2 LTS line."""
    backend = "django.core.mail.backends.smtp.EmailBackend"
    if hasattr(settings, "MAILERS"):
        settings.MAILERS = {"default": {"BACKEND": backend, "OPTIONS": {"host": host, "port": port, "timeout": 10}}}
    else:
        settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = backend, host, port


@contextmanager
def smtp_server(settings):
    """An SMTP server on 127.0.0.1 that Django sends to (``settings``: pytest-django's fixture);
    yields its :class:`Inbox`."""
    with smtp_listener() as (inbox, port):
        send_mail_to(settings, "127.0.0.1", port)
        yield inbox
