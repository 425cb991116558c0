"""A real SMTP server for the tests (aiosmtpd in a thread, on a free port) and helpers to read what it received.

`MailServer.mode` makes it misbehave on purpose: 'accept' (250), 'busy' (451: try later), 'refuse' (550: never),
'slow' (answers DATA only after `delay` seconds, so a client with a shorter timeout gives up)."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import time
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

LINK = re.compile(r'https?://[^\s<>"]+')


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(('plain',)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(('html',)).get_content()

    def links(self) -> list[str]:
        return LINK.findall(self.text)


@dataclass
class Handler:
    mode: str = 'accept'
    delay: float = 3.0
    received: list[Received] = field(default_factory=list)
    attempts: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        import asyncio

        self.attempts += 1
        if self.mode == 'busy':
            return '451 4.3.0 try again later'
        if self.mode == 'refuse':
            return '550 5.1.1 <' + envelope.rcpt_tos[0] + '>: recipient address rejected'
        if self.mode == 'slow':
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return '250 OK'


class MailServer:
    def __init__(self) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname='127.0.0.1', port=self.port)

    @property
    def url(self) -> str:
        return f'smtp://127.0.0.1:{self.port}'

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    @property
    def mode(self) -> str:
        return self.handler.mode

    @mode.setter
    def mode(self, value: str) -> None:
        self.handler.mode = value

    def start(self) -> MailServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def wait_for(self, count: int = 1, timeout: float = 10.0, to: str | None = None) -> list[Received]:
        """The mails received so far (to `to` only, when given), once there are at least `count`."""
        end = time.monotonic() + timeout
        while True:
            found = [r for r in self.received if to is None or to in r.rcpt_tos]
            if len(found) >= count or time.monotonic() > end:
                assert len(found) >= count, f'{len(found)} mail(s) received, {count} expected'
                return found
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]
