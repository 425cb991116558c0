"""Anonymous surveys: rounds opened by a link, answers that cannot be traced to a person.

Used by the member survey and by the participants' feedback after a facilitated session. By design, and not
switchable:
- an answer is stored with its round, its values and the keyed hash of its receipt code: no account, address,
  browser, day or time;
- answers are stored in random order (random document ids, table kept sorted by them), so their order in the file
  says nothing about who answered when;
- nothing is shown or exported until the round has at least `threshold` answers (default 5, never below 3).
The receipt code, shown once to the respondent, lets them withdraw their own answer later; a withdrawal also drops
the community file's backups, so no kept version brings the answer back.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tinydb import Query

from . import schema
from .communities import Communities, TableSpec
from .errors import AuthError, NotFound, ValidationError
from .questionnaire import Instrument, Instruments, clean_answers
from .ratelimit import FailureLimiter
from .roles import Permission
from .sheets import ANSWERS as ANSWER_SHAPE
from .store import DamagedFileError
from .survey_results import SurveyResults, aggregate, raw_rows

ROUNDS = 'survey_rounds'
ANSWERS = 'survey_answers'
MIN_THRESHOLD = 3
DEFAULT_THRESHOLD = 5
MAX_THRESHOLD = 1000
MAX_PAYLOAD = 64 * 1024
RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'  # no 0/O, 1/I/L: easy to copy by hand
RECEIPT_LENGTH = 12
TICKET_SECONDS = 24 * 3600
MAX_TICKETS = 100_000
STATUSES = ('draft', 'open', 'closed')
MAX_TITLE = 120
ANSWER_FIELDS = {'round', 'answers', 'receipt'}
LEGACY_FIELDS = ('id', 'day')  # stored with an answer by earlier versions, read by nothing: dropped on rewrite
HEX_DIGEST = re.compile(r'^[0-9a-f]{64}$')


# An export carries neither a round's link token (an import makes a new one: an old link must not open the copy)
# nor an answer's receipt hash (a receipt code withdraws an answer here, not from a copy).
ROUND_RECORD = schema.Record(
    {
        'id': schema.Str(40, min=1),
        'token': schema.private(schema.Str(64), default=lambda: secrets.token_urlsafe(24)),
        'instrument': schema.Str(60, min=1),
        'version': schema.Int(1, 100_000),
        'subject': schema.optional(schema.Str(80), default=''),
        'created': schema.optional(schema.Day(blank=True)),
        'status': schema.Choice(*STATUSES),
        'title': schema.optional(schema.Str(MAX_TITLE)),
        'closes': schema.optional(schema.Nullable(schema.Day())),
        'threshold': schema.Int(MIN_THRESHOLD, MAX_THRESHOLD),
    }
)
ANSWER_RECORD = schema.Record(
    {
        'round': schema.Str(40, min=1),
        'answers': ANSWER_SHAPE,
        'receipt': schema.private(schema.Str(64, pattern=HEX_DIGEST.pattern.strip('^$'))),
        'id': schema.private(schema.Str(40)),  # LEGACY_FIELDS
        'day': schema.private(schema.Day()),
    }
)


@dataclass(frozen=True)
class SurveyRound:
    id: str
    token: str  # the unguessable part of the link (192 bits)
    instrument: str
    version: int
    title: str
    status: str  # draft | open | closed
    created: str
    closes: str | None  # a day (ISO), after which the round is closed
    threshold: int
    subject: str = ''  # what the round is about, e.g. a facilitated session's id ('' for the member survey)

    def is_open(self, today: date | None = None) -> bool:
        return self.status == 'open' and not self.expired(today)

    def expired(self, today: date | None = None) -> bool:
        return self.closes is not None and (today or datetime.now(UTC).date()).isoformat() > self.closes


@dataclass(frozen=True)
class StoredAnswer:
    answers: dict[str, Any]


def above_threshold(count: int, threshold: int) -> bool:
    """The small-group protection, in one place: a round's answers are shown or exported only from here on."""
    return count >= threshold


def receipt_hash(secret: str, code: str) -> str:
    normalised = ''.join(ch for ch in (code or '').upper() if ch.isalnum())
    return hmac.new(secret.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def new_receipt() -> str:
    code = ''.join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return '-'.join(code[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


class Surveys:
    def __init__(
        self, communities: Communities, instruments: Instruments, secret: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.communities = communities
        self.instruments = instruments
        self._secret = secret  # keys the receipt hashes: a stolen data file alone cannot test codes
        self._clock = clock
        # one-time submission tickets, in memory only, oldest first
        self._tickets: OrderedDict[str, tuple[str, float]] = OrderedDict()
        # in memory only: submissions per browser (10 per 10 minutes) and per address (300 per 10 minutes: a whole
        # office behind one proxy must still get through), and a few wrong receipt codes per address
        self.browser_limiter = FailureLimiter(10, 600, 60, 600, clock=clock, flood=None)  # counts successes
        self.submit_limiter = FailureLimiter(300, 600, 60, 600, clock=clock, flood=None)
        self.receipt_limiter = FailureLimiter(10, 900, 60, 900, clock=clock)
        communities.register_table(TableSpec(ROUNDS, ROUND_RECORD, self._validate_rounds))
        communities.register_table(
            TableSpec(ANSWERS, ANSWER_RECORD, self._validate_answers, unique=None, select=self._exportable_answers)
        )

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

    async def create(
        self,
        actor: str,
        cid: str,
        *,
        title: str = '',
        closes: str | None = None,
        threshold: int = DEFAULT_THRESHOLD,
        instrument: str = 'member_survey',
        subject: str = '',
        open_now: bool = False,
    ) -> SurveyRound:
        self.communities.get(actor, cid, Permission.EDIT)
        current = self.instruments.current(instrument)
        fields = _clean_settings(title, closes, threshold)
        doc = {
            'id': secrets.token_hex(6),
            'token': secrets.token_urlsafe(24),
            'instrument': current.id,
            'version': current.version,
            'subject': subject,
            'created': _today(),
            'status': 'open' if open_now else 'draft',
            **fields,
        }
        self._rounds(cid).insert(doc)
        await self._db(cid).commit()
        return _round(doc)

    async def update(
        self, actor: str, cid: str, round_id: str, *, title: str, closes: str | None, threshold: int
    ) -> SurveyRound:
        """Change a round's title, closing day or threshold. The threshold can only go up once answers exist."""
        self.communities.get(actor, cid, Permission.EDIT)
        current = self.round(actor, cid, round_id)
        fields = _clean_settings(title, closes, threshold, keep=current.closes)
        if fields['threshold'] < current.threshold and self.count(cid, round_id) > 0:
            raise ValidationError('survey.error.threshold_down', 'threshold', threshold=current.threshold)
        self._rounds(cid).update(fields, Query()['id'] == round_id)
        await self._db(cid).commit()
        return self.round(actor, cid, round_id)

    async def set_status(self, actor: str, cid: str, round_id: str, status: str) -> SurveyRound:
        """Open, close or reopen a round. Reopening a round past its closing day needs a later day first."""
        self.communities.get(actor, cid, Permission.EDIT)
        current = self.round(actor, cid, round_id)
        if status not in ('open', 'closed'):
            raise ValidationError('error.invalid', 'status')
        if status == 'open' and current.expired():
            raise ValidationError('survey.error.closes_past', 'closes')
        self._rounds(cid).update({'status': status}, Query()['id'] == round_id)
        await self._db(cid).commit()
        return self.round(actor, cid, round_id)

    async def delete(self, actor: str, cid: str, round_id: str) -> None:
        """Delete a round and all its answers (coordinator only)."""
        self.communities.get(actor, cid, Permission.MANAGE)
        self.round(actor, cid, round_id)
        self._rounds(cid).remove(Query()['id'] == round_id)
        self._answers(cid).remove(Query()['round'] == round_id)
        await self._db(cid).commit()

    def count(self, cid: str, round_id: str) -> int:
        """How many answers a round has, without a role check: for core services that checked their caller already.
        Pages use `answer_count`."""
        return self._answers(cid).count(Query()['round'] == round_id)

    def answer_count(self, actor: str, cid: str, round_id: str) -> int:
        """How many answers a round has (shown below the threshold too: a number says nothing about anyone)."""
        self.communities.get(actor, cid, Permission.VIEW)
        return self.count(cid, round_id)

    def answers_above_threshold(self, actor: str, cid: str, round_id: str) -> list[StoredAnswer] | None:
        """The round's answers (in their random stored order), or None while below the threshold."""
        shown = self._shown_sheets(actor, cid, round_id)
        return None if shown is None else [StoredAnswer(sheet) for sheet in shown[1]]

    def results(self, actor: str, cid: str, round_id: str, expected: int | None = None) -> SurveyResults | None:
        """A round's aggregated results, read against the instrument version it was answered on; None while below
        the threshold. `expected`: how many members were invited (for the response rate), if known."""
        shown = self._shown_sheets(actor, cid, round_id)
        return None if shown is None else aggregate(self.instrument_of(shown[0]), shown[1], expected)

    def raw_answers(self, actor: str, cid: str, round_id: str) -> list[list[Any]] | None:
        """The answers one row each (item ids first), shuffled, without any date; None while below the threshold."""
        shown = self._shown_sheets(actor, cid, round_id)
        return None if shown is None else raw_rows(self.instrument_of(shown[0]), shown[1])

    def _shown_sheets(self, actor: str, cid: str, round_id: str) -> tuple[SurveyRound, list[dict[str, Any]]] | None:
        current = self.round(actor, cid, round_id)
        docs = self._answers(cid).search(Query()['round'] == round_id)
        if not above_threshold(len(docs), current.threshold):
            return None
        return current, [dict(d['answers']) for d in docs]

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
        while self._tickets:  # drop expired tickets, and the oldest ones beyond the cap: O(1) each
            oldest = next(iter(self._tickets.values()))
            if len(self._tickets) < MAX_TICKETS and now - oldest[1] <= TICKET_SECONDS:
                break
            self._tickets.popitem(last=False)
        ticket = secrets.token_urlsafe(16)
        self._tickets[ticket] = (token, now)
        return ticket

    async def submit(
        self, cid: str, token: str, ticket: str, answers: dict[str, Any], client: str = '', browser: str = ''
    ) -> str:
        """Store one anonymous answer; returns its receipt code. Everything is checked before anything is stored.
        `client` (the peer address) and `browser` (its session id) only feed the in-memory rate limits; neither is
        ever stored."""
        wait = max(
            self.submit_limiter.retry_after(f'submit:{client}'),
            self.browser_limiter.retry_after(f'browser:{browser}') if browser else 0,
        )
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
        self.submit_limiter.failure(f'submit:{client}')  # these limiters count submissions, not failures
        if browser:
            self.browser_limiter.failure(f'browser:{browser}')
        receipt = new_receipt()
        doc = {'round': survey_round.id, 'answers': clean, 'receipt': receipt_hash(self._secret, receipt)}
        _insert_shuffled(self._answers(cid), doc)
        await self._db(cid).commit()
        return receipt

    async def withdraw(self, cid: str, token: str, receipt: str, client: str = '') -> None:
        """Delete the one answer this receipt code belongs to, and the community file's backups that still hold it;
        NotFound for a wrong code (a few per client)."""
        wait = self.receipt_limiter.retry_after(f'receipt:{client}')
        if wait:
            raise AuthError('survey.error.too_many', retry_after=wait)
        survey_round = self.by_token(cid, token)
        digest = receipt_hash(self._secret, receipt)
        removed = self._answers(cid).remove((Query()['round'] == survey_round.id) & (Query()['receipt'] == digest))
        if not removed:
            self.receipt_limiter.failure(f'receipt:{client}')
            raise NotFound('survey.error.receipt')
        db = self._db(cid)
        await db.commit()
        await asyncio.to_thread(db.drop_backups)  # after the commit: its write may have kept the previous version

    def _exportable_answers(self, db, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """An export carries only the answers of rounds at or above their threshold: the small-group protection
        must not be bypassed by reading the export file."""
        thresholds = {d['id']: d['threshold'] for d in db.table(ROUNDS).all()}
        counts: dict[str, int] = {}
        for doc in docs:
            counts[doc['round']] = counts.get(doc['round'], 0) + 1
        return [
            {k: v for k, v in d.items() if k in ANSWER_FIELDS}
            for d in docs
            if above_threshold(counts[d['round']], thresholds.get(d['round'], MAX_THRESHOLD + 1))
        ]

    def _survey_instruments(self) -> list[Instrument]:
        """Every version of every survey instrument (the member survey, the participants' feedback)."""
        found = []
        for instrument_id in self.instruments.ids():
            current = self.instruments.current(instrument_id)
            if current.kind == 'survey':
                found += [
                    i
                    for v in range(1, current.version + 1)
                    if (i := self.instruments.get(instrument_id, v)) is not None
                ]
        return found

    def _validate_rounds(self, docs: list[dict[str, Any]]) -> None:
        """Imported rounds: a known survey instrument version, a real link token, a valid status and threshold."""
        for doc in docs:
            threshold = doc.get('threshold')
            instrument = (
                self.instruments.get(doc.get('instrument'), doc.get('version'))
                if isinstance(doc.get('instrument'), str) and isinstance(doc.get('version'), int)
                else None
            )
            if (
                not isinstance(doc.get('id'), str)
                or not isinstance(doc.get('token'), str)
                or len(doc['token']) < 22
                or doc.get('status') not in STATUSES
                or not isinstance(threshold, int)
                or not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD
                or instrument is None
                or instrument.kind != 'survey'
            ):
                raise ValidationError('error.invalid')
            if doc.get('closes') is not None:
                _clean_settings('', doc['closes'], threshold, keep=doc['closes'])

    def _validate_answers(self, docs: list[dict[str, Any]]) -> None:
        """Imported answers: known keys only (nothing identifying can come in), and values every page can count on.
        Tables are validated one by one, so an answer's round (and its instrument version) is out of sight here:
        each sheet must be a valid, non-empty sheet of some survey instrument version. Item ids are never reused
        for another meaning (content/README.md), so that is the sheet's own instrument."""
        instruments = self._survey_instruments()
        for doc in docs:
            if (
                set(doc) - ANSWER_FIELDS - set(LEGACY_FIELDS)
                or not isinstance(doc.get('answers'), dict)
                or not doc['answers']
                or not isinstance(doc.get('round'), str)
                or ('receipt' in doc and not HEX_DIGEST.fullmatch(str(doc['receipt'])))
            ):
                raise ValidationError('error.invalid')
            if 'day' in doc and (not isinstance(doc['day'], str) or len(doc['day']) != 10):
                raise ValidationError('error.invalid')
            if not any(_valid_sheet(instrument, doc['answers']) for instrument in instruments):
                raise ValidationError('error.invalid')


def _valid_sheet(instrument: Instrument, answers: dict[str, Any]) -> bool:
    try:
        return bool(clean_answers(instrument, answers))
    except ValidationError:
        return False


def _insert_shuffled(table, doc: dict[str, Any]) -> None:
    """Insert under a random document id and keep the table sorted by id, so storage order is random order; one
    rewrite of the table. TinyDB has no public way to choose where a document goes, hence `_update_table`."""

    def insert_sorted(documents: dict[int, dict[str, Any]]) -> None:
        doc_id = secrets.randbits(52) + 1
        while doc_id in documents:
            doc_id = secrets.randbits(52) + 1
        documents[doc_id] = doc
        ordered = sorted(documents.items())
        documents.clear()
        for key, stored in ordered:
            for name in LEGACY_FIELDS:
                stored.pop(name, None)
            documents[key] = stored

    table._update_table(insert_sorted)
    table._next_id = None  # as Table.insert does after a document with a chosen id


def _clean_settings(title: str, closes: str | None, threshold: Any, keep: str | None = None) -> dict[str, Any]:
    """A round's settings, checked. A closing day in the past is refused unless it is `keep`, the day the round
    has already (an expired round can still be renamed or get a higher threshold)."""
    title = ' '.join((title or '').split())
    if len(title) > MAX_TITLE:
        raise ValidationError('error.too_long', 'title', max=MAX_TITLE)
    if closes:
        try:
            day = date.fromisoformat(str(closes))
        except ValueError as e:
            raise ValidationError('survey.error.closes', 'closes') from e
        if day < datetime.now(UTC).date() and day.isoformat() != keep:
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
    return SurveyRound(
        doc['id'],
        doc['token'],
        doc['instrument'],
        int(doc['version']),
        doc.get('title', ''),
        doc['status'],
        doc.get('created', ''),
        doc.get('closes'),
        int(doc['threshold']),
        doc.get('subject', ''),
    )


def _today() -> str:
    return datetime.now(UTC).date().isoformat()
