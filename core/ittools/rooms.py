"""The live rooms of the IT-tools comparisons: one per comparison someone works on, loaded from the community's
file on first use and kept in memory while pages have it open (core/ittools/live.py holds the room itself). The
comparison service and the meeting service both work on rooms through this registry: it reads and writes the stored
documents, checks the actor's role afresh on every call, and commits an edit with its undo step."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from tinydb import Query

from core.communities import Communities
from core.errors import AppError, NotFound, PermissionDenied, ValidationError
from core.roles import Permission, require
from core.store import DamagedFileError, Database, Store

from ..clock import now_iso
from .catalogue import Catalogue
from .live import Actor, Change, Listener, Room, UndoStep
from .model import Meeting, comparison_from_doc, meeting_from_doc
from .records import CODES, COMPARISONS, MEETINGS

log = logging.getLogger(__name__)

# Rooms nobody has open stay loaded for the next visit, up to this many (the oldest loaded go first). A room with a
# page open is never dropped; dropping an idle one loses only the undo history of people who have no page open.
MAX_IDLE_ROOMS = 200
ANNOUNCE_HEAD_START = 0.002  # seconds between announcing an edit to the open pages and writing it (see commit_edit)


class Rooms:
    def __init__(self, store: Store, communities: Communities, catalogue: Catalogue) -> None:
        self.store = store
        self.communities = communities
        self.catalogue = catalogue
        self.loaded: dict[tuple[str, str], Room] = {}

    def db(self, cid: str) -> Database:
        try:
            return self.store.community(cid)
        except KeyError as e:
            raise NotFound() from e

    def room(self, cid: str, comparison_id: str) -> Room:
        """The live room of a comparison, loaded on first use (NotFound if it does not exist)."""
        db = self.db(cid)
        key = (cid, comparison_id)
        room = self.loaded.get(key)
        if room is not None and room.db is db and db.table(COMPARISONS).contains(doc_id=room.doc_id):
            return room
        if not isinstance(comparison_id, str):
            raise NotFound()
        doc = db.table(COMPARISONS).get(Query()['id'] == comparison_id)
        if doc is None:
            self.loaded.pop(key, None)
            raise NotFound()
        try:
            comparison = comparison_from_doc(doc)
        except ValidationError as e:
            raise DamagedFileError(db.path, 'holds an IT-tools comparison that cannot be read') from e
        fresh = Room(cid=cid, db=db, comparison=comparison, doc_id=doc.doc_id, catalogue=self.catalogue)
        found = self.latest_meeting(cid, db, db.table(MEETINGS).search(Query()['comparison_id'] == comparison_id))
        if found is not None:
            fresh.meeting, fresh.meeting_doc_id = found
        if room is not None:  # the file was restored or replaced under open pages: they get the new state
            fresh.listeners, fresh.presence = room.listeners, room.presence
            fresh._presence_version = room._presence_version + 1  # the pages draw their presence list again
        self._keep(key, fresh)
        if room is not None:
            fresh.notify(Change('reset'))
        return fresh

    def _keep(self, key: tuple[str, str], room: Room) -> None:
        self.loaded[key] = room
        idle = [k for k, r in self.loaded.items() if k != key and r.idle]
        for k in idle[: max(0, len(idle) + 1 - MAX_IDLE_ROOMS)]:  # + 1: the new room, not open yet, counts too
            del self.loaded[k]

    def latest_meeting(self, cid: str, db: Database, docs: list[Any]) -> tuple[Meeting, int] | None:
        """The latest of a comparison's meeting documents (DamagedFileError if it cannot be read). A meeting whose code
        does not lead to it (imported, orphaned) is over."""
        if not docs:
            return None
        doc = max(docs, key=lambda d: d.get('started', ''))
        try:
            meeting = meeting_from_doc(doc)
        except ValidationError as e:
            raise DamagedFileError(db.path, 'holds an IT-tools meeting that cannot be read') from e
        if meeting.ended is None and not self.code_points_to(meeting.code, cid, meeting.id):
            meeting.ended = now_iso()
        return meeting, doc.doc_id

    def subscribe(self, cid: str, comparison_id: str, listener: Listener) -> Callable[[], None]:
        room = self.room(cid, comparison_id)
        unsubscribe = room.subscribe(listener)

        def done() -> None:
            unsubscribe()
            self.evict(cid, comparison_id)

        return done

    def drop_room(self, cid: str, comparison_id: str) -> None:
        """Forget an idle room, so the next use reads the comparison from the file again."""
        self.evict(cid, comparison_id)

    def evict(self, cid: str, comparison_id: str) -> None:
        room = self.loaded.get((cid, comparison_id))
        if room is not None and room.idle:
            del self.loaded[(cid, comparison_id)]

    def require(self, actor: Actor, cid: str, permission: Permission) -> None:
        """The actor's current role grants `permission` (read afresh: a role may change while a page is open)."""
        if actor.participant:
            raise PermissionDenied()
        require(self.communities.role_of(actor.id[2:], cid), permission)

    def can(self, actor: Actor, cid: str, permission: Permission) -> bool:
        try:
            self.require(actor, cid, permission)
        except AppError:
            return False
        return True

    def write_comparison(self, room: Room) -> None:
        doc = room.comparison.to_doc()

        def replace(stored: dict[str, Any]) -> None:
            stored.clear()
            stored.update(doc)

        room.db.table(COMPARISONS).update(replace, doc_ids=[room.doc_id])

    def write_meeting(self, room: Room) -> None:
        if room.meeting is None or room.meeting_doc_id is None:
            return
        doc = room.meeting.to_doc()

        def replace(stored: dict[str, Any]) -> None:
            stored.clear()
            stored.update(doc)

        room.db.table(MEETINGS).update(replace, doc_ids=[room.meeting_doc_id])

    async def commit_edit(
        self,
        room: Room,
        actor: Actor,
        step: UndoStep,
        take_back: Callable[[], None],
        *,
        undoable: bool,
        announce: Change | None = None,
    ) -> None:
        """Write an edit to disk and keep its undo step. If the disk refuses, `take_back()` restores the model and the
        stored document and the user is told (AppError).

        `announce` is heard by the open pages before the write, not after it: in a meeting, the others see an edit
        as soon as it is in the shared model, without waiting for the disk (an fsync costs more than the whole trip
        from one browser to the others). Only the author's acknowledgement waits for the disk (what the page
        confirms is on disk). If the disk refuses, every open page is reset to the model as taken back."""
        if undoable:
            room.push_undo(actor.id, step)
        if announce is not None:
            room.notify(announce)
            # the pages' outboxes send the announcement first: the write serialises the changed table on the event
            # loop before it goes to its thread, and edits arriving meanwhile share this write (group commit)
            await asyncio.sleep(ANNOUNCE_HEAD_START)
        try:
            await room.db.commit()
        except OSError as e:
            take_back()
            room.touched()
            room.pop_undo(actor.id, step)
            log.warning('could not save an IT-tools edit: %s', e)
            if announce is not None:
                room.notify(Change('reset', actor_id=actor.id))
            raise AppError('ittools.error.save') from e

    def code_points_to(self, code: str, cid: str, meeting_id: str) -> bool:
        doc = self.store.accounts.table(CODES).get(Query()['code'] == code)
        return (
            doc is not None
            and doc['community_id'] == cid
            and doc['meeting_id'] == meeting_id
            and doc.get('ended') is None
        )

    def reload(self, cid: str) -> None:
        """Read the community's rooms again from its file (after it was changed underneath, e.g. by an erasure):
        idle rooms are dropped, open ones take the stored comparison and meeting and their pages reset."""
        for (room_cid, comparison_id), room in list(self.loaded.items()):
            if room_cid != cid:
                continue
            if room.idle:
                self.evict(room_cid, comparison_id)
                continue
            doc = room.db.table(COMPARISONS).get(doc_id=room.doc_id)
            if doc is not None:
                room.comparison = comparison_from_doc(doc)
            meeting_doc = room.db.table(MEETINGS).get(doc_id=room.meeting_doc_id) if room.meeting_doc_id else None
            if meeting_doc is not None:
                room.meeting = meeting_from_doc(meeting_doc)
            room.notify(Change('reset'))
