"""Anonymous surveys: rounds opened by a link, answers that cannot be traced to a person.

Used by the member survey and by the participants' feedback after a facilitated session. By design, and not
switchable:
- an answer is stored with its round, its values, the day it arrived (no time) and the hash of its receipt code;
  no account, address, browser or time of day;
- answers are stored in random order (random document ids, table kept sorted by them), so their order in the file
  says nothing about who answered when;
- nothing is shown until the round has at least `threshold` answers (default 5, never below 3).
The receipt code, shown once to the respondent, lets them withdraw their own answer later.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tinydb import Query
from tinydb.table import Document

from .communities import Communities, register_table
from .errors import AuthError, NotFound, ValidationError
from .questionnaire import Instrument, Instruments, clean_answers
from .ratelimit import FailureLimiter
from .roles import Permission
from .store import DamagedFileError

ROUNDS = 'survey_rounds'
ANSWERS = 'survey_answers'
MIN_THRESHOLD = 3
DEFAULT_THRESHOLD = 5
MAX_THRESHOLD = 1000
MAX_PAYLOAD = 64 * 1024
RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'   # no 0/O, 1/I/L: easy to copy by hand
RECEIPT_LENGTH = 12
TICKET_SECONDS = 24 * 3600
STATUSES = ('draft', 'open', 'closed')
MAX_TITLE = 120


@dataclass(frozen=True)
class SurveyRound:
    id: str
    token: str               # the unguessable part of the link (192 bits)
    instrument: str
    version: int
    title: str
    status: str              # draft | open | closed
    created: str
    closes: str | None       # a day (ISO), after which the round is closed
    threshold: int
    subject: str = ''        # what the round is about, e.g. a facilitated session's id ('' for the member survey)

    def is_open(self, today: date | None = None) -> bool:
        return self.status == 'open' and not self.expired(today)

    def expired(self, today: date | None = None) -> bool:
        return self.closes is not None and (today or datetime.now(UTC).date()).isoformat() > self.closes


@dataclass(frozen=True)
class StoredAnswer:
    id: str
    day: str
    answers: dict[str, Any]


def receipt_hash(secret: str, code: str) -> str:
    normalised = ''.join(ch for ch in (code or '').upper() if ch.isalnum())
    return hmac.new(secret.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def new_receipt() -> str:
    code = ''.join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return '-'.join(code[i:i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def _validate_rounds(docs: list[dict[str, Any]]) -> None:
    for doc in docs:
        threshold = doc.get('threshold')
        if not isinstance(doc.get('id'), str) or not isinstance(doc.get('token'), str) or len(doc['token']) < 22 \
                or doc.get('status') not in STATUSES or not isinstance(threshold, int) \
                or not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
            raise ValidationError('error.invalid')


class Surveys:
    def __init__(self, communities: Communities, instruments: Instruments, secret: str,
                 clock: Callable[[], float] = time.time) -> None:
        self.communities = communities
        self.instruments = instruments
        self._secret = secret         # keys the receipt hashes: a stolen data file alone cannot test codes
        self._clock = clock
        self._tickets: dict[str, tuple[str, float]] = {}   # one-time submission tickets, in memory only
        # in memory only: submissions per browser (10 per 10 minutes) and per address (300 per 10 minutes: a whole
        # office behind one proxy must still get through), and a few wrong receipt codes per address
        self.browser_limiter = FailureLimiter(10, 600, 60, 600, clock=clock)
        self.submit_limiter = FailureLimiter(300, 600, 60, 600, clock=clock)
        self.receipt_limiter = FailureLimiter(10, 900, 60, 900, clock=clock)
        register_table(ROUNDS, _validate_rounds)
        register_table(ANSWERS, self._validate_answers, export_filter=self._exportable_answers)

    def _db(self, cid: str):
        return self.communities.store.community(cid)

    def _rounds(self, cid: str):
        return self._db(cid).table(ROUNDS)

    def _answers(self, cid: str):
        return self._db(cid).table(ANSWERS)

    # -- the coordinator's side ---------------------------------------------------------------------------------

    def rounds(self, actor: str, cid: str, instrument: str = 'member_survey', subject: str = '') -> list[SurveyRound]:
        """Rounds of one instrument (and subject), newest first."""
        self.communities.get(actor, cid, Permission.VIEW)
        docs = self._rounds(cid).search((Query()['instrument'] == instrument) & (Query()['subject'] == subject))
        return [_round(d) for d in sorted(docs, key=lambda d: d.doc_id, reverse=True)]

    def round(self, actor: str, cid: str, round_id: str) -> SurveyRound:
        self.communities.get(actor, cid, Permission.VIEW)
        doc = self._rounds(cid).get(Query()['id'] == round_id) if isinstance(round_id, str) else None
        if doc is None:
            raise NotFound()
        return _round(doc)

    async def create(self, actor: str, cid: str, *, title: str = '', closes: str | None = None,
                     threshold: int = DEFAULT_THRESHOLD, instrument: str = 'member_survey', subject: str = '',
                     open_now: bool = False) -> SurveyRound:
        self.communities.get(actor, cid, Permission.EDIT)
        current = self.instruments.current(instrument)
        fields = _clean_settings(title, closes, threshold)
        doc = {'id': secrets.token_hex(6), 'token': secrets.token_urlsafe(24), 'instrument': current.id,
               'version': current.version, 'subject': subject, 'created': _today(),
               'status': 'open' if open_now else 'draft', **fields}
        self._rounds(cid).insert(doc)
        await self._db(cid).commit()
        return _round(doc)

    async def update(self, actor: str, cid: str, round_id: str, *, title: str, closes: str | None,
                     threshold: int) -> SurveyRound:
        """Change a round's title, closing day or threshold. The threshold can only go up once answers exist."""
        current = self.round(actor, cid, round_id)
        self.communities.get(actor, cid, Permission.EDIT)
        fields = _clean_settings(title, closes, threshold)
        if fields['threshold'] < current.threshold and self.count(cid, round_id) > 0:
            raise ValidationError('survey.error.threshold_down', 'threshold', threshold=current.threshold)
        self._rounds(cid).update(fields, Query()['id'] == round_id)
        await self._db(cid).commit()
        return self.round(actor, cid, round_id)

    async def set_status(self, actor: str, cid: str, round_id: str, status: str) -> SurveyRound:
        """Open, close or reopen a round. Reopening a round past its closing day needs a later day first."""
        current = self.round(actor, cid, round_id)
        self.communities.get(actor, cid, Permission.EDIT)
        if status not in ('open', 'closed'):
            raise ValidationError('error.invalid', 'status')
        if status == 'open' and current.expired():
            raise ValidationError('survey.error.closes_past', 'closes')
        self._rounds(cid).update({'status': status}, Query()['id'] == round_id)
        await self._db(cid).commit()
        return self.round(actor, cid, round_id)

    async def delete(self, actor: str, cid: str, round_id: str) -> None:
        """Delete a round and all its answers (coordinator only)."""
        self.round(actor, cid, round_id)
        self.communities.get(actor, cid, Permission.MANAGE)
        self._rounds(cid).remove(Query()['id'] == round_id)
        self._answers(cid).remove(Query()['round'] == round_id)
        await self._db(cid).commit()

    def count(self, cid: str, round_id: str) -> int:
        return self._answers(cid).count(Query()['round'] == round_id)

    def answers_above_threshold(self, actor: str, cid: str, round_id: str) -> list[StoredAnswer] | None:
        """The round's answers (in their random stored order), or None while below the threshold."""
        current = self.round(actor, cid, round_id)
        docs = self._answers(cid).search(Query()['round'] == round_id)
        if len(docs) < current.threshold:
            return None
        return [StoredAnswer(d['id'], d.get('day', ''), dict(d['answers'])) for d in docs]

    def instrument_of(self, survey_round: SurveyRound) -> Instrument:
        instrument = self.instruments.get(survey_round.instrument, survey_round.version)
        if instrument is None:
            raise NotFound('questionnaire.error.version_gone', version=survey_round.version)
        return instrument

    # -- the respondent's side (no account) ---------------------------------------------------------------------

    def by_token(self, cid: str, token: str) -> SurveyRound:
        """The round of a link (/s/<community id>/<token>); NotFound for an unknown or forged one."""
        if not isinstance(token, str) or not 20 <= len(token) <= 64:
            raise NotFound('survey.error.unknown')
        try:
            doc = self._rounds(cid).get(Query()['token'] == token)
        except (KeyError, DamagedFileError):
            doc = None
        if doc is None:
            raise NotFound('survey.error.unknown')
        return _round(doc)

    def ticket(self, cid: str, token: str) -> str:
        """A one-time ticket for one submission from one page: a replayed submission is refused."""
        self.by_token(cid, token)
        now = self._clock()
        if len(self._tickets) > 100_000:
            self._tickets = {k: v for k, v in self._tickets.items() if now - v[1] < TICKET_SECONDS}
        ticket = secrets.token_urlsafe(16)
        self._tickets[ticket] = (token, now)
        return ticket

    async def submit(self, cid: str, token: str, ticket: str, answers: dict[str, Any], client: str = '',
                     browser: str = '') -> str:
        """Store one anonymous answer; returns its receipt code. Everything is checked before anything is stored.
        `client` (the peer address) and `browser` (its session id) only feed the in-memory rate limits; neither is
        ever stored."""
        wait = max(self.submit_limiter.retry_after(f'submit:{client}'),
                   self.browser_limiter.retry_after(f'browser:{browser}') if browser else 0)
        if wait:
            raise AuthError('survey.error.too_many', retry_after=wait)
        survey_round = self.by_token(cid, token)
        if not survey_round.is_open():
            raise ValidationError('survey.error.closed')
        issued = self._tickets.get(ticket) if isinstance(ticket, str) else None
        if issued is None or issued[0] != token or self._clock() - issued[1] > TICKET_SECONDS:
            raise ValidationError('survey.error.replayed')
        try:
            size = len(json.dumps(answers, ensure_ascii=False))
        except (TypeError, ValueError) as e:
            raise ValidationError('survey.error.payload') from e
        if size > MAX_PAYLOAD:
            raise ValidationError('survey.error.payload')
        clean = clean_answers(self.instrument_of(survey_round), answers)
        if not clean:
            raise ValidationError('survey.error.empty')
        del self._tickets[ticket]
        self.submit_limiter.failure(f'submit:{client}')   # these limiters count submissions, not failures
        if browser:
            self.browser_limiter.failure(f'browser:{browser}')
        receipt = new_receipt()
        doc = {'id': secrets.token_hex(8), 'round': survey_round.id, 'day': _today(), 'answers': clean,
               'receipt': receipt_hash(self._secret, receipt)}
        _insert_shuffled(self._answers(cid), doc)
        await self._db(cid).commit()
        return receipt

    async def withdraw(self, cid: str, token: str, receipt: str, client: str = '') -> None:
        """Delete the one answer this receipt code belongs to; NotFound for a wrong code (a few per client)."""
        wait = self.receipt_limiter.retry_after(f'receipt:{client}')
        if wait:
            raise AuthError('survey.error.too_many', retry_after=wait)
        survey_round = self.by_token(cid, token)
        digest = receipt_hash(self._secret, receipt)
        removed = self._answers(cid).remove((Query()['round'] == survey_round.id) & (Query()['receipt'] == digest))
        if not removed:
            self.receipt_limiter.failure(f'receipt:{client}')
            raise NotFound('survey.error.receipt')
        await self._db(cid).commit()

    def _exportable_answers(self, db, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """An export carries only the answers of rounds at or above their threshold: the small-group protection
        must not be bypassed by reading the export file."""
        thresholds = {d['id']: d['threshold'] for d in db.table(ROUNDS).all()}
        counts: dict[str, int] = {}
        for doc in docs:
            counts[doc['round']] = counts.get(doc['round'], 0) + 1
        return [d for d in docs if counts[d['round']] >= thresholds.get(d['round'], MAX_THRESHOLD + 1)]

    def _validate_answers(self, docs: list[dict[str, Any]]) -> None:
        """Imported answers: known keys only (nothing identifying can come in), day-level dates, valid values."""
        allowed = {'id', 'round', 'day', 'answers', 'receipt'}
        for doc in docs:
            if set(doc) - allowed or not isinstance(doc.get('answers'), dict) or not isinstance(doc.get('round'), str):
                raise ValidationError('error.invalid')
            if not isinstance(doc.get('day'), str) or len(doc['day']) != 10:
                raise ValidationError('error.invalid')


def _insert_shuffled(table, doc: dict[str, Any]) -> None:
    """Insert under a random document id and keep the table sorted by id: storage order is random order."""
    while True:
        doc_id = secrets.randbits(52) + 1
        if not table.contains(doc_id=doc_id):
            break
    table.insert(Document(doc, doc_id=doc_id))
    table._update_table(_sort_by_id)


def _sort_by_id(documents: dict) -> None:
    ordered = sorted(documents.items(), key=lambda item: int(item[0]))
    documents.clear()
    documents.update(ordered)


def _clean_settings(title: str, closes: str | None, threshold: Any) -> dict[str, Any]:
    title = ' '.join((title or '').split())
    if len(title) > MAX_TITLE:
        raise ValidationError('error.too_long', 'title', max=MAX_TITLE)
    if closes:
        try:
            day = date.fromisoformat(str(closes))
        except ValueError as e:
            raise ValidationError('survey.error.closes', 'closes') from e
        if day < datetime.now(UTC).date():
            raise ValidationError('survey.error.closes_past', 'closes')
        closes = day.isoformat()
    try:
        number = int(threshold)
    except (TypeError, ValueError) as e:
        raise ValidationError('survey.error.threshold', 'threshold', low=MIN_THRESHOLD) from e
    if number != threshold or not MIN_THRESHOLD <= number <= MAX_THRESHOLD:
        raise ValidationError('survey.error.threshold', 'threshold', low=MIN_THRESHOLD)
    return {'title': title, 'closes': closes or None, 'threshold': number}


def _round(doc: dict[str, Any]) -> SurveyRound:
    return SurveyRound(doc['id'], doc['token'], doc['instrument'], int(doc['version']), doc.get('title', ''),
                       doc['status'], doc.get('created', ''), doc.get('closes'), int(doc['threshold']),
                       doc.get('subject', ''))


def _today() -> str:
    return datetime.now(UTC).date().isoformat()
