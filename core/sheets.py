"""Answer sheets: one filling-in of an instrument (a kompas round, a profile, a facilitation checklist).

A sheet is a document {id, instrument, version, started, finished, answers, comments, ...} in some table; every
answer is validated against the exact instrument version the sheet was started on and stored as it is given.
Callers check roles; these functions only keep sheets consistent.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tinydb import Query
from tinydb.table import Table

from . import clock, schema
from .clean import clean_text
from .errors import NotFound, ValidationError
from .questionnaire import MAX_TEXT, Instrument, Instruments, clean_answer, clean_answers
from .roles import Permission

MAX_COMMENT = 1000
ITEM_ID = schema.Str(80, min=1)
# the answers of one sheet, item id -> a scale number (or 'na'), an option id, a list of option ids or a text; the
# sheet's instrument decides which (the table's own check)
ANSWERS = schema.MapOf(
    ITEM_ID,
    schema.Nullable(schema.OneOf(schema.Int(-1000, 1000), schema.Str(MAX_TEXT), schema.ListOf(ITEM_ID, 100))),
    500,
)


def sheet_record(extra: dict[str, schema.Field | schema.Schema]) -> schema.Record:
    """The stored shape of a sheet, with the caller's own fields. `by` (the user who started it) stays home."""
    return schema.Record(
        {
            'id': schema.Str(40, min=1),
            'instrument': schema.Str(60, min=1),
            'version': schema.Int(1, 100_000),
            'started': schema.optional(schema.Nullable(schema.Day())),
            'finished': schema.optional(schema.Nullable(schema.Day())),
            'answers': schema.optional(ANSWERS),
            'comments': schema.optional(schema.MapOf(ITEM_ID, schema.Str(MAX_COMMENT), 500)),
            'by': schema.private(schema.Str(80)),
            **extra,
        }
    )


@dataclass(frozen=True)
class Sheet:
    id: str
    instrument: str
    version: int
    started: str
    finished: str | None
    answers: dict[str, Any]
    comments: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)  # the caller's own fields (owner, session data...)

    @property
    def done(self) -> bool:
        return self.finished is not None


def new_sheet(table: Table, instrument: Instrument, **extra: Any) -> Sheet:
    doc = {
        'id': secrets.token_hex(6),
        'instrument': instrument.id,
        'version': instrument.version,
        'started': clock.today_iso(),
        'finished': None,
        'answers': {},
        'comments': {},
        **extra,
    }
    table.insert(doc)
    return to_sheet(doc)


def get_sheet(table: Table, sheet_id: str, **match: Any) -> Sheet:
    """The sheet with this id (and these field values); NotFound otherwise."""
    condition = Query()['id'] == sheet_id
    for key, value in match.items():
        condition &= Query()[key] == value
    doc = table.get(condition) if isinstance(sheet_id, str) else None
    if doc is None:
        raise NotFound()
    return to_sheet(doc)


def instrument_of(instruments: Instruments, sheet: Sheet) -> Instrument:
    instrument = instruments.get(sheet.instrument, sheet.version)
    if instrument is None:  # its version was removed from content/instruments/archive
        raise NotFound('questionnaire.error.version_gone', version=sheet.version)
    return instrument


def set_answer(
    table: Table, instruments: Instruments, sheet: Sheet, item_id: str, value: Any, version: int | None
) -> Sheet:
    """Validate and store one answer. `version` is the instrument version the page showed: it must match."""
    if sheet.done:
        raise ValidationError('questionnaire.error.finished')
    if version is not None and version != sheet.version:
        raise ValidationError('questionnaire.error.version')
    stored = clean_answer(instrument_of(instruments, sheet), item_id, value)
    answers = dict(sheet.answers)
    if stored is None:
        answers.pop(item_id, None)
    else:
        answers[item_id] = stored
    table.update({'answers': answers}, Query()['id'] == sheet.id)
    return to_sheet(table.get(Query()['id'] == sheet.id))


def set_comment(table: Table, instruments: Instruments, sheet: Sheet, item_id: str, text: str) -> Sheet:
    if sheet.done:
        raise ValidationError('questionnaire.error.finished')
    if instrument_of(instruments, sheet).item(item_id) is None:
        raise ValidationError('questionnaire.error.unknown_item')
    text = clean_text(text, MAX_COMMENT, 'comment', multiline=True)  # no control characters, no other type
    comments = dict(sheet.comments)
    if text:
        comments[item_id] = text
    else:
        comments.pop(item_id, None)
    table.update({'comments': comments}, Query()['id'] == sheet.id)
    return to_sheet(table.get(Query()['id'] == sheet.id))


def finish_sheet(table: Table, sheet: Sheet) -> Sheet:
    if sheet.done:
        return sheet
    if not sheet.answers:
        raise ValidationError('questionnaire.error.empty')
    table.update({'finished': clock.today_iso()}, Query()['id'] == sheet.id)
    return to_sheet(table.get(Query()['id'] == sheet.id))


def to_sheet(doc: dict[str, Any]) -> Sheet:
    known = {'id', 'instrument', 'version', 'started', 'finished', 'answers', 'comments'}
    return Sheet(
        doc['id'],
        doc['instrument'],
        int(doc['version']),
        doc.get('started') or '',
        doc.get('finished'),
        dict(doc.get('answers') or {}),
        dict(doc.get('comments') or {}),
        {k: v for k, v in doc.items() if k not in known},
    )


def newest_first(docs: list[Any]) -> list[Sheet]:
    """Sheets from their table documents: the open one(s) first, then the finished ones, latest finished first
    (insertion order breaks ties)."""
    ordered = sorted(docs, key=lambda d: (d.get('finished') is None, d.get('finished') or '', d.doc_id), reverse=True)
    return [to_sheet(d) for d in ordered]


class CommunitySheets:
    """Answering, commenting and finishing the sheets one table of a community's file holds (kompas rounds,
    facilitation checklists): the coordinator and co-coordinators answer, on the sheet's own instrument version."""

    TABLE = ''

    def __init__(self, communities: Any, instruments: Instruments) -> None:
        self.communities = communities
        self.instruments = instruments

    def _table(self, cid: str) -> Table:
        return self.communities.store.community(cid).table(self.TABLE)

    async def _commit(self, cid: str) -> None:
        await self.communities.store.community(cid).commit()

    def instrument_of(self, sheet: Sheet) -> Instrument:
        """The instrument version the sheet was started on: show and answer a sheet on this, not the current one."""
        return instrument_of(self.instruments, sheet)

    def _editable(self, actor: str, cid: str, sheet_id: str) -> tuple[Table, Sheet]:
        self.communities.get(actor, cid, Permission.EDIT)
        table = self._table(cid)
        return table, get_sheet(table, sheet_id)

    async def answer(
        self, actor: str, cid: str, sheet_id: str, item_id: str, value: Any, version: int | None = None
    ) -> Sheet:
        table, sheet = self._editable(actor, cid, sheet_id)
        sheet = set_answer(table, self.instruments, sheet, item_id, value, version)
        await self._commit(cid)
        return sheet

    async def comment(self, actor: str, cid: str, sheet_id: str, item_id: str, text: str) -> Sheet:
        table, sheet = self._editable(actor, cid, sheet_id)
        sheet = set_comment(table, self.instruments, sheet, item_id, text)
        await self._commit(cid)
        return sheet

    async def finish(self, actor: str, cid: str, sheet_id: str) -> Sheet:
        table, sheet = self._editable(actor, cid, sheet_id)
        sheet = finish_sheet(table, sheet)
        await self._commit(cid)
        return sheet


def validate_sheets(instruments: Instruments, docs: list[dict[str, Any]], extra: dict[str, type]) -> None:
    """For import: every sheet well-formed, on a known instrument version, with valid answers and comments."""
    for doc in docs:
        if (
            not isinstance(doc.get('id'), str)
            or not isinstance(doc.get('instrument'), str)
            or isinstance(doc.get('version'), bool)
            or not isinstance(doc.get('version'), int)
        ):
            raise ValidationError('error.invalid')
        instrument = instruments.get(doc['instrument'], doc['version'])
        if instrument is None or not _is_day_or_none(doc.get('started')) or not _is_day_or_none(doc.get('finished')):
            raise ValidationError('error.invalid')
        answers = doc.get('answers') or {}
        if clean_answers(instrument, answers) != {k: v for k, v in answers.items() if v is not None}:
            raise ValidationError('error.invalid')
        comments = doc.get('comments') or {}
        if not isinstance(comments, dict) or any(
            instrument.item(k) is None or not isinstance(v, str) or len(v) > MAX_COMMENT for k, v in comments.items()
        ):
            raise ValidationError('error.invalid')
        for name, kind in extra.items():
            if doc.get(name) is not None and not isinstance(doc[name], kind):
                raise ValidationError('error.invalid')


def _is_day_or_none(value: Any) -> bool:
    """None, or a date as sheets store it (YYYY-MM-DD): anything else would break sorting and display."""
    if value is None:
        return True
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False
