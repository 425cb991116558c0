"""Outgoing mail, with one sender for the whole application: `Mailer.submit(...)` queues a mail, `status(id)` says
what became of it.

Delivery:
- with `--smtp-url` (smtp:// with STARTTLS where the relay offers it, or smtps:// for TLS from the first byte;
  user and password in the URL), through that relay;
- without it, to the outbox folder in the data folder: one multipart `.eml` file per mail, which any mail program
  opens, and a log line saying where. So the application needs no mail server to run, and a developer can read every
  mail it sent.

Submitting never blocks the event loop and never fails the action that asked for the mail: the mail is written to a
spool folder first (so a restart does not lose it), and one worker thread delivers it, retrying a relay that is down
or answers "try later" with growing pauses. Each mail has a visible status: queued, sent, retry (will retry) or failed
(with the relay's reason). A mail that belongs to a group (a survey round's invitations) can be forgotten with its
group: spool, outbox file and status (`forget`).

Log lines name a mail by its id, never by its address.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import smtplib
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .i18n import HTML_LANG
from .store import _write_synced, fsync_dir

log = logging.getLogger(__name__)

OUTBOX_DAYS = 30
PRODUCT = 'CoP-toolbox'
DEFAULT_SENDER = 'noreply@localhost'
RETRY_DELAYS = (30.0, 120.0, 600.0, 1800.0, 7200.0)  # then the mail has failed (about three hours in all)
SMTP_TIMEOUT = 30.0
STATES = ('queued', 'sent', 'retry', 'failed')
MAIL_ID = re.compile(r'^[0-9a-f]{16}$')
_ADDRESS = re.compile(r'[\w.+-]+@[\w-]+(?:\.[\w-]+)+')


class MailConfigError(ValueError):
    """The --smtp-url or --mail-from cannot be used (said at start, not at the first mail)."""


@dataclass(frozen=True)
class Relay:
    host: str
    port: int
    tls: bool  # smtps: TLS from the first byte
    user: str = ''
    password: str = field(default='', repr=False)

    def describe(self) -> str:
        """For the log: where mail goes, without the password."""
        return f'{"smtps" if self.tls else "smtp"}://{self.host}:{self.port}'


def parse_smtp_url(url: str) -> Relay:
    """`smtp://[user:password@]host[:port]` (default port 25, STARTTLS where offered) or `smtps://...` (465)."""
    parts = urlsplit((url or '').strip())
    if parts.scheme not in ('smtp', 'smtps') or not parts.hostname:
        raise MailConfigError('the SMTP URL must look like smtp://host:25 or smtps://user:password@host:465')
    try:
        port = parts.port or (465 if parts.scheme == 'smtps' else 25)
    except ValueError as e:
        raise MailConfigError('the SMTP URL has an invalid port') from e
    return Relay(
        parts.hostname, port, parts.scheme == 'smtps', unquote(parts.username or ''), unquote(parts.password or '')
    )


def check_sender(sender: str) -> str:
    """The --mail-from address, checked once at start."""
    sender = (sender or '').strip()
    if not re.fullmatch(r'[^@\s<>"]+@[^@\s<>"]+', sender):
        raise MailConfigError(f'--mail-from must be a plain address such as noreply@example.be, not {sender!r}')
    return sender


def scrub(text: str) -> str:
    """A relay's answer without any address in it (it often quotes the recipient)."""
    return _ADDRESS.sub('<address>', ' '.join(str(text).split()))[:200]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class MailStatus:
    id: str
    state: str  # one of STATES
    attempts: int = 0
    error: str = ''  # the last reason, without addresses
    group: str = ''
    created: float = 0.0
    updated: float = 0.0
    next_try: float = 0.0

    @property
    def done(self) -> bool:
        return self.state in ('sent', 'failed')


class TemporaryFailure(Exception):
    """Worth trying again later (relay down, timed out, 4xx)."""


class PermanentFailure(Exception):
    """Trying again will not help (5xx: address refused, authentication refused, message refused)."""


class Mailer:
    def __init__(
        self,
        outbox: Path,
        *,
        sender: str = DEFAULT_SENDER,
        product: str = PRODUCT,
        relay: Relay | None = None,
        spool: Path | None = None,
        clock: Callable[[], float] = time.time,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        timeout: float = SMTP_TIMEOUT,
    ) -> None:
        self.outbox = outbox
        self.spool = spool or outbox.parent / 'mail-queue'
        self.sender = sender
        self.product = product
        self.relay = relay
        self.retry_delays = tuple(retry_delays)
        self.timeout = timeout
        self._clock = clock
        self._lock = threading.Condition()
        self._statuses: dict[str, MailStatus] = {}
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._busy = 0
        self._load_spool()

    def describe(self) -> str:
        return f'through {self.relay.describe()}' if self.relay else f'to the outbox folder {self.outbox}'

    # -- composing ---------------------------------------------------------------------------------------------------

    def compose(
        self,
        to: str,
        subject: str,
        text: str,
        html: str,
        *,
        lang: str | None = None,
        attachments: Sequence[Attachment] = (),
        alternatives: Sequence[Attachment] = (),
    ) -> EmailMessage:
        """The mail as a multipart message: the product's name as the sender's name, text first, HTML second, then
        any further alternative (a calendar invitation) and attachments."""
        message = EmailMessage()
        local, _, domain = self.sender.partition('@')
        message['From'] = Address(self.product, local, domain or 'localhost')
        message['To'] = to
        message['Subject'] = subject
        message['Date'] = formatdate(self._clock(), localtime=False)
        message['Message-ID'] = make_msgid(domain=domain or 'localhost')
        message['Auto-Submitted'] = 'auto-generated'  # no out-of-office replies to a robot
        message.set_content(text)
        message.add_alternative(html, subtype='html')
        for part in alternatives:
            message.add_alternative(part.content.decode('utf-8'), subtype=part.subtype, params=part.params)
        for part in attachments:
            message.add_attachment(
                part.content, maintype=part.maintype, subtype=part.subtype, filename=part.filename, params=part.params
            )
        if lang:  # after the content: setting the content drops the Content-* headers
            # the language with its region, as the HTML part's lang says it (RFC 3282 takes BCP 47 tags): de-BE
            message['Content-Language'] = HTML_LANG.get(lang, lang)
        return message

    # -- queueing ----------------------------------------------------------------------------------------------------

    def submit(
        self,
        to: str,
        subject: str,
        text: str,
        html: str,
        *,
        lang: str | None = None,
        group: str = '',
        attachments: Sequence[Attachment] = (),
        alternatives: Sequence[Attachment] = (),
    ) -> str:
        """Queue one mail and return its id at once; the worker thread delivers it. The mail is on disk (spool)
        before this returns, so neither a relay that is down nor a restart loses it."""
        message = self.compose(to, subject, text, html, lang=lang, attachments=attachments, alternatives=alternatives)
        return self.submit_message(message, group=group)

    def submit_message(self, message: EmailMessage, *, group: str = '') -> str:
        mail_id = secrets.token_hex(8)
        now = self._clock()
        status = MailStatus(mail_id, 'queued', group=group, created=now, updated=now, next_try=now)
        self.spool.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_atomic(self.spool / f'{mail_id}.eml', message.as_bytes())
        with self._lock:
            self._statuses[mail_id] = status
            self._save(status)
            self._start()
            self._lock.notify_all()
        return mail_id

    def send(self, to: str, subject: str, text: str, html: str, *, lang: str | None = None) -> str:
        """Queue one mail (kept for callers that do not need more); returns its id."""
        return self.submit(to, subject, text, html, lang=lang)

    def status(self, mail_id: str | None) -> MailStatus | None:
        with self._lock:
            found = self._statuses.get(mail_id or '')
            return MailStatus(**asdict(found)) if found else None

    def group_counts(self, group: str) -> dict[str, int]:
        """How many mails of a group are in each state (what a coordinator may see of a survey's invitations)."""
        counts = dict.fromkeys(STATES, 0)
        with self._lock:
            for status in self._statuses.values():
                if status.group == group:
                    counts[status.state] += 1
        return counts

    def forget(self, group: str) -> int:
        """Erase every trace of a group's mails here: queued ones are not sent, outbox files and statuses go."""
        with self._lock:
            ids = [s.id for s in self._statuses.values() if s.group == group]
            for mail_id in ids:
                self._statuses.pop(mail_id, None)
                for path in (self.spool / f'{mail_id}.eml', self.spool / f'{mail_id}.json'):
                    path.unlink(missing_ok=True)
                for path in self.outbox.glob(f'*{mail_id}.eml') if self.outbox.is_dir() else ():
                    path.unlink(missing_ok=True)
        return len(ids)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is due now (for tests and a clean shutdown); True when idle."""
        end = time.monotonic() + timeout
        with self._lock:
            while self._busy or any(s.state == 'queued' for s in self._statuses.values()):
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.05))
        return True

    def close(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(5)

    # -- the worker --------------------------------------------------------------------------------------------------

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name='mail', daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                status = self._next_due()
                while status is None and not self._stopping:
                    self._lock.wait(self._wait_time())
                    status = self._next_due()
                if self._stopping:
                    return
                self._busy += 1
            try:
                self._attempt(status)
            except Exception:  # the worker must survive anything one mail does
                log.exception('mail %s: unexpected error', status.id)
                self._finish(status.id, 'failed', 'internal error')
            finally:
                with self._lock:
                    self._busy -= 1
                    self._lock.notify_all()

    def _next_due(self) -> MailStatus | None:
        now = self._clock()
        due = [s for s in self._statuses.values() if s.state in ('queued', 'retry') and s.next_try <= now]
        return min(due, key=lambda s: s.next_try) if due else None

    def _wait_time(self) -> float:
        waiting = [s.next_try for s in self._statuses.values() if s.state in ('queued', 'retry')]
        return max(0.05, min(60.0, min(waiting) - self._clock())) if waiting else 60.0

    def _attempt(self, status: MailStatus) -> None:
        path = self.spool / f'{status.id}.eml'
        try:
            raw = path.read_bytes()
        except FileNotFoundError:  # forgotten meanwhile
            return
        try:
            where = self.deliver(raw, status.id)
        except PermanentFailure as e:
            self._finish(status.id, 'failed', str(e))
            log.warning('mail %s failed: %s', status.id, e)
            return
        except TemporaryFailure as e:
            self._retry(status.id, str(e))
            return
        self._finish(status.id, 'sent', '')
        log.info('mail %s sent %s', status.id, where)

    def deliver(self, raw: bytes, mail_id: str) -> str:
        """One attempt: through the relay, or into the outbox. Returns where it went (for the log)."""
        if self.relay is None:
            self.outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
            stamp = time.strftime('%Y%m%dT%H%M%S', time.gmtime(self._clock()))
            # a dot, not a dash: the log's scrubber takes a long run of letters, digits and dashes for a secret, and
            # the operator must be able to find the file the log names
            target = self.outbox / f'{stamp}.{mail_id}.eml'
            _write_atomic(target, raw)
            return f'to the outbox: {target} (no mail relay configured)'
        message = message_from_bytes(raw, policy=policy.default)
        send_smtp(self.relay, message, self.timeout)
        return f'through {self.relay.describe()}'

    def _retry(self, mail_id: str, reason: str) -> None:
        with self._lock:
            status = self._statuses.get(mail_id)
            if status is None:
                return
            status.attempts += 1
            status.error = scrub(reason)
            status.updated = self._clock()
            if status.attempts > len(self.retry_delays):
                status.state = 'failed'
                self._drop_message(mail_id)
                log.warning('mail %s failed after %d attempts: %s', mail_id, status.attempts, status.error)
            else:
                delay = self.retry_delays[status.attempts - 1]
                status.state, status.next_try = 'retry', status.updated + delay
                log.warning('mail %s will retry in %g s: %s', mail_id, delay, status.error)
            self._save(status)

    def _finish(self, mail_id: str, state: str, reason: str) -> None:
        with self._lock:
            status = self._statuses.get(mail_id)
            if status is None:
                return
            status.attempts += 1
            status.state, status.error, status.updated = state, scrub(reason), self._clock()
            self._drop_message(mail_id)
            self._save(status)

    def _drop_message(self, mail_id: str) -> None:
        """A mail delivered or given up: its content leaves the spool (the status stays, without address)."""
        (self.spool / f'{mail_id}.eml').unlink(missing_ok=True)

    # -- persistence -------------------------------------------------------------------------------------------------

    def _save(self, status: MailStatus) -> None:
        try:
            _write_atomic(self.spool / f'{status.id}.json', json.dumps(asdict(status)).encode())
        except OSError:
            log.exception('mail %s: status not saved', status.id)

    def _load_spool(self) -> None:
        """At start: mails not yet delivered are queued again; statuses of finished ones are shown as before."""
        if not self.spool.is_dir():
            return
        pending = 0
        for path in self.spool.glob('*.json'):
            try:
                status = MailStatus(**json.loads(path.read_text(encoding='utf-8')))
            except (OSError, ValueError, TypeError):
                continue
            if not MAIL_ID.fullmatch(status.id):
                continue
            if not status.done and not (self.spool / f'{status.id}.eml').exists():
                status.state, status.error = 'failed', 'lost from the queue'
            self._statuses[status.id] = status
            pending += not status.done
        if pending:
            log.info('%d mail(s) waiting in the queue from before the restart', pending)
            with self._lock:
                self._start()

    def purge(self, days: int = OUTBOX_DAYS) -> int:
        """Delete mails and statuses older than `days` from the outbox and the spool; returns how many mails."""
        limit = self._clock() - days * 86400
        removed = 0
        for path in self.outbox.glob('*.eml') if self.outbox.is_dir() else ():
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        with self._lock:
            for status in list(self._statuses.values()):
                if status.done and status.updated < limit:
                    self._statuses.pop(status.id, None)
                    (self.spool / f'{status.id}.json').unlink(missing_ok=True)
        return removed


def send_smtp(relay: Relay, message: EmailMessage, timeout: float = SMTP_TIMEOUT) -> None:
    """One delivery to the relay. Sorts what goes wrong into worth-retrying and not."""
    context = ssl.create_default_context()
    try:
        if relay.tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(relay.host, relay.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(relay.host, relay.port, timeout=timeout)
        with client:
            client.ehlo()
            if not relay.tls and client.has_extn('starttls'):
                client.starttls(context=context)
                client.ehlo()
            if relay.user:
                if not relay.tls and not client.has_extn('starttls'):
                    raise PermanentFailure('the relay offers no TLS: the password is not sent in clear')
                client.login(relay.user, relay.password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as e:
        codes = [code for code, _ in e.recipients.values()]
        reason = f'recipient refused ({", ".join(str(c) for c in codes)})'
        raise (TemporaryFailure if all(400 <= c < 500 for c in codes) else PermanentFailure)(reason) from None
    except smtplib.SMTPResponseException as e:
        text = e.smtp_error.decode('utf-8', 'replace') if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        reason = f'{e.smtp_code} {text}'
        raise (TemporaryFailure if 400 <= e.smtp_code < 500 else PermanentFailure)(reason) from None
    except (TimeoutError, smtplib.SMTPServerDisconnected) as e:
        raise TemporaryFailure(f'the relay did not answer in time ({type(e).__name__})') from None
    except ssl.SSLError as e:
        raise TemporaryFailure(f'TLS with the relay failed ({e.reason or type(e).__name__})') from None
    except OSError as e:
        raise TemporaryFailure(f'the relay cannot be reached ({e.strerror or type(e).__name__})') from None
    except smtplib.SMTPException as e:
        raise TemporaryFailure(f'SMTP error ({type(e).__name__})') from None


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + '.tmp')
    _write_synced(tmp, data)
    os.replace(tmp, path)
    fsync_dir(path.parent)
