"""Anonymous surveys: rounds answered by personal single-use links or an open link, answers that cannot be traced
to a person, not even by the coordinator or the operator.

Used by the member survey and by the participants' feedback after a facilitated session. By design, and not
switchable:
- a round is answered through personal links (the default: one single-use code of 128 bits per member; the server
  keeps a keyed hash of each code and whether it was used, never when) or through one open link (a QR code on a
  slide: anyone with it can answer more than once, so its results say "count not verified" and are released only
  once the round is closed, with a threshold of at least 8);
- an answer is stored with its round, its values and the keyed hash of its receipt code: no account, code, address,
  browser, day or time; answers are stored under random document ids, table kept sorted by them, so their order
  in the file says nothing about who answered when;
- the coordinator sees a released snapshot, never the live answers: the first at the threshold, then only when at
  least `threshold` new answers have come in, so two views never differ by one answer (no differencing);
- the per-respondent export exists only for closed rounds and holds scores only; open answers are exported apart,
  in their own keyed-random order;
- the receipt code, shown once to the respondent, withdraws exactly that answer: from the file, from the snapshot
  and from every kept backup (rewritten without it).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tinydb import Query

from . import clock, schema
from .clean import clean_text, whole_number
from .communities import Communities, TableSpec
from .dates import parse_day
from .errors import AuthError, NotFound, ValidationError
from .questionnaire import Instrument, Instruments, clean_answers
from .ratelimit import FailureLimiter
from .roles import Permission
from .sheets import ANSWERS as ANSWER_SHAPE
from .store import DamagedFileError, partition_name
from .survey_results import SurveyResults, aggregate, raw_rows

log = logging.getLogger(__name__)

ROUNDS = 'survey_rounds'
ANSWERS = 'survey_answers'
CODES = 'survey_codes'  # personal links: the keyed hash of each code and whether it was used
TEXTS = 'survey_texts'  # open answers of an imported round, kept apart from its score sheets
MODES = ('personal', 'open')
MIN_THRESHOLD = 3
DEFAULT_THRESHOLD = 5
OPEN_MIN_THRESHOLD = 8  # an open link cannot tell one person from another: a larger group hides better
MAX_CODES = 2000  # personal links per round
CODE_LENGTH = 22  # secrets.token_urlsafe(16): 128 random bits
MAX_THRESHOLD = 1000
MAX_PAYLOAD = 64 * 1024
RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'  # no 0/O, 1/I/L: easy to copy by hand
RECEIPT_LENGTH = 12
TICKET_SECONDS = 24 * 3600
MAX_TICKETS = 100_000
STATUSES = ('draft', 'open', 'closed')
MAX_TITLE = 120
ANSWER_FIELDS = {'round', 'answers', 'receipt', 'released'}
LEGACY_FIELDS = ('id', 'day')  # stored with an answer by earlier versions, read by nothing: dropped on rewrite
HEX_DIGEST = re.compile(r'^[0-9a-f]{64}$')
CODE_PATTERN = re.compile(r'^[A-Za-z0-9_-]{22}$')


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
        'mode': schema.optional(schema.Choice(*MODES), default='open'),  # rounds exported before had open links
    }
)
ANSWER_RECORD = schema.Record(
    {
        'round': schema.Str(40, min=1),
        'answers': ANSWER_SHAPE,
        'receipt': schema.private(schema.Str(64, pattern=HEX_DIGEST.pattern.strip('^$'))),
        'id': schema.private(schema.Str(40)),  # LEGACY_FIELDS
        'day': schema.private(schema.Day()),
        # an export carries only released snapshots (and an older one only answers the coordinator could see)
        'released': schema.private(schema.Bool(), default=True),
    }
)
CODE_RECORD = schema.Record(
    {
        'round': schema.Str(40, min=1),
        'hash': schema.private(schema.Str(64, pattern=HEX_DIGEST.pattern.strip('^$'))),
        'used': schema.Bool(),
    }
)
TEXT_RECORD = schema.Record(
    {'round': schema.Str(40, min=1), 'item': schema.Str(80, min=1), 'text': schema.Str(MAX_PAYLOAD, min=1)}
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
    mode: str = 'personal'  # personal (single-use links) | open (one link for everyone: count not verified)

    @property
    def verified(self) -> bool:
        """Whether each answer comes from a distinct personal link: an open link's count cannot be trusted."""
        return self.mode == 'personal'

    @property
    def step(self) -> int:
        """How many new answers release a new snapshot (and the first one)."""
        return self.threshold if self.verified else max(self.threshold, OPEN_MIN_THRESHOLD)

    def is_open(self, today: date | None = None) -> bool:
        return self.status == 'open' and not self.expired(today)

    def expired(self, today: date | None = None) -> bool:
        return self.closes is not None and (today or clock.today()).isoformat() > self.closes


@dataclass(frozen=True)
class StoredAnswer:
    answers: dict[str, Any]


@dataclass(frozen=True)
class Snapshot:
    """What the coordinator may know of a round: how many answers came in, and how many the released snapshot
    holds (everything shown and exported comes from those)."""

    received: int  # answers stored (of an open link: not verified)
    released: int  # answers in the released snapshot
    step: int  # new answers needed for the next snapshot
    shown: bool  # whether the snapshot is shown (it holds at least the threshold)
    verified: bool
    waiting_for_close: bool  # an open link's round: nothing is released before it closes

    @property
    def pending(self) -> int:
        return self.received - self.released

    @property
    def missing(self) -> int:
        """Answers still needed before the next snapshot (0 when only the closing is awaited)."""
        return max(0, self.step - self.pending)


def above_threshold(count: int, threshold: int) -> bool:
    """The small-group protection, in one place: a round's answers are shown or exported only from here on."""
    return count >= threshold


def receipt_hash(secret: str, code: str) -> str:
    normalised = ''.join(ch for ch in (code or '').upper() if ch.isalnum())
    return hmac.new(secret.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def code_hash(secret: str, code: str) -> str:
    """The keyed hash of a personal link's code (case matters: the code is read from the link, not typed)."""
    return hmac.new(secret.encode(), b'code|' + code.encode(), hashlib.sha256).hexdigest()


def new_receipt() -> str:
    code = ''.join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return '-'.join(code[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


class Surveys:
    def __init__(
        self, communities: Communities, instruments: Instruments, secret: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.communities = communities
        self.instruments = instruments
        self._closed_listeners: list[Callable[[str, str], None]] = []
        self._secret = secret  # keys the receipt and code hashes: a stolen data file alone cannot test codes
        self._clock = clock
        # tickets are signed, not remembered: page loads cost no memory and cannot push out anyone's ticket; only
        # the tickets already used are remembered (until they expire), so a submission cannot be replayed
        self._used_tickets: dict[str, float] = {}
        # in memory only: submissions and withdrawals per browser (10 per 10 minutes) and per address (300 per 10
        # minutes: a whole office behind one proxy must still get through), and a few wrong receipt codes per address
        # (these four count successes, not failures: no part in the flood gauge)
        self.browser_limiter = FailureLimiter(10, 600, 60, 600, clock=clock, flood=None)
        self.submit_limiter = FailureLimiter(300, 600, 60, 600, clock=clock, flood=None)
        self.withdraw_limiter = FailureLimiter(300, 600, 60, 600, clock=clock, flood=None)
        self.withdraw_browser_limiter = FailureLimiter(10, 600, 60, 600, clock=clock, flood=None)
        self.receipt_limiter = FailureLimiter(10, 900, 60, 900, clock=clock)
        communities.register_table(TableSpec(ROUNDS, ROUND_RECORD, self._validate_rounds))
        communities.register_table(
            TableSpec(ANSWERS, ANSWER_RECORD, self._validate_answers, unique=None, select=self._exportable_answers)
        )
        # personal links stay home: they open rounds of this community only, and a copy gets its own
        communities.register_table(TableSpec(CODES, CODE_RECORD, _validate_codes, unique=None, exported=False))
        communities.register_table(
            TableSpec(TEXTS, TEXT_RECORD, self._validate_texts, unique=None, select=self._exportable_texts)
        )

    def _db(self, cid: str):
        return self.communities.store.community(cid)

    def _rounds(self, cid: str):
        return self._db(cid).table(ROUNDS)

    def _answers(self, cid: str, round_id: str):
        """One round's answers: a table of its own (core/store.py PARTITIONED), so that reading or adding an answer
        costs that round, not the community's whole history."""
        return self._db(cid).partition(ANSWERS, round_id)

    def _codes(self, cid: str, round_id: str):
        return self._db(cid).partition(CODES, round_id)

    # -- the coordinator's side ---------------------------------------------------------------------------------

    def rounds(self, actor: str, cid: str, instrument: str = 'member_survey', subject: str = '') -> list[SurveyRound]:
        """Rounds of one instrument (and subject), newest first."""
        self.communities.get(actor, cid, Permission.VIEW)
        docs = self._rounds(cid).search((Query()['instrument'] == instrument) & (Query()['subject'] == subject))
        return [_round(d) for d in sorted(docs, key=lambda d: d.doc_id, reverse=True)]

    def on_round_closed(self, listener: Callable[[str, str], None]) -> None:
        """Call `listener(cid, round_id)` when a round is closed or deleted (its invitation list is erased then)."""
        self._closed_listeners.append(listener)

    def _round_closed(self, cid: str, round_id: str) -> None:
        for listener in self._closed_listeners:
            try:
                listener(cid, round_id)
            except Exception:  # closing the round must not fail for it
                log.exception('a round-closed listener failed')

    def _round_doc(self, cid: str, round_id: str) -> dict[str, Any] | None:
        """A round's stored fields without a role check, for core services that checked their caller already."""
        doc = self._rounds(cid).get(Query()['id'] == round_id) if isinstance(round_id, str) else None
        return dict(doc) if doc else None

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
        mode: str = 'personal',
    ) -> SurveyRound:
        self.communities.get(actor, cid, Permission.EDIT)
        if mode not in MODES:
            raise ValidationError('error.invalid', 'mode')
        current = self.instruments.current(instrument)
        fields = _clean_settings(title, closes, threshold, mode=mode)
        doc = {
            'id': secrets.token_hex(6),
            'token': secrets.token_urlsafe(24),
            'instrument': current.id,
            'version': current.version,
            'subject': subject,
            'created': clock.today_iso(),
            'status': 'open' if open_now else 'draft',
            'mode': mode,
            **fields,
        }
        self._rounds(cid).insert(doc)
        self._db(cid).table(TEXTS)._update_table(lambda docs: None)  # present, if empty: an export carries it
        await self._db(cid).commit()
        self.communities.changes.publish(cid, 'survey', actor)
        return _round(doc)

    async def update(
        self, actor: str, cid: str, round_id: str, *, title: str, closes: str | None, threshold: int
    ) -> SurveyRound:
        """Change a round's title, closing day or threshold. The threshold can only go up once answers exist."""
        self.communities.get(actor, cid, Permission.EDIT)
        current = self.round(actor, cid, round_id)
        fields = _clean_settings(title, closes, threshold, keep=current.closes, mode=current.mode)
        if fields['threshold'] < current.threshold and self.count(cid, round_id) > 0:
            raise ValidationError('survey.error.threshold_down', 'threshold', threshold=current.threshold)
        self._rounds(cid).update(fields, Query()['id'] == round_id)
        self._release(cid, self.round(actor, cid, round_id))
        await self._db(cid).commit()
        self.communities.changes.publish(cid, 'survey', actor)
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
        self._release(cid, self.round(actor, cid, round_id))
        await self._db(cid).commit()
        if status == 'closed':
            await asyncio.to_thread(self._round_closed, cid, round_id)
        self.communities.changes.publish(cid, 'survey', actor)
        return self.round(actor, cid, round_id)

    async def delete(self, actor: str, cid: str, round_id: str) -> None:
        """Delete a round, all its answers and its personal links (coordinator only)."""
        self.communities.get(actor, cid, Permission.MANAGE)
        self.round(actor, cid, round_id)
        db = self._db(cid)
        self._rounds(cid).remove(Query()['id'] == round_id)
        self._answers(cid, round_id).truncate()
        self._codes(cid, round_id).truncate()
        db.partition(TEXTS, round_id).truncate()
        await db.commit()
        await asyncio.to_thread(self._round_closed, cid, round_id)
        self.communities.changes.publish(cid, 'survey', actor)

    async def make_codes(self, actor: str, cid: str, round_id: str, how_many: Any) -> list[str]:
        """New personal single-use codes for a round (shown once: only their keyed hashes are kept)."""
        self.communities.get(actor, cid, Permission.EDIT)
        survey_round = self.round(actor, cid, round_id)
        if not survey_round.verified:
            raise ValidationError('survey.error.not_personal')
        db = self._db(cid)
        existing = len(self._codes(cid, round_id))
        number = whole_number(
            how_many, 1, MAX_CODES - existing, 'survey.error.codes', 'codes', max=max(0, MAX_CODES - existing)
        )
        codes = [secrets.token_urlsafe(16) for _ in range(number)]
        docs = [{'round': round_id, 'hash': code_hash(self._secret, c), 'used': False} for c in codes]
        _insert_shuffled(self._codes(cid, round_id), *docs)
        await db.commit()
        return codes

    def code_counts(self, actor: str, cid: str, round_id: str) -> tuple[int, int]:
        """How many personal links a round has, and how many of them were used."""
        self.communities.get(actor, cid, Permission.VIEW)
        docs = self._codes(cid, round_id).all()
        return len(docs), sum(1 for d in docs if d.get('used'))

    def count(self, cid: str, round_id: str) -> int:
        """How many answers a round has received, without a role check: for core services that checked their
        caller already. Pages use `answer_count`."""
        return len(self._answers(cid, round_id))

    def answer_count(self, actor: str, cid: str, round_id: str) -> int:
        """How many answers a round has received (shown below the threshold too: a number says nothing about
        anyone; what they said is only in the released snapshot)."""
        self.communities.get(actor, cid, Permission.VIEW)
        return self.count(cid, round_id)

    def snapshot(self, actor: str, cid: str, round_id: str) -> Snapshot:
        survey_round = self.round(actor, cid, round_id)
        docs = self._answers(cid, round_id).all()
        released = sum(1 for d in docs if d.get('released'))
        return Snapshot(
            received=len(docs),
            released=released,
            step=survey_round.step,
            shown=above_threshold(released, survey_round.threshold),
            verified=survey_round.verified,
            waiting_for_close=not survey_round.verified and survey_round.is_open(),
        )

    def answers_above_threshold(self, actor: str, cid: str, round_id: str) -> list[StoredAnswer] | None:
        """The released snapshot's answers (in their random stored order), or None while nothing is released."""
        shown = self._shown_sheets(actor, cid, round_id)
        return None if shown is None else [StoredAnswer(sheet) for sheet in shown[1]]

    def results(self, actor: str, cid: str, round_id: str, expected: int | None = None) -> SurveyResults | None:
        """The released snapshot's aggregated results, read against the instrument version it was answered on;
        None while nothing is released. `expected`: how many members were invited (for the response rate).
        Open answers come in a keyed-random order that is the same on every reading of the same snapshot."""
        shown = self._shown_sheets(actor, cid, round_id)
        if shown is None:
            return None
        survey_round, sheets, texts = shown
        results = aggregate(self.instrument_of(survey_round), sheets, expected)
        for item_result in results.items:
            item_result.texts.extend(texts.get(item_result.item.id, []))
            item_result.answered += len(texts.get(item_result.item.id, []))
            item_result.texts.sort(key=lambda text: self._keyed(survey_round.id, item_result.item.id, text))
        return results

    def raw_answers(self, actor: str, cid: str, round_id: str) -> list[list[Any]] | None:
        """The released answers of a closed round, one row each (item ids first), scores only, in a keyed-random
        order and without any date; None while the round is open or nothing is released."""
        shown = self._shown_sheets(actor, cid, round_id)
        if shown is None or shown[0].is_open() or self._decoupled(cid, round_id):
            return None
        survey_round, sheets, _ = shown
        instrument = self.instrument_of(survey_round)
        rows = raw_rows(instrument, sheets)
        header, body = rows[0], rows[1:]
        body.sort(key=lambda row: self._keyed(survey_round.id, 'row', json.dumps(row, ensure_ascii=False)))
        return [header, *body]

    def _decoupled(self, cid: str, round_id: str) -> bool:
        """Whether retention has decoupled this round's sheets (every question shuffled on its own): its rows are
        nobody's answers anymore, so a per-respondent export would be fiction."""
        # NOTE: the table and fields are core/retention.py's (TABLE); read by name to keep retention -> survey one-way
        record = self._db(cid).table('retention').get(Query()['round'] == round_id)
        return bool(record and record.get('erased'))

    def open_answers(self, actor: str, cid: str, round_id: str, t: Any) -> list[list[Any]] | None:
        """The released open answers, one row each (question id, question, answer), in their own keyed-random
        order across all open questions: nothing ties them to a respondent's scores. None while nothing is
        released."""
        results = self.results(actor, cid, round_id)
        if results is None:
            return None
        survey_round = self.round(actor, cid, round_id)
        rows = [
            [r.item.id, t.pick(r.item.statement), text]
            for r in results.items
            if r.item.type == 'text'
            for text in r.texts
        ]
        rows.sort(key=lambda row: self._keyed(survey_round.id, 'text', row[0] + '|' + row[2]))
        return [[t('survey.csv.item'), t('survey.csv.statement'), t('survey.csv.answer')], *rows]

    def trend(self, actor: str, cid: str, instrument: str = 'member_survey') -> list[tuple[SurveyRound, SurveyResults]]:
        """Every round with released results, oldest first, with its results: the trend over all rounds."""
        out = []
        for survey_round in reversed(self.rounds(actor, cid, instrument)):
            try:
                results = self.results(actor, cid, survey_round.id)
            except NotFound:  # its instrument version is gone
                continue
            if results is not None:
                out.append((survey_round, results))
        return out

    def _keyed(self, *parts: str) -> str:
        return hmac.new(self._secret.encode(), '|'.join(parts).encode(), hashlib.sha256).hexdigest()

    def _shown_sheets(
        self, actor: str, cid: str, round_id: str
    ) -> tuple[SurveyRound, list[dict[str, Any]], dict[str, list[str]]] | None:
        current = self.round(actor, cid, round_id)
        docs = [d for d in self._answers(cid, round_id).all() if d.get('released')]
        if not above_threshold(len(docs), current.threshold):
            return None
        texts: dict[str, list[str]] = {}
        for doc in self._db(cid).partition(TEXTS, round_id).all():
            texts.setdefault(doc['item'], []).append(doc['text'])
        return current, [dict(d['answers']) for d in docs], texts

    def _release(self, cid: str, survey_round: SurveyRound) -> None:
        """Move the snapshot on if the round's rule allows it: at least `step` answers came in since the last one,
        and, for an open link, the round is closed. Answers that came in since stay out of sight until then."""
        if not survey_round.verified and survey_round.is_open():
            return
        table = self._answers(cid, survey_round.id)
        pending = [d.doc_id for d in table.all() if not d.get('released')]
        if len(pending) >= survey_round.step:
            table.update({'released': True}, doc_ids=pending)

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

    def community_name(self, cid: str) -> str:
        """The community's name, shown to its respondents (who have no account)."""
        try:
            doc = self._db(cid).table('community').get(doc_id=1)
        except (KeyError, DamagedFileError):
            return ''
        return str((doc or {}).get('name', ''))

    def by_code(self, cid: str, code: str) -> tuple[SurveyRound, bool]:
        """The round of a personal link (/s/<community id>/p/<code>) and whether the code was used already;
        NotFound for an unknown or forged code."""
        if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
            raise NotFound('survey.error.code_unknown')
        try:
            db = self._db(cid)
        except (KeyError, DamagedFileError) as e:
            raise NotFound('survey.error.code_unknown') from e
        doc = db.find(CODES, 'hash', code_hash(self._secret, code))
        survey_round = db.table(ROUNDS).get(Query()['id'] == doc['round']) if doc else None
        if survey_round is None:
            raise NotFound('survey.error.code_unknown')
        return _round(survey_round), bool(doc.get('used'))

    def ticket(self, cid: str, token: str) -> str:
        """A one-time ticket for one submission from one page: a replayed submission is refused. Signed, not
        stored: any number of page loads leaves earlier tickets valid."""
        self.by_token(cid, token)
        nonce = secrets.token_urlsafe(12)
        expires = str(int(self._clock() + TICKET_SECONDS))
        return f'{nonce}.{expires}.{self._keyed("ticket", cid, token, nonce, expires)[:32]}'

    def _check_ticket(self, cid: str, token: str, ticket: Any) -> str:
        """The ticket's nonce if it is genuine, unexpired and unused; ValidationError otherwise."""
        parts = ticket.split('.') if isinstance(ticket, str) and len(ticket) < 200 else []
        if len(parts) != 3 or not parts[1].isdigit():
            raise ValidationError('survey.error.replayed')
        nonce, expires, mac = parts
        now = self._clock()
        if (
            not hmac.compare_digest(mac, self._keyed('ticket', cid, token, nonce, expires)[:32])
            or int(expires) < now
            or nonce in self._used_tickets
        ):
            raise ValidationError('survey.error.replayed')
        return nonce

    def _use_ticket(self, nonce: str) -> None:
        now = self._clock()
        if len(self._used_tickets) >= MAX_TICKETS:
            for key in [k for k, until in self._used_tickets.items() if until < now]:
                del self._used_tickets[key]
        self._used_tickets[nonce] = now + TICKET_SECONDS + 1

    def _check_code(self, codes: Any, survey_round: SurveyRound, code: str | None) -> Any:
        """A personal round needs one of its own codes, not used yet (`codes`: the round's own part); an open round
        takes none. Returns the code's document, None for an open round."""
        if not survey_round.verified:
            if code is not None:
                raise ValidationError('survey.error.code_unknown')
            return None
        if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
            raise ValidationError('survey.error.code_needed')
        code_doc = codes.get(Query()['hash'] == code_hash(self._secret, code))
        if code_doc is None:
            raise ValidationError('survey.error.code_unknown')
        if code_doc.get('used'):
            raise ValidationError('survey.error.code_used')
        return code_doc

    async def submit(
        self,
        cid: str,
        token: str,
        ticket: str,
        answers: dict[str, Any],
        client: str = '',
        browser: str = '',
        code: str | None = None,
    ) -> str:
        """Store one anonymous answer; returns its receipt code. Everything is checked before anything is stored.
        A personal round needs its unused `code`, marked used in the same write as the answer is stored, and
        never stored with it. `client` (the peer address) and `browser` (its session id) only feed the in-memory
        rate limits; neither is ever stored."""
        wait = max(
            self.submit_limiter.retry_after(f'submit:{client}'),
            self.browser_limiter.retry_after(f'browser:{browser}') if browser else 0,
        )
        if wait:
            raise AuthError('survey.error.too_many', retry_after=wait)
        survey_round = self.by_token(cid, token)
        if not survey_round.is_open():
            raise ValidationError('survey.error.closed')
        codes = self._codes(cid, survey_round.id)
        code_doc = self._check_code(codes, survey_round, code)
        nonce = self._check_ticket(cid, token, ticket)
        try:
            size = len(json.dumps(answers, ensure_ascii=False))
        except (TypeError, ValueError) as e:
            raise ValidationError('survey.error.payload') from e
        if size > MAX_PAYLOAD:
            raise ValidationError('survey.error.payload')
        clean = clean_answers(self.instrument_of(survey_round), answers)
        if not clean:
            raise ValidationError('survey.error.empty')
        # from here on nothing awaits until the commit: the code cannot be used twice in between
        self._use_ticket(nonce)
        self.submit_limiter.failure(f'submit:{client}')  # these limiters count submissions, not failures
        if browser:
            self.browser_limiter.failure(f'browser:{browser}')
        if survey_round.verified:
            codes.update({'used': True}, doc_ids=[code_doc.doc_id])
        receipt = new_receipt()
        doc = {
            'round': survey_round.id,
            'answers': clean,
            'receipt': receipt_hash(self._secret, receipt),
            'released': False,
        }
        _insert_shuffled(self._answers(cid, survey_round.id), doc)
        self._release(cid, survey_round)
        await self._db(cid).commit()
        self.communities.changes.publish(cid, 'survey')
        return receipt

    async def withdraw(self, cid: str, token: str, receipt: str, client: str = '', browser: str = '') -> None:
        """Delete the one answer this receipt code belongs to: from the file (and so from the snapshot) and from
        every kept backup that still holds it, each rewritten without it. NotFound for a wrong code. Withdrawals
        are rate-limited like submissions, and wrong codes more strictly."""
        wait = max(
            self.receipt_limiter.retry_after(f'receipt:{client}'),
            self.withdraw_limiter.retry_after(f'withdraw:{client}'),
            self.withdraw_browser_limiter.retry_after(f'browser:{browser}') if browser else 0,
        )
        if wait:
            raise AuthError('survey.error.too_many', retry_after=wait)
        self.withdraw_limiter.failure(f'withdraw:{client}')
        if browser:
            self.withdraw_browser_limiter.failure(f'browser:{browser}')
        survey_round = self.by_token(cid, token)
        digest = receipt_hash(self._secret, receipt if isinstance(receipt, str) else '')
        removed = self._answers(cid, survey_round.id).remove(Query()['receipt'] == digest)
        if not removed:
            self.receipt_limiter.failure(f'receipt:{client}')
            raise NotFound('survey.error.receipt')
        db = self._db(cid)
        await db.commit(backup=False)  # the previous version holds the answer: it must not become a backup
        self.communities.changes.publish(cid, 'survey')
        # after the commit (a concurrent write may have kept the previous version, which holds the answer too)
        await asyncio.to_thread(db.rewrite_backups, lambda data: _drop_answer(data, survey_round.id, digest))

    # -- export and import --------------------------------------------------------------------------------------

    def _exported_answers(self, db) -> list[tuple[dict[str, Any], Instrument | None]]:
        """The answers an export may carry, with their instrument: the released snapshots of closed rounds only (a
        per-respondent record must not exist for an open round)."""
        closed = {d['id']: _round(d) for d in db.table(ROUNDS).all() if not _round(d).is_open()}
        released: dict[str, list[dict[str, Any]]] = {}
        for doc in db.table(ANSWERS).all():
            if doc['round'] in closed and doc.get('released'):
                released.setdefault(doc['round'], []).append(doc)
        return [
            (doc, self.instruments.get(closed[round_id].instrument, closed[round_id].version))
            for round_id, docs in released.items()
            if above_threshold(len(docs), closed[round_id].threshold)
            for doc in docs
        ]

    def _exportable_answers(self, db, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Scores only: the open answers go to the texts table, apart and in their own keyed-random order."""
        out = []
        for doc, instrument in self._exported_answers(db):
            scores = {k: v for k, v in doc['answers'].items() if _item_type(instrument, k) != 'text'}
            if scores:
                out.append({'round': doc['round'], 'answers': scores, 'released': True})
        out.sort(key=lambda d: self._keyed('export', json.dumps(d, ensure_ascii=False, sort_keys=True)))
        return out

    def _exportable_texts(self, db, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        texts = [{'round': d['round'], 'item': d['item'], 'text': d['text']} for d in docs]
        for doc, instrument in self._exported_answers(db):
            texts += [
                {'round': doc['round'], 'item': k, 'text': v}
                for k, v in doc['answers'].items()
                if _item_type(instrument, k) == 'text'
            ]
        texts.sort(key=lambda d: self._keyed('export-text', d['round'], d['item'], d['text']))
        return texts

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
        """Imported rounds: a known survey instrument version, a real link token, a valid status, mode and
        threshold."""
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
                or doc.get('mode', 'open') not in MODES
                or not isinstance(threshold, int)
                or isinstance(threshold, bool)
                or not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD
                or instrument is None
                or instrument.kind != 'survey'
                or not isinstance(doc.get('title', ''), str)
                or len(doc.get('title', '')) > MAX_TITLE
                or not isinstance(doc.get('subject', ''), str)
                or len(doc.get('subject', '')) > 64
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
                or ('receipt' in doc and not (isinstance(doc['receipt'], str) and HEX_DIGEST.fullmatch(doc['receipt'])))
                or ('released' in doc and not isinstance(doc['released'], bool))
            ):
                raise ValidationError('error.invalid')
            if 'day' in doc and (not isinstance(doc['day'], str) or len(doc['day']) != 10):
                raise ValidationError('error.invalid')
            if not any(_valid_sheet(instrument, doc['answers']) for instrument in instruments):
                raise ValidationError('error.invalid')

    def _validate_texts(self, docs: list[dict[str, Any]]) -> None:
        """Imported open answers: a round, an open question of some survey instrument, a text of allowed length."""
        instruments = self._survey_instruments()
        for doc in docs:
            if (
                set(doc) != {'round', 'item', 'text'}
                or not isinstance(doc['round'], str)
                or not isinstance(doc['item'], str)
                or not isinstance(doc['text'], str)
                or not doc['text'].strip()
            ):
                raise ValidationError('error.invalid')
            if not any(_valid_sheet(i, {doc['item']: doc['text']}) for i in instruments):
                raise ValidationError('error.invalid')


def _validate_codes(docs: list[dict[str, Any]]) -> None:
    """Personal links never leave in an export; an import that holds some checks them, then drops them."""
    for doc in docs:
        if not isinstance(doc.get('round'), str) or not isinstance(doc.get('used'), bool):
            raise ValidationError('error.invalid')


def _item_type(instrument: Instrument | None, item_id: str) -> str | None:
    item = instrument.item(item_id) if instrument is not None else None
    return item.type if item is not None else None


def _drop_answer(data: dict[str, Any], round_id: str, digest: str) -> bool:
    """Remove from a file's raw data the answer with this receipt hash; whether there was one. The answers are in
    their round's part (core/store.py), or in one table in versions kept before the parts existed."""
    found = False
    for table in (data.get(ANSWERS), data.get(partition_name(ANSWERS, round_id))):
        if not isinstance(table, dict):
            continue
        doomed = [
            key
            for key, doc in table.items()
            if isinstance(doc, dict) and doc.get('round') == round_id and doc.get('receipt') == digest
        ]
        for key in doomed:
            del table[key]
        found = found or bool(doomed)
    return found


def _valid_sheet(instrument: Instrument, answers: dict[str, Any]) -> bool:
    try:
        return bool(clean_answers(instrument, answers))
    except ValidationError:
        return False


def _insert_shuffled(table, *docs: dict[str, Any]) -> None:
    """Insert under random document ids and keep the table sorted by id, so storage order is random order; one
    rewrite of the table. TinyDB has no public way to choose where a document goes, hence `_update_table`."""

    def insert_sorted(documents: dict[int, dict[str, Any]]) -> None:
        for doc in docs:
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


def _clean_settings(
    title: str, closes: str | None, threshold: Any, keep: str | None = None, mode: str = 'personal'
) -> dict[str, Any]:
    """A round's settings, checked. A closing day in the past is refused unless it is `keep`, the day the round
    has already (an expired round can still be renamed or get a higher threshold). An open link needs a threshold
    of at least 8."""
    title = clean_text(title, MAX_TITLE, 'title')  # refuses what is not text (a forged message can send anything)
    if closes:
        day = parse_day(closes, 'survey.error.closes', 'closes')
        if day < clock.today() and day.isoformat() != keep:
            raise ValidationError('survey.error.closes_past', 'closes')
        closes = day.isoformat()
    low = OPEN_MIN_THRESHOLD if mode == 'open' else MIN_THRESHOLD
    try:  # the message's own `low` parameter would clash with whole_number's
        number = whole_number(threshold, low, MAX_THRESHOLD, 'survey.error.threshold', 'threshold')
    except ValidationError as e:
        raise ValidationError('survey.error.threshold', 'threshold', low=low) from e
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
        doc.get('mode', 'open'),
    )
