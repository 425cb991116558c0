"""The IT-tools comparison service: comparisons, their cells and weights, undo, the decision, and the live rooms.

Every change is validated and role-checked here, written to the community's file, committed (the caller confirms
only what is on disk) and then announced to the room's listeners. Meetings (codes, participants, private scoring
and the reveal) are in `meetings.py`, which this class extends.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from tinydb import Query

from core.accounts import Accounts, User
from core.communities import Communities, TableSpec
from core.errors import NotFound, PermissionDenied, ValidationError
from core.roles import Permission
from core.store import DamagedFileError, Store

from ..clean import clean_text
from ..clock import now_iso
from ..i18n import Translator
from . import records
from .catalogue import Catalogue
from .live import Actor, Change, Listener, PresenceRow, Room, UndoStep
from .meetings import Meetings
from .model import (
    DEFAULT_WEIGHT,
    LIMITS,
    MAX_CRITERIA,
    MAX_TOOLS,
    Comparison,
    CriterionRef,
    Decision,
    Entry,
    Meeting,
    ToolRef,
    check_date,
    check_score,
    check_weight,
    comparison_from_doc,
    validate_comparisons,
    validate_meetings,
)
from .records import COMPARISONS, MEETINGS
from .report import decision_record
from .rooms import Rooms
from .texts import criterion_title, tool_name
from .view import PresenceView, presence_view

log = logging.getLogger(__name__)

MAX_COMPARISONS = 50


class ITTools:
    """The comparisons of a community and the edits on them; meetings on a comparison are `self.meetings`."""

    def __init__(self, store: Store, communities: Communities, accounts: Accounts, catalogue: Catalogue) -> None:
        self.store = store
        self.communities = communities
        self.accounts = accounts
        self.catalogue = catalogue
        self.rooms = Rooms(store, communities, catalogue)
        self.meetings = Meetings(self.rooms)
        communities.register_table(TableSpec(COMPARISONS, records.COMPARISON, validate_comparisons))
        communities.register_table(TableSpec(MEETINGS, records.MEETING, validate_meetings, exported=False))

    # -- actors ------------------------------------------------------------------------------------------------------

    def user_actor(self, user: User, cid: str) -> Actor:
        """The account holder as an actor in a community (NotFound if they do not belong to it)."""
        if self.communities.role_of(user.id, cid) is None:
            raise NotFound()
        return Actor(id=f'u:{user.id}', name=user.name)

    def room(self, cid: str, comparison_id: str) -> Room:
        """The live room of a comparison, loaded on first use (NotFound if it does not exist)."""
        return self.rooms.room(cid, comparison_id)

    def subscribe(self, cid: str, comparison_id: str, listener: Listener) -> Callable[[], None]:
        return self.rooms.subscribe(cid, comparison_id, listener)

    def drop_room(self, cid: str, comparison_id: str) -> None:
        """Forget an idle room, so the next use reads the comparison from the file again."""
        self.rooms.evict(cid, comparison_id)

    # -- rooms ---------------------------------------------------------------------------------------------------------

    # -- presence and editing marks (memory only) ----------------------------------------------------------------------

    def enter(self, actor: Actor, cid: str, comparison_id: str) -> str:
        """A page of `actor` opened the comparison; returns the page's presence token."""
        room = self.rooms.room(cid, comparison_id)
        if actor.participant:
            kind = 'participant'
        else:
            kind = 'coordinator' if self.rooms.can(actor, cid, Permission.EDIT) else 'viewer'
        token = room.enter(actor, kind)
        room.notify(Change('presence', actor_id=actor.id))
        return token

    def set_connected(self, cid: str, comparison_id: str, token: str, connected: bool) -> None:
        room = self.rooms.loaded.get((cid, comparison_id))
        if room is not None and room.set_connected(token, connected):
            room.notify(Change('presence'))

    def leave(self, cid: str, comparison_id: str, token: str) -> None:
        room = self.rooms.loaded.get((cid, comparison_id))
        if room is not None and room.leave(token):
            room.notify(Change('presence'))
            self.rooms.evict(cid, comparison_id)

    def present(self, cid: str, comparison_id: str) -> list[PresenceRow]:
        """Who has the comparison open (a shared list: read it, never change it)."""
        return self.rooms.room(cid, comparison_id).present()

    def presence_view(
        self, cid: str, comparison_id: str, t: Translator, *, show_progress: bool = False
    ) -> PresenceView:
        """The presence list as the pages show it, built once per change and language for every page."""
        return presence_view(self.rooms.room(cid, comparison_id), t, show_progress=show_progress)

    def set_editing(self, actor: Actor, cid: str, comparison_id: str, key: Any) -> None:
        """Show others that `actor` is editing a cell (None: no longer). Silently ignored for non-editors."""
        room = self.rooms.room(cid, comparison_id)
        if key is not None:
            room.comparison.split_key(key)
            if not self.meetings.rights(actor, cid, comparison_id).cells:
                return
        if room.set_editing(actor, key):
            room.notify(Change('editing', key=key or '', actor_id=actor.id))

    # -- reading -------------------------------------------------------------------------------------------------------

    def comparisons(self, actor: Actor, cid: str) -> list[Comparison]:
        """The community's comparisons, newest first."""
        self.rooms.require(actor, cid, Permission.VIEW)
        out = []
        for doc in self.rooms.db(cid).table(COMPARISONS).all():
            try:
                out.append(comparison_from_doc(doc))
            except ValidationError:
                log.warning('unreadable IT-tools comparison in community %s', cid)
        return [c for _, c in sorted(enumerate(out), key=lambda p: (p[1].created, p[0]), reverse=True)]

    def count(self, cid: str) -> int:
        """How many comparisons the community has (a count of its stored documents: nothing is read)."""
        try:
            return len(self.rooms.db(cid).table(COMPARISONS))
        except NotFound:
            return 0

    def active_meetings(self, actor: Actor, cid: str) -> dict[str, Meeting]:
        """comparison id -> its running meeting, for every comparison that has one: one read of the meetings table,
        no comparison loaded. Unreadable meetings are left out (opening their comparison says the file is damaged)."""
        self.rooms.require(actor, cid, Permission.VIEW)
        db = self.rooms.db(cid)
        by_comparison: dict[str, list[Any]] = {}
        for doc in db.table(MEETINGS).all():
            by_comparison.setdefault(str(doc.get('comparison_id')), []).append(doc)
        out = {}
        for comparison_id, docs in by_comparison.items():
            try:
                found = self.rooms.latest_meeting(cid, db, docs)
            except DamagedFileError:
                log.warning('unreadable IT-tools meeting in community %s', cid)
                continue
            if found is not None and found[0].active:
                out[comparison_id] = found[0]
        return out

    def comparison(self, actor: Actor, cid: str, comparison_id: str) -> Comparison:
        room = self.rooms.room(cid, comparison_id)
        self._check_view(actor, room)
        return room.comparison

    def _check_view(self, actor: Actor, room: Room) -> None:
        if actor.participant:
            meeting = room.meeting
            if meeting is None or meeting.id != actor.meeting_id or actor.id[2:] not in meeting.participants:
                raise NotFound()
        else:
            self.rooms.require(actor, room.cid, Permission.VIEW)

    # -- creating and shaping a comparison -----------------------------------------------------------------------------

    async def create(
        self,
        actor: Actor,
        cid: str,
        title: Any,
        template_id: str | None = None,
        tool_ids: Iterable[str] | None = None,
        criterion_ids: Iterable[str] | None = None,
    ) -> Comparison:
        """A new comparison. With a template, its tools, criteria, weights and must-haves; `tool_ids` and
        `criterion_ids`, when given, replace the template's choice (criteria it does not weigh get the default)."""
        self.rooms.require(actor, cid, Permission.EDIT)
        db = self.rooms.db(cid)
        if len(db.table(COMPARISONS)) >= MAX_COMPARISONS:
            raise ValidationError('ittools.error.too_many_comparisons', max=MAX_COMPARISONS)
        title = clean_text(title, LIMITS['title'], 'title', required='ittools.error.required')
        template = None
        if template_id:
            template = self.catalogue.template(template_id)
            if template is None:
                raise ValidationError('error.invalid', 'template')
            tool_ids = template.tools if tool_ids is None else tool_ids
            criterion_ids = template.criteria if criterion_ids is None else criterion_ids
        if isinstance(tool_ids, str) or isinstance(criterion_ids, str):
            raise ValidationError('error.invalid', 'tools')
        tool_ids, criterion_ids = list(tool_ids or ()), list(criterion_ids or ())
        if not all(isinstance(i, str) for i in [*tool_ids, *criterion_ids]):
            raise ValidationError('error.invalid', 'tools')
        tool_ids, criterion_ids = list(dict.fromkeys(tool_ids)), list(dict.fromkeys(criterion_ids))
        if not tool_ids:
            raise ValidationError('ittools.error.no_tools', 'tools')
        if not criterion_ids:
            raise ValidationError('ittools.error.no_criteria', 'criteria')
        if len(tool_ids) > MAX_TOOLS:
            raise ValidationError('ittools.error.too_many_tools', 'tools', max=MAX_TOOLS)
        if len(criterion_ids) > MAX_CRITERIA:
            raise ValidationError('ittools.error.too_many_criteria', 'criteria', max=MAX_CRITERIA)
        if any(self.catalogue.tool(i) is None for i in tool_ids):
            raise ValidationError('error.invalid', 'tools')
        if any(self.catalogue.criterion(i) is None for i in criterion_ids):
            raise ValidationError('error.invalid', 'criteria')
        now = now_iso()
        comparison = Comparison(
            id='c' + secrets.token_hex(7),
            title=title,
            created=now,
            updated=now,
            template=template.id if template else '',
            tools=[ToolRef(i, catalogue=True) for i in tool_ids],
            criteria=[
                CriterionRef(
                    i,
                    weight=template.weights.get(i, DEFAULT_WEIGHT) if template else DEFAULT_WEIGHT,
                    must=bool(template and i in template.must),
                )
                for i in criterion_ids
            ],
        )
        db.table(COMPARISONS).insert(comparison.to_doc())
        await db.commit()
        return comparison

    async def rename(self, actor: Actor, cid: str, comparison_id: str, title: Any) -> None:
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        room.comparison.title = clean_text(title, LIMITS['title'], 'title', required='ittools.error.required')
        await self._commit_structure(room)

    async def delete(self, actor: Actor, cid: str, comparison_id: str) -> None:
        """Delete a comparison with its meetings; an open meeting ends and its code stops working."""
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        meeting = room.active_meeting
        if meeting is not None:
            meeting.ended = now_iso()
            self._end_code(meeting)
        room.db.table(COMPARISONS).remove(doc_ids=[room.doc_id])
        room.db.table(MEETINGS).remove(Query()['comparison_id'] == comparison_id)
        await room.db.commit()
        await self.store.accounts.commit()
        self.rooms.loaded.pop((cid, comparison_id), None)
        room.notify(Change('deleted', actor_id=actor.id))

    async def add_tool(
        self,
        actor: Actor,
        cid: str,
        comparison_id: str,
        tool_id: str | None = None,
        *,
        name: Any = None,
        description: Any = None,
    ) -> ToolRef:
        """Add a catalogue tool (`tool_id`) or an own tool (`name`, `description`)."""
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        comparison = room.comparison
        if len(comparison.tools) >= MAX_TOOLS:
            raise ValidationError('ittools.error.too_many_tools', 'tools', max=MAX_TOOLS)
        if tool_id is not None:
            if not isinstance(tool_id, str) or self.catalogue.tool(tool_id) is None:
                raise ValidationError('error.invalid', 'tool')
            if comparison.tool(tool_id) is not None:
                raise ValidationError('ittools.error.tool_present', 'tool')
            ref = ToolRef(tool_id, catalogue=True)
        else:
            clean = clean_text(name, LIMITS['tool_name'], 'name', required='ittools.error.required')
            taken = {tool_name(self.catalogue, t)['en'].casefold() for t in comparison.tools}
            if clean.casefold() in taken:
                raise ValidationError('ittools.error.tool_present', 'name')
            ref = ToolRef(
                't_' + secrets.token_hex(4),
                catalogue=False,
                name=clean,
                description=clean_text(description, LIMITS['explanation'], 'description', multiline=True),
            )
        comparison.tools.append(ref)
        await self._commit_structure(room)
        return ref

    async def remove_tool(self, actor: Actor, cid: str, comparison_id: str, tool_id: str) -> None:
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        comparison = room.comparison
        if comparison.tool(tool_id) is None:
            raise NotFound()
        if len(comparison.tools) == 1:
            raise ValidationError('ittools.error.no_tools', 'tools')
        comparison.tools = [t for t in comparison.tools if t.id != tool_id]
        self._drop_cells(room, lambda key: key.split(':')[0] == tool_id)
        await self._commit_structure(room)

    async def add_criterion(
        self,
        actor: Actor,
        cid: str,
        comparison_id: str,
        criterion_id: str | None = None,
        *,
        title: Any = None,
        explanation: Any = None,
        weight: Any = DEFAULT_WEIGHT,
    ) -> CriterionRef:
        """Add a catalogue criterion (`criterion_id`) or an own one (`title`, `explanation`)."""
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        comparison = room.comparison
        if len(comparison.criteria) >= MAX_CRITERIA:
            raise ValidationError('ittools.error.too_many_criteria', 'criteria', max=MAX_CRITERIA)
        weight = check_weight(weight)
        if criterion_id is not None:
            if not isinstance(criterion_id, str) or self.catalogue.criterion(criterion_id) is None:
                raise ValidationError('error.invalid', 'criterion')
            if comparison.criterion(criterion_id) is not None:
                raise ValidationError('ittools.error.criterion_present', 'criterion')
            ref = CriterionRef(criterion_id, weight=weight)
        else:
            clean = clean_text(title, LIMITS['criterion_title'], 'title', required='ittools.error.required')
            taken = {criterion_title(self.catalogue, c)['en'].casefold() for c in comparison.criteria}
            if clean.casefold() in taken:
                raise ValidationError('ittools.error.criterion_present', 'title')
            ref = CriterionRef(
                'k_' + secrets.token_hex(4),
                weight=weight,
                catalogue=False,
                title=clean,
                explanation=clean_text(explanation, LIMITS['explanation'], 'explanation', multiline=True),
            )
        comparison.criteria.append(ref)
        await self._commit_structure(room)
        return ref

    async def remove_criterion(self, actor: Actor, cid: str, comparison_id: str, criterion_id: str) -> None:
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        comparison = room.comparison
        if comparison.criterion(criterion_id) is None:
            raise NotFound()
        if len(comparison.criteria) == 1:
            raise ValidationError('ittools.error.no_criteria', 'criteria')
        comparison.criteria = [c for c in comparison.criteria if c.id != criterion_id]
        self._drop_cells(room, lambda key: key.split(':')[1] == criterion_id)
        await self._commit_structure(room)

    def _drop_cells(self, room: Room, doomed: Callable[[str], bool]) -> None:
        comparison = room.comparison
        for cells in (comparison.scores, comparison.notes):
            for key in [k for k in cells if doomed(k)]:
                del cells[key]
        if room.meeting is not None:
            for scores in room.meeting.private.values():
                for key in [k for k in scores if doomed(k)]:
                    del scores[key]
            self.rooms.write_meeting(room)
        for key in [k for k in room.editing if doomed(k)]:
            del room.editing[key]
        room.undo.clear()  # steps may point at cells that no longer exist

    async def _commit_structure(self, room: Room) -> None:
        room.comparison.next_rev()
        room.comparison.updated = now_iso()
        self.rooms.write_comparison(room)
        await room.db.commit()
        room.notify(Change('structure'))

    # -- cells ---------------------------------------------------------------------------------------------------------

    async def set_score(self, actor: Actor, cid: str, comparison_id: str, key: Any, value: Any) -> Entry:
        """Set a cell's score (None clears it). During private scoring, the actor's own private score.
        Returns the stored entry; its `rev` is 0 for a private score."""
        room = self.rooms.room(cid, comparison_id)
        value = check_score(value)
        room.comparison.split_key(key)
        rights = self._edit_rights(actor, room)
        if rights.private:
            return await self.meetings.set_private(room, actor, key, value)
        return await self._set_field(room, actor, 'score', key, value)

    async def set_note(self, actor: Actor, cid: str, comparison_id: str, key: Any, text: Any) -> Entry:
        room = self.rooms.room(cid, comparison_id)
        text = clean_text(text, LIMITS['note'], 'note', multiline=True)
        room.comparison.split_key(key)
        rights = self._edit_rights(actor, room)
        if not rights.notes:
            raise PermissionDenied('meeting.error.private_notes')
        return await self._set_field(room, actor, 'note', key, text)

    def _edit_rights(self, actor: Actor, room: Room):
        rights = self.meetings.rights(actor, room.cid, room.comparison.id)
        if not rights.cells:
            meeting = room.meeting
            if actor.participant and (meeting is None or not meeting.active):
                raise PermissionDenied('meeting.error.ended')
            raise PermissionDenied()
        return rights

    async def _set_field(
        self, room: Room, actor: Actor, field: str, key: str, value: Any, *, undoable: bool = True
    ) -> Entry:
        comparison = room.comparison
        cells = comparison.scores if field == 'score' else comparison.notes
        previous = cells.get(key)
        if previous is not None and previous.value == value and previous.by_id == actor.id:
            return previous  # the same author setting the same value again: nothing changes
        entry = Entry(value=value, by=actor.name, by_id=actor.id, at=now_iso(), rev=comparison.next_rev())
        cells[key] = entry
        store_name = 'scores' if field == 'score' else 'notes'
        self._write_cell(room, store_name, key, entry)

        def take_back() -> None:
            if cells.get(key) is entry:  # nobody changed it since
                if previous is None:
                    del cells[key]
                else:
                    cells[key] = previous
                self._write_cell(room, store_name, key, previous)

        await self.rooms.commit_edit(
            room,
            actor,
            UndoStep(field, key, None if previous is None else previous.value, entry.rev),
            take_back,
            undoable=undoable,
            announce=Change(field, key=key, entry=entry, actor_id=actor.id),
        )
        return entry

    def _write_cell(self, room: Room, store_name: str, key: str, entry: Entry | None) -> None:
        comparison = room.comparison
        payload = None if entry is None else entry.to_doc()

        def write(doc: dict[str, Any]) -> None:
            if payload is None:
                doc[store_name].pop(key, None)
            else:
                doc[store_name][key] = payload
            doc['rev'] = comparison.rev
            doc['updated'] = payload['at'] if payload else now_iso()

        room.db.table(COMPARISONS).update(write, doc_ids=[room.doc_id])

    async def set_weight(
        self, actor: Actor, cid: str, comparison_id: str, criterion_id: Any, *, weight: Any = None, must: Any = None
    ) -> CriterionRef:
        """Change a criterion's weight (0..5) and/or its must-have flag."""
        room = self.rooms.room(cid, comparison_id)
        criterion = room.comparison.criterion(criterion_id) if isinstance(criterion_id, str) else None
        if criterion is None:
            raise ValidationError('ittools.error.criterion', 'criterion')
        new_weight = criterion.weight if weight is None else check_weight(weight)
        if must is not None and not isinstance(must, bool):
            raise ValidationError('error.invalid', 'must')
        new_must = criterion.must if must is None else must
        if not self.meetings.rights(actor, cid, comparison_id).weights:
            if self.meetings.in_meeting(actor, room) or (
                not actor.participant and self.rooms.can(actor, cid, Permission.EDIT)
            ):
                raise PermissionDenied('meeting.error.weights_locked')
            raise PermissionDenied()
        return await self._apply_weight(room, actor, criterion, new_weight, new_must)

    async def _apply_weight(
        self, room: Room, actor: Actor, criterion: CriterionRef, weight: int, must: bool, *, undoable: bool = True
    ) -> CriterionRef:
        if (criterion.weight, criterion.must) == (weight, must):
            return criterion
        previous = (criterion.weight, criterion.must)
        criterion.weight, criterion.must = weight, must
        criterion.rev = room.comparison.next_rev()
        room.comparison.updated = now_iso()
        self.rooms.write_comparison(room)

        def take_back() -> None:
            if criterion.rev == room.comparison.rev:  # nobody changed anything since
                criterion.weight, criterion.must = previous
                self.rooms.write_comparison(room)

        await self.rooms.commit_edit(
            room,
            actor,
            UndoStep('criterion', criterion.id, previous, criterion.rev),
            take_back,
            undoable=undoable,
            announce=Change('criterion', key=criterion.id, actor_id=actor.id),
        )
        return criterion

    async def undo(self, actor: Actor, cid: str, comparison_id: str) -> UndoStep:
        """Take back the actor's own last change, unless someone changed that element since (then nothing changes
        and the error names who did)."""
        room = self.rooms.room(cid, comparison_id)
        step = room.last_undo(actor.id)
        if step is None:
            raise ValidationError('ittools.error.nothing_to_undo')
        comparison = room.comparison
        if step.kind in ('score', 'note'):
            cells = comparison.scores if step.kind == 'score' else comparison.notes
            current = cells.get(step.key)
            if current is None or current.rev != step.rev:
                room.pop_undo(actor.id, step)
                raise ValidationError('ittools.error.undo_changed', name=current.by if current else '?')
            rights = self._edit_rights(actor, room)
            if rights.private or (step.kind == 'note' and not rights.notes):
                raise ValidationError('ittools.error.undo_mode')
            restored = await self._set_field(room, actor, step.kind, step.key, step.previous, undoable=False)
            new_rev = restored.rev
        elif step.kind == 'private':
            rights = self._edit_rights(actor, room)
            if not rights.private:
                room.pop_undo(actor.id, step)
                raise ValidationError('ittools.error.undo_mode')
            await self.meetings.set_private(room, actor, step.key, step.previous, undoable=False)
            new_rev = 0
        else:
            criterion = comparison.criterion(step.key)
            if criterion is None or criterion.rev != step.rev:
                room.pop_undo(actor.id, step)
                raise ValidationError('ittools.error.undo_changed', name='?')
            if not self.meetings.rights(actor, cid, comparison_id).weights:
                raise PermissionDenied('meeting.error.weights_locked')
            weight, must = step.previous
            new_rev = (await self._apply_weight(room, actor, criterion, weight, must, undoable=False)).rev
        room.pop_undo(actor.id, step)
        # the element now holds what this person's earlier change on it had set: that change can be undone next
        for earlier in reversed(room.undo.get(actor.id, ())):
            if earlier.kind == step.kind and earlier.key == step.key:
                earlier.rev = new_rev
                break
        return step

    def can_undo(self, actor: Actor, cid: str, comparison_id: str) -> bool:
        room = self.rooms.loaded.get((cid, comparison_id))
        return room is not None and room.last_undo(actor.id) is not None

    # -- the decision --------------------------------------------------------------------------------------------------

    async def record_decision(
        self, actor: Actor, cid: str, comparison_id: str, tool_id: Any, rationale: Any, day: Any
    ) -> Decision:
        """Record which tool the group chose, why and when, with the ranking as it stands now."""
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        comparison = room.comparison
        tool = comparison.tool(tool_id) if isinstance(tool_id, str) else None
        if tool is None:
            raise ValidationError('ittools.error.decision_tool', 'tool')
        rationale = clean_text(
            rationale,
            LIMITS['rationale'],
            'rationale',
            multiline=True,
            required='ittools.error.rationale_required',
        )
        day = check_date(day)
        names = {t.id: tool_name(self.catalogue, t)['en'] for t in comparison.tools}
        ranking = [
            {
                'tool_id': r.tool_id,
                'name': names[r.tool_id],
                'rank': r.rank,
                'percent': round(r.percent, 4),
                'points': r.points,
                'max_points': r.max_points,
                'excluded': r.excluded,
                'failed': list(r.failed),
            }
            for r in room.results()
        ]
        comparison.decision = Decision(
            tool_id=tool.id,
            tool_name=names[tool.id],
            rationale=rationale,
            date=day,
            recorded_by=actor.name,
            recorded_at=now_iso(),
            ranking=ranking,
        )
        comparison.updated = now_iso()
        self.rooms.write_comparison(room)
        await room.db.commit()
        room.notify(Change('decision', actor_id=actor.id))
        return comparison.decision

    async def clear_decision(self, actor: Actor, cid: str, comparison_id: str) -> None:
        self.rooms.require(actor, cid, Permission.EDIT)
        room = self.rooms.room(cid, comparison_id)
        if room.comparison.decision is None:
            return
        room.comparison.decision = None
        self.rooms.write_comparison(room)
        await room.db.commit()
        room.notify(Change('decision', actor_id=actor.id))

    def latest_decided(self, cid: str) -> Comparison | None:
        """The comparison with the community's most recently recorded decision, if any. Only that one is read: the
        others are looked at as stored documents."""
        try:
            docs = self.rooms.db(cid).table(COMPARISONS).all()
        except NotFound:
            return None
        decided = [d for d in docs if isinstance(d.get('decision'), dict)]
        for doc in sorted(decided, key=lambda d: str(d['decision'].get('recorded_at', '')), reverse=True):
            try:
                return comparison_from_doc(doc)
            except ValidationError:
                log.warning('unreadable IT-tools comparison in community %s', cid)
        return None

    def has_decision(self, cid: str) -> bool:
        """Whether the community recorded which tool it chose (in any of its comparisons)."""
        return self.latest_decided(cid) is not None

    def latest_decision(self, cid: str) -> dict[str, Any] | None:
        """The community's most recently recorded decision as plain data, for the PDF dossier; None if there is none.

        Texts that depend on the language are {nl, fr, en} mappings (pick with Translator.pick). The caller checks
        that its reader may see the community. Keys: comparison_id, title, tool_id, tool_name, rationale, date,
        recorded_by, recorded_at, ranking [{rank, tool_id, name, percent (0..1), points, max_points, excluded,
        failed [criterion titles]}], criteria [{id, title, weight, share (0..1), must}], ranking_now (the same rows
        computed from the matrix as it is today, in case it changed after the decision), completeness (of the matrix
        today: core/ittools/scoring.Completeness as a dict, must_unscored as criterion titles).
        """
        comparison = self.latest_decided(cid)
        if comparison is None:
            return None
        return decision_record(self.catalogue, comparison)
