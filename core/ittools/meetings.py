"""Meetings on a comparison: the join code, participants without an account, the two ways of scoring (together, or
each on their own and then a reveal), who may change weights, and the end of the meeting.

The code index (code -> community and meeting) lives in the accounts file, like invitations, so a code is found
without opening every community's file. An ended meeting keeps its index entry for a week, so its code says
"this meeting has ended" rather than "unknown code"; the code is not handed out again meanwhile.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tinydb import Query

from core.communities import COMMUNITY_TABLE
from core.errors import NotFound, ValidationError
from core.roles import Permission

from .. import clock
from ..clock import now_iso
from . import codes
from .live import Actor, Change, Room, UndoStep
from .model import WEIGHT_POLICIES, Entry, Meeting, Participant, clean_display_name
from .records import CODES, MEETINGS
from .rooms import Rooms

MEETING_HOURS = 24
CODE_KEEP_DAYS = 7
MAX_PARTICIPANTS = 150


@dataclass(frozen=True)
class Rights:
    """What one person may do on a comparison right now."""

    cells: bool = False  # change scores (in private mode: their own private scores)
    notes: bool = False
    weights: bool = False
    private: bool = False  # their scores are private (private scoring in progress)
    totals: bool = True  # see totals and ranking
    stats: bool = False  # see the spread of the private scores (after the reveal)
    coordinator: bool = False  # may run the meeting


@dataclass(frozen=True)
class MeetingRef:
    """What a participant learns from a code: where it leads, nothing else of the community."""

    cid: str
    comparison_id: str
    meeting_id: str
    code: str
    title: str
    community_name: str


class Meetings:
    """Meetings on the comparisons' rooms: used by the IT-tools service, never the other way round."""

    def __init__(self, rooms: Rooms) -> None:
        self.rooms = rooms
        self.guard = codes.CodeGuard()

    # -- rights --------------------------------------------------------------------------------------------------------

    def rights(self, actor: Actor, cid: str, comparison_id: str) -> Rights:
        room = self.rooms.room(cid, comparison_id)
        meeting = room.active_meeting
        coordinator = not actor.participant and self.rooms.can(actor, cid, Permission.EDIT)
        if actor.participant:
            if meeting is None or meeting.id != actor.meeting_id or actor.id[2:] not in meeting.participants:
                return Rights(totals=True)
        elif not coordinator:
            hidden = meeting is not None and meeting.mode == 'private'
            return Rights(totals=not hidden, stats=meeting is not None and meeting.mode == 'revealed')
        if meeting is None:
            return Rights(cells=True, notes=True, weights=True, coordinator=True)
        weights = meeting.weights == 'everyone' or (coordinator and meeting.weights == 'coordinator')
        if meeting.mode == 'private':
            return Rights(cells=True, weights=weights, private=True, totals=False, coordinator=coordinator)
        return Rights(
            cells=True, notes=True, weights=weights, stats=meeting.mode == 'revealed', coordinator=coordinator
        )

    def in_meeting(self, actor: Actor, room: Room) -> bool:
        meeting = room.active_meeting
        return meeting is not None and actor.participant and actor.meeting_id == meeting.id

    def meeting(self, cid: str, comparison_id: str) -> Meeting | None:
        """The running meeting on a comparison, if any."""
        return self.rooms.room(cid, comparison_id).active_meeting

    # -- the coordinator runs the meeting ------------------------------------------------------------------------------

    async def start_meeting(
        self, actor: Actor, cid: str, comparison_id: str, mode: str = 'together', weights: str = 'coordinator'
    ) -> Meeting:
        """Open a meeting with a fresh code; if one is running already, that one is returned."""
        self.rooms.require(actor, cid, Permission.EDIT)
        if mode not in ('together', 'private') or weights not in WEIGHT_POLICIES:
            raise ValidationError('error.invalid', 'mode')
        room = self.rooms.room(cid, comparison_id)
        if room.active_meeting is not None:
            return room.active_meeting
        index = self.rooms.store.accounts.table(CODES)
        self._purge_codes()
        now = clock.now()
        code = codes.new_code({doc['code'] for doc in index.all()})
        meeting = Meeting(
            id='m' + secrets.token_hex(7),
            comparison_id=comparison_id,
            code=code,
            mode=mode,
            weights=weights,
            started=now.isoformat(timespec='seconds'),
            started_by=actor.name,
            expires=(now + timedelta(hours=MEETING_HOURS)).isoformat(timespec='seconds'),
            round=1 if mode == 'private' else 0,
        )
        room.meeting, room.meeting_doc_id = meeting, room.db.table(MEETINGS).insert(meeting.to_doc())
        index.insert(
            {
                'code': code,
                'community_id': cid,
                'meeting_id': meeting.id,
                'comparison_id': comparison_id,
                'expires': meeting.expires,
                'ended': None,
            }
        )
        await room.db.commit()
        await self.rooms.store.accounts.commit()
        room.notify(Change('meeting', actor_id=actor.id))
        return meeting

    async def end_meeting(self, actor: Actor, cid: str, comparison_id: str) -> None:
        """End the meeting: its code stops working, participants keep a read-only view, the results stay."""
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        meeting = room.active_meeting
        if meeting is None:
            return
        meeting.ended = now_iso()
        self.rooms.write_meeting(room)
        self._end_code(meeting)
        await room.db.commit()
        await self.rooms.store.accounts.commit()
        room.editing.clear()
        room.notify(Change('meeting', actor_id=actor.id))

    async def set_mode(self, actor: Actor, cid: str, comparison_id: str, mode: str) -> Meeting:
        """together; private (a new private round: all score alone); revealed (shows the private scores)."""
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        meeting = room.active_meeting
        if meeting is None:
            raise ValidationError('meeting.error.no_meeting')
        if mode not in ('together', 'private', 'revealed'):
            raise ValidationError('error.invalid', 'mode')
        if mode == 'revealed' and meeting.mode != 'private':
            raise ValidationError('meeting.error.reveal_needs_private')
        if mode == meeting.mode:
            return meeting
        if mode == 'private':
            meeting.round += 1
            meeting.private.clear()
            room.touched()
            for stack in room.undo.values():  # private steps of an earlier round cannot be undone any more
                for step in [s for s in stack if s.kind == 'private']:
                    stack.remove(step)
        meeting.mode = mode
        if mode == 'revealed':
            self._replace_by_round(room)
        self.rooms.write_meeting(room)
        await room.db.commit()
        room.editing.clear()
        room.notify(Change('meeting', actor_id=actor.id))
        return meeting

    def _replace_by_round(self, room: Room) -> None:
        """The reveal: in every cell the round scored, the round's figures replace the earlier shared score, so no
        cell shows an old value beside the round's and nothing mixes the two (the group agrees on it anew)."""
        comparison = room.comparison
        stale = [key for key in room.stats() if key in comparison.scores]
        for key in stale:
            del comparison.scores[key]
        if stale:
            comparison.next_rev()
            comparison.updated = now_iso()
            self.rooms.write_comparison(room)

    async def set_weights_policy(self, actor: Actor, cid: str, comparison_id: str, policy: str) -> None:
        self.rooms.require(actor, cid, Permission.EDIT)
        if policy not in WEIGHT_POLICIES:
            raise ValidationError('error.invalid', 'weights')
        room = self.rooms.room(cid, comparison_id)
        meeting = room.active_meeting
        if meeting is None:
            raise ValidationError('meeting.error.no_meeting')
        if meeting.weights == policy:
            return
        meeting.weights = policy
        self.rooms.write_meeting(room)
        await room.db.commit()
        room.notify(Change('meeting', actor_id=actor.id))

    async def adopt_means(self, actor: Actor, cid: str, comparison_id: str) -> int:
        """After the reveal: every cell of the round not agreed on since gets the round's rounded mean (the reveal
        removed the earlier shared scores of these cells, so only the round's values count). Returns the count."""
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        meeting = room.active_meeting
        if meeting is None or meeting.mode != 'revealed':
            raise ValidationError('meeting.error.adopt_needs_reveal')
        comparison = room.comparison
        filled = 0
        for key, stats in room.stats().items():
            if comparison.score(key) is None:
                entry = Entry(
                    value=stats.rounded, by=actor.name, by_id=actor.id, at=now_iso(), rev=comparison.next_rev()
                )
                comparison.scores[key] = entry
                filled += 1
        if filled:
            comparison.updated = now_iso()
            self.rooms.write_comparison(room)
            await room.db.commit()
            room.notify(Change('reset', actor_id=actor.id))
        return filled

    # -- private scores ------------------------------------------------------------------------------------------------

    async def set_private(
        self, room: Room, actor: Actor, key: str, value: int | None, *, undoable: bool = True
    ) -> Entry:
        meeting = room.active_meeting
        scores = meeting.private.setdefault(actor.id, {})
        previous = scores.get(key)
        if value is None:
            scores.pop(key, None)
        else:
            scores[key] = value
        room.touched()

        def write(doc: dict[str, Any]) -> None:
            own = doc['private'].setdefault(actor.id, {})
            if value is None:
                own.pop(key, None)
            else:
                own[key] = value

        room.db.table(MEETINGS).update(write, doc_ids=[room.meeting_doc_id])

        def take_back() -> None:
            if previous is None:
                scores.pop(key, None)
            else:
                scores[key] = previous
            self.rooms.write_meeting(room)

        await self.rooms.commit_edit(room, actor, UndoStep('private', key, previous, 0), take_back, undoable=undoable)
        room.notify(Change('progress', key=key, actor_id=actor.id))
        return Entry(value=value, by=actor.name, by_id=actor.id, at=now_iso(), rev=0)

    def private_scores(self, actor: Actor, cid: str, comparison_id: str) -> dict[str, int]:
        """The actor's own private scores of the current round."""
        meeting = self.rooms.room(cid, comparison_id).active_meeting
        return dict(meeting.private.get(actor.id, {})) if meeting else {}

    # -- codes and participants ----------------------------------------------------------------------------------------

    def _end_code(self, meeting: Meeting) -> None:
        self.rooms.store.accounts.table(CODES).update(
            {'ended': meeting.ended or now_iso()}, Query()['meeting_id'] == meeting.id
        )

    def _purge_codes(self) -> None:
        limit = (clock.now() - timedelta(days=CODE_KEEP_DAYS)).isoformat(timespec='seconds')
        self.rooms.store.accounts.table(CODES).remove(Query()['expires'].test(lambda expires: expires < limit))

    def find_meeting(self, raw_code: Any, session: str, address: str) -> MeetingRef:
        """Where a typed code leads. A wrong code counts against the browser and its address; too many wrong codes
        lock them out for a while (ValidationError 'meeting.error.too_many' with the minutes)."""
        wait = self.guard.retry_after(session, address)
        if wait:
            raise ValidationError('meeting.error.too_many', minutes=max(1, (wait + 59) // 60))
        code = codes.normalise(raw_code)
        doc = self.rooms.store.accounts.table(CODES).get(Query()['code'] == code) if code else None
        if doc is None:
            self.guard.failure(session, address)
            raise NotFound('meeting.error.code')
        self.guard.success(session)
        if doc.get('ended') is not None or doc['expires'] <= now_iso():
            raise NotFound('meeting.error.ended')
        cid, comparison_id = doc['community_id'], doc['comparison_id']
        try:
            room = self.rooms.room(cid, comparison_id)
        except NotFound as e:
            raise NotFound('meeting.error.ended') from e
        community = room.db.table(COMMUNITY_TABLE).get(doc_id=1) or {}
        meeting = room.active_meeting
        if meeting is None or meeting.id != doc['meeting_id']:
            raise NotFound('meeting.error.ended')
        return MeetingRef(
            cid=cid,
            comparison_id=comparison_id,
            meeting_id=meeting.id,
            code=meeting.code,
            title=room.comparison.title,
            community_name=str(community.get('name', '')),
        )

    def participant_actor(self, ref: MeetingRef, pid: str | None) -> Actor | None:
        """The participant behind a participant id kept in a browser session, if they joined this meeting."""
        if not pid:
            return None
        meeting = self.rooms.room(ref.cid, ref.comparison_id).meeting
        if meeting is None or meeting.id != ref.meeting_id:
            return None
        participant = meeting.participants.get(pid)
        if participant is None:
            return None
        return Actor(id=f'p:{pid}', name=participant.name, meeting_id=meeting.id)

    async def join(self, ref: MeetingRef, name: Any, pid: str | None = None) -> Actor:
        """Join (or rejoin, possibly under a new name) a running meeting with a display name."""
        name = clean_display_name(name)
        room = self.rooms.room(ref.cid, ref.comparison_id)
        meeting = room.active_meeting
        if meeting is None or meeting.id != ref.meeting_id:
            raise NotFound('meeting.error.ended')
        existing = meeting.participants.get(pid) if pid else None
        others = [p for p in meeting.participants.values() if p is not existing]
        if any(p.name.casefold() == name.casefold() for p in others):
            raise ValidationError('meeting.error.name_taken', 'name')
        if name.casefold() in self.rooms.communities.account_names(ref.cid):
            raise ValidationError('meeting.error.name_account', 'name')
        if existing is None and len(meeting.participants) >= MAX_PARTICIPANTS:
            raise ValidationError('meeting.error.full', max=MAX_PARTICIPANTS)
        if existing is None:
            pid = secrets.token_hex(8)
            meeting.participants[pid] = Participant(pid, name, now_iso())
        elif existing.name == name:
            return Actor(id=f'p:{pid}', name=name, meeting_id=meeting.id)
        else:
            existing.name = name
            room.rename(f'p:{pid}', name)
        self.rooms.write_meeting(room)
        await room.db.commit()
        room.notify(Change('presence'))
        return Actor(id=f'p:{pid}', name=name, meeting_id=meeting.id)
