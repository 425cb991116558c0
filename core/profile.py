"""The coordinator-profile checklist: a personal self-assessment of strengths and improvement points.

A profile belongs to the person who filled it, not to a community: it lives in the accounts file. Its owner may
share it with communities they belong to; that community's members then see its result, read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tinydb import Query

from . import sheets
from .accounts import Accounts
from .communities import Communities
from .questionnaire import (
    Instrument,
    Instruments,
    Item,
    ProfileFinding,
    Result,
    not_applicable_items,
    score,
    strengths_and_improvements,
)
from .roles import Permission
from .sheets import Sheet

TABLE = 'profiles'
INSTRUMENT = 'profile'


@dataclass(frozen=True)
class ProfileResult:
    sheet: Sheet
    instrument: Instrument
    result: Result
    strengths: list[ProfileFinding]
    improvements: list[ProfileFinding]
    not_applicable: list[Item] = field(default_factory=list)  # answered "not applicable (not yet)": no score


@dataclass(frozen=True)
class SharedProfile:
    owner_id: str
    owner_name: str
    profile: ProfileResult


class Profiles:
    def __init__(self, communities: Communities, accounts: Accounts, instruments: Instruments) -> None:
        self.communities = communities
        self.accounts = accounts
        self.instruments = instruments

    @property
    def _table(self):
        return self.communities.store.accounts.table(TABLE)

    async def _commit(self) -> None:
        await self.communities.store.accounts.commit()

    @property
    def instrument(self) -> Instrument:
        return self.instruments.current(INSTRUMENT)

    def instrument_of(self, sheet: Sheet) -> Instrument:
        """The instrument version the profile was started on: show and answer it on this, not the current one."""
        return sheets.instrument_of(self.instruments, sheet)

    def mine(self, owner: str) -> list[Sheet]:
        """The owner's profiles, the open one first, then the latest finished."""
        return sheets.newest_first(self._table.search(Query()['owner'] == owner))

    def open_profile(self, owner: str) -> Sheet | None:
        return next((p for p in self.mine(owner) if not p.done), None)

    def latest(self, owner: str) -> Sheet | None:
        return next((p for p in self.mine(owner) if p.done), None)

    def get(self, owner: str, profile_id: str) -> Sheet:
        return sheets.get_sheet(self._table, profile_id, owner=owner)

    def result(self, owner: str, profile_id: str) -> ProfileResult:
        return self._result(self.get(owner, profile_id))

    def _result(self, sheet: Sheet) -> ProfileResult:
        instrument = self.instrument_of(sheet)
        strengths, improvements = strengths_and_improvements(instrument, sheet.answers)
        return ProfileResult(
            sheet,
            instrument,
            score(instrument, sheet.answers),
            strengths,
            improvements,
            not_applicable_items(instrument, sheet.answers),
        )

    async def start(self, owner: str) -> Sheet:
        existing = self.open_profile(owner)
        if existing is not None:
            return existing
        sheet = sheets.new_sheet(self._table, self.instrument, owner=owner, shared=[])
        await self._commit()
        return sheet

    async def answer(self, owner: str, profile_id: str, item_id: str, value: Any, version: int | None = None) -> Sheet:
        sheet = sheets.set_answer(self._table, self.instruments, self.get(owner, profile_id), item_id, value, version)
        await self._commit()
        return sheet

    async def comment(self, owner: str, profile_id: str, item_id: str, text: str) -> Sheet:
        sheet = sheets.set_comment(self._table, self.instruments, self.get(owner, profile_id), item_id, text)
        await self._commit()
        return sheet

    async def finish(self, owner: str, profile_id: str) -> Sheet:
        sheet = sheets.finish_sheet(self._table, self.get(owner, profile_id))
        await self._commit()
        return sheet

    async def share(self, owner: str, profile_id: str, cid: str, shared: bool) -> Sheet:
        """Share a profile with a community the owner belongs to, or stop sharing it."""
        self.communities.get(owner, cid, Permission.VIEW)
        sheet = self.get(owner, profile_id)
        communities = [c for c in sheet.extra.get('shared', []) if c != cid] + ([cid] if shared else [])
        self._table.update({'shared': communities}, Query()['id'] == profile_id)
        await self._commit()
        return self.get(owner, profile_id)

    def is_shared(self, sheet: Sheet, cid: str) -> bool:
        return cid in sheet.extra.get('shared', [])

    def shared_with(self, actor: str, cid: str) -> list[SharedProfile]:
        """The latest finished profile of each member who shared one with this community (the actor's own too)."""
        self.communities.get(actor, cid, Permission.VIEW)
        members = {m.user_id: m.name for m in self.communities.members(actor, cid)}
        found = []
        for owner_id, name in members.items():
            shared = [p for p in self.mine(owner_id) if p.done and self.is_shared(p, cid)]
            if shared:
                found.append(SharedProfile(owner_id, name, self._result(shared[0])))
        return found
