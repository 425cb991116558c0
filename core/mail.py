"""Outgoing mail, with one small interface: `Mailer.send(to, subject, text, html)`.

Today the only delivery is the outbox folder in the data folder: one multipart `.eml` file per mail (plain text and
simple HTML), which any mail program opens, and a log line saying where it is. So the application needs no mail
server to run, and a developer or an administrator can read every mail it sent. A relay (SMTP) can be added behind
the same `send` without changing its callers. Mails in the outbox are deleted after `OUTBOX_DAYS` (`purge`).
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Callable
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from .store import _write_synced, fsync_dir

log = logging.getLogger(__name__)

OUTBOX_DAYS = 30
PRODUCT = 'CoP-toolbox'
DEFAULT_SENDER = 'noreply@localhost'


class Mailer:
    def __init__(
        self,
        outbox: Path,
        *,
        sender: str = DEFAULT_SENDER,
        product: str = PRODUCT,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.outbox = outbox
        self.sender = sender
        self.product = product
        self._clock = clock

    def compose(self, to: str, subject: str, text: str, html: str, *, lang: str | None = None) -> EmailMessage:
        """The mail as a multipart message: the product's name as the sender's name, text first, HTML second."""
        message = EmailMessage()
        local, _, domain = self.sender.partition('@')
        message['From'] = Address(self.product, local, domain or 'localhost')
        message['To'] = to
        message['Subject'] = subject
        message['Date'] = formatdate(self._clock(), localtime=False)
        message['Message-ID'] = make_msgid(domain=domain or 'localhost')
        message.set_content(text)
        message.add_alternative(html, subtype='html')
        if lang:  # after the content: setting the content drops the Content-* headers
            message['Content-Language'] = lang
        return message

    def send(self, to: str, subject: str, text: str, html: str, *, lang: str | None = None) -> Path:
        """Deliver one mail (blocking file I/O: call it from a worker thread). Returns where it was put."""
        message = self.compose(to, subject, text, html, lang=lang)
        self.outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = time.strftime('%Y%m%dT%H%M%S', time.gmtime(self._clock()))
        path = self.outbox / f'{stamp}-{secrets.token_hex(4)}.eml'
        tmp = path.with_suffix('.tmp')
        _write_synced(tmp, message.as_bytes())
        os.replace(tmp, path)
        fsync_dir(self.outbox)
        log.info('mail written to the outbox: %s (no mail relay configured)', path)
        return path

    def purge(self, days: int = OUTBOX_DAYS) -> int:
        """Delete mails older than `days` from the outbox; returns how many."""
        if not self.outbox.is_dir():
            return 0
        limit = self._clock() - days * 86400
        removed = 0
        for path in self.outbox.glob('*.eml'):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed
