"""The CoP-kompas: rounds of the maturity questionnaire for a community's coordinator team.

Coordinator and co-coordinators answer (one shared round at a time); a coach reads the results. Each round keeps
the instrument version it was answered on.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinydb import Query

from . import sheets
from .communities import Communities, register_table
from .questionnaire import Instrument, Instruments, Result, score
from .roles import Permission
from .sheets import Sheet

TABLE = 'kompas_rounds'
INSTRUMENT = 'kompas'


@dataclass(frozen=True)
class RoundResult:
    round: Sheet
    instrument: Instrument
    result: Result
    previous: tuple[Sheet, Result] | None  # the round finished before this one, for the comparison


class Kompas(sheets.CommunitySheets):
    TABLE = TABLE

    def __init__(self, communities: Communities, instruments: Instruments) -> None:
        super().__init__(communities, instruments)
        register_table(TABLE, lambda docs: sheets.validate_sheets(instruments, docs, {'by': str}))

    @property
    def instrument(self) -> Instrument:
        return self.instruments.current(INSTRUMENT)

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

    def latest_result(self, actor: str, cid: str) -> RoundResult | None:
        """The most recently finished round's result, for the survey's perception gap and the dossier."""
        finished = [r for r in self.rounds(actor, cid) if r.done]
        return self.result(actor, cid, finished[0].id) if finished else None

    # -- answering ----------------------------------------------------------------------------------------------

    async def start(self, actor: str, cid: str) -> Sheet:
        """Open a new round, or return the round that is still open."""
        self.communities.get(actor, cid, Permission.EDIT)
        existing = self.open_round(actor, cid)
        if existing is not None:
            return existing
        sheet = sheets.new_sheet(self._table(cid), self.instrument, by=actor)
        await self._commit(cid)
        return sheet

    async def delete(self, actor: str, cid: str, round_id: str) -> None:
        """Remove a round (coordinator only): an abandoned or mistaken one."""
        self.communities.get(actor, cid, Permission.MANAGE)
        table = self._table(cid)
        sheets.get_sheet(table, round_id)
        table.remove(Query()['id'] == round_id)
        await self._commit(cid)
