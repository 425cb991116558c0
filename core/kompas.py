"""The CoP-kompas: rounds of the maturity questionnaire for a community's coordinator team.

Coordinator and co-coordinators answer (one shared round at a time); a coach reads the results. Each round keeps
the instrument version it was answered on.

A round is either full (every statement) or a quick scan: the statements its instrument version marks `quick`, one per
dimension, a first indication in about three minutes. A quick round is read on the quick selection of its own version,
each dimension scored on its one answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from tinydb import Query
from tinydb.operations import delete as delete_field

from . import schema, sheets
from .communities import Communities, TableSpec
from .errors import ValidationError
from .questionnaire import Instrument, Instruments, Result, score
from .roles import Permission
from .sheets import Sheet

TABLE = 'kompas_rounds'
INSTRUMENT = 'kompas'
QUICK = 'quick'  # a round's `scope` when it is a quick scan (no scope: the full kompas)


def quick_selection(instrument: Instrument) -> Instrument:
    """The quick scan of an instrument version: per dimension only its `quick` statements, each dimension scored on
    a single answer. A dimension with no quick statement keeps all of them (the scan stays complete)."""
    dimensions = tuple(replace(d, items=tuple(i for i in d.items if i.quick) or d.items) for d in instrument.dimensions)
    return replace(instrument, dimensions=dimensions, min_answers=1, _items={})


def is_quick(sheet: Sheet) -> bool:
    return sheet.extra.get('scope') == QUICK


@dataclass(frozen=True)
class RoundResult:
    round: Sheet
    instrument: Instrument
    result: Result
    previous: tuple[Sheet, Result] | None  # the round finished before this one, for the comparison

    @property
    def quick(self) -> bool:
        return is_quick(self.round)


@dataclass(frozen=True)
class TrendPoint:
    round: Sheet
    result: Result


class Kompas(sheets.CommunitySheets):
    TABLE = TABLE

    def __init__(self, communities: Communities, instruments: Instruments) -> None:
        super().__init__(communities, instruments)
        record = sheets.sheet_record({'scope': schema.optional(schema.Choice(QUICK))})
        communities.register_table(TableSpec(TABLE, record, lambda docs: sheets.validate_sheets(instruments, docs, {})))
        self._quick: dict[int, Instrument] = {}

    @property
    def instrument(self) -> Instrument:
        return self.instruments.current(INSTRUMENT)

    @property
    def quick_instrument(self) -> Instrument:
        return self._quick_of(self.instrument)

    def _quick_of(self, instrument: Instrument) -> Instrument:
        if instrument.version not in self._quick:
            self._quick[instrument.version] = quick_selection(instrument)
        return self._quick[instrument.version]

    def instrument_of(self, sheet: Sheet) -> Instrument:
        """The round's own instrument version, narrowed to its quick selection for a quick scan."""
        full = super().instrument_of(sheet)
        return self._quick_of(full) if is_quick(sheet) else full

    @staticmethod
    def is_quick(sheet: Sheet) -> bool:
        return is_quick(sheet)

    # -- reading ------------------------------------------------------------------------------------------------

    def rounds(self, actor: str, cid: str) -> list[Sheet]:
        """Every round, newest first."""
        self.communities.get(actor, cid, Permission.VIEW)
        return sheets.newest_first(self._table(cid).all())

    def open_round(self, actor: str, cid: str) -> Sheet | None:
        return next((r for r in self.rounds(actor, cid) if not r.done), None)

    def round(self, actor: str, cid: str, round_id: str) -> Sheet:
        self.communities.get(actor, cid, Permission.VIEW)
        return sheets.get_sheet(self._table(cid), round_id)

    def result(self, actor: str, cid: str, round_id: str) -> RoundResult:
        sheet = self.round(actor, cid, round_id)
        instrument = self.instrument_of(sheet)
        finished = [r for r in self.rounds(actor, cid) if r.done]  # newest first
        ids = [r.id for r in finished]
        earlier = finished[ids.index(sheet.id) + 1 :] if sheet.id in ids else finished
        previous = None
        if earlier:
            before = earlier[0]
            previous = (before, score(self.instrument_of(before), before.answers))
        return RoundResult(sheet, instrument, score(instrument, sheet.answers), previous)

    def trend(self, actor: str, cid: str) -> list[TrendPoint]:
        """Every finished round, oldest first, each scored on its own instrument version (and selection)."""
        finished = [r for r in self.rounds(actor, cid) if r.done]
        return [TrendPoint(r, score(self.instrument_of(r), r.answers)) for r in reversed(finished)]

    def latest_result(self, actor: str, cid: str) -> RoundResult | None:
        """The most recently finished round's result, for the survey's perception gap and the dossier."""
        finished = [r for r in self.rounds(actor, cid) if r.done]
        return self.result(actor, cid, finished[0].id) if finished else None

    # -- answering ----------------------------------------------------------------------------------------------

    async def start(self, actor: str, cid: str, quick: bool = False) -> Sheet:
        """Open a new round (a quick scan when `quick`), or return the round that is still open, whatever its
        scope: there is one shared open round at a time."""
        self.communities.get(actor, cid, Permission.EDIT)
        existing = self.open_round(actor, cid)
        if existing is not None:
            return existing
        extra: dict[str, Any] = {'by': actor}
        if quick:
            extra['scope'] = QUICK
        sheet = sheets.new_sheet(self._table(cid), self.instrument, **extra)
        await self._commit(cid)
        return sheet

    async def answer(
        self, actor: str, cid: str, sheet_id: str, item_id: str, value: Any, version: int | None = None
    ) -> Sheet:
        """As for any sheet, but a quick scan takes answers to its own statements only."""
        sheet = self.round(actor, cid, sheet_id)
        if isinstance(item_id, str) and self.instrument_of(sheet).item(item_id) is None:
            raise ValidationError('questionnaire.error.unknown_item')
        return await super().answer(actor, cid, sheet_id, item_id, value, version)

    async def widen(self, actor: str, cid: str, round_id: str) -> Sheet:
        """Turn an open quick scan into a full round: its answers stay (they are statements of the full kompas)."""
        table, sheet = self._editable(actor, cid, round_id)
        if sheet.done:
            raise ValidationError('questionnaire.error.finished')
        table.update(delete_field('scope'), Query()['id'] == round_id)
        await self._commit(cid)
        return self.round(actor, cid, round_id)

    async def delete(self, actor: str, cid: str, round_id: str) -> None:
        """Remove a round (coordinator only): an abandoned or mistaken one."""
        self.communities.get(actor, cid, Permission.MANAGE)
        table = self._table(cid)
        sheets.get_sheet(table, round_id)
        table.remove(Query()['id'] == round_id)
        await self._commit(cid)
