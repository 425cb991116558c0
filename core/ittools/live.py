"""The shared, in-process state of a comparison that people have open: one `Room` per comparison.

A room holds the authoritative model (loaded once from the community's file and written through on every change),
the running meeting, who is present, who is editing which cell, and each person's undo history. Pages subscribe a
listener; the service calls every listener after a change is on disk, through a `Channel` of core/changes.py (the one
mechanism of every live page). Listeners are plain callables: core knows nothing of the UI, and a listener that fails
never stops the others.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.changes import Channel
from core.store import Database

from .catalogue import Catalogue
from .model import Comparison, Entry, Meeting
from .scoring import CellStats, ToolResult, private_stats, results

log = logging.getLogger(__name__)

EDITING_TIMEOUT = 90.0  # seconds after which an "is editing" mark that was never cleared is dropped
UNDO_DEPTH = 30


@dataclass(frozen=True)
class Actor:
    """Whoever acts on a comparison: an account holder (their role is read afresh for every action), or a meeting
    participant."""

    id: str  # 'u:<user id>' or 'p:<participant id>'
    name: str
    meeting_id: str = ''  # participants only: the meeting they joined

    @property
    def participant(self) -> bool:
        return self.id.startswith('p:')


@dataclass(frozen=True)
class Change:
    """What changed, for the listeners. `kind`: score | note | criterion | structure | meeting | presence | editing |
    progress | decision | reset | deleted."""

    kind: str
    key: str = ''  # cell key (score, note) or criterion id
    entry: Entry | None = None
    actor_id: str = ''  # who made the change


@dataclass
class UndoStep:
    kind: str  # score | note | private | criterion
    key: str
    previous: Any
    rev: int  # the revision the change got (0 for private scores)


@dataclass
class Presence:
    actor_id: str
    name: str
    kind: str  # coordinator | participant | viewer
    connected: bool = True


@dataclass(frozen=True)
class PresenceRow:
    actor_id: str
    name: str
    kind: str
    connected: bool
    scored: int | None  # private scores given this round, during private scoring


Listener = Callable[[Change], None]


@dataclass
class Room:
    cid: str
    db: Database
    comparison: Comparison
    doc_id: int
    catalogue: Catalogue
    meeting: Meeting | None = None
    meeting_doc_id: int | None = None
    listeners: Channel[Change] = field(default_factory=lambda: Channel('an IT-tools room'))
    presence: dict[str, Presence] = field(default_factory=dict)  # page token -> presence
    editing: dict[str, tuple[str, str, float]] = field(default_factory=dict)  # key -> (actor id, name, since)
    undo: dict[str, deque[UndoStep]] = field(default_factory=dict)
    # figures and views of the current state, computed once and shared by every listener; emptied when the state
    # changes: at every revision of the comparison, and at every `touched()` (private scores, a change taken back)
    cache: dict[Any, Any] = field(default_factory=dict)
    _cache_version: tuple[int, int] = (-1, -1)
    _touches: int = 0
    # who is present, and what the pages show of it, kept per version of the presence (see `presence_key`): a
    # hundred pages hearing that someone joined share one sorted list and one text per language
    _presence_version: int = 0
    _presence_cache: dict[Any, Any] = field(default_factory=dict)
    _presence_cache_key: tuple[Any, ...] = ()

    @property
    def active_meeting(self) -> Meeting | None:
        return self.meeting if self.meeting is not None and self.meeting.active else None

    # -- derived figures, computed once per state and shared by every listener --------------------------------------

    def touched(self) -> None:
        """The state changed without a new revision of the comparison (a private score, a change taken back)."""
        self._touches += 1

    def cached(self, name: Any, build: Callable[[], Any]) -> Any:
        """`build()` once per state: thirty screens share one copy. The copies are never changed, only replaced."""
        version = (self.comparison.rev, self._touches)
        if self._cache_version != version:
            self.cache.clear()
            self._cache_version = version
        if name not in self.cache:
            self.cache[name] = build()
        return self.cache[name]

    def results(self) -> list[ToolResult]:
        return self.cached('results', lambda: results(self.comparison))

    def stats(self) -> dict[str, CellStats]:
        meeting = self.meeting
        if meeting is None:
            return {}
        return self.cached(
            ('stats', meeting.id, meeting.round), lambda: private_stats(meeting.private, self.comparison.keys())
        )

    def presence_key(self) -> tuple[Any, ...]:
        """Changes whenever the presence rows may change: someone came, left, lost or regained their connection or
        took another name; the meeting changed; a private score was given (the progress shown)."""
        meeting = self.active_meeting
        progress = self._touches if meeting is not None and meeting.mode == 'private' else 0
        return (self._presence_version, meeting.id if meeting else '', meeting.mode if meeting else '', progress)

    def presence_cached(self, name: Any, build: Callable[[], Any]) -> Any:
        """`build()` once per version of the presence: a join costs one list and one text per language, not one per
        page."""
        key = self.presence_key()
        if self._presence_cache_key != key:
            self._presence_cache.clear()
            self._presence_cache_key = key
        if name not in self._presence_cache:
            self._presence_cache[name] = build()
        return self._presence_cache[name]

    # -- listeners ---------------------------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        return self.listeners.subscribe(listener)

    def notify(self, change: Change) -> None:
        """Every listener hears the change (one broken page must not stop the meeting for everyone else)."""
        self.listeners.notify(change)

    # -- presence and editing marks ------------------------------------------------------------------------------------

    def enter(self, actor: Actor, kind: str) -> str:
        token = secrets.token_hex(6)
        self.presence[token] = Presence(actor.id, actor.name, kind)
        self._presence_version += 1
        return token

    def leave(self, token: str) -> bool:
        presence = self.presence.pop(token, None)
        if presence is None:
            return False
        self._presence_version += 1
        if not any(p.actor_id == presence.actor_id for p in self.presence.values()):
            self.clear_editing(presence.actor_id)
        return True

    def set_connected(self, token: str, connected: bool) -> bool:
        presence = self.presence.get(token)
        if presence is None or presence.connected == connected:
            return False
        presence.connected = connected
        self._presence_version += 1
        if not connected and not any(p.connected for p in self.presence.values() if p.actor_id == presence.actor_id):
            self.clear_editing(presence.actor_id)
        return True

    def rename(self, actor_id: str, name: str) -> None:
        for presence in self.presence.values():
            if presence.actor_id == actor_id:
                presence.name = name
        self._presence_version += 1

    def present(self) -> list[PresenceRow]:
        """Who has the comparison open, one row per person: coordinators first, then by name. One list per version
        of the presence, shared: read it, never change it."""
        return self.presence_cached('rows', self._present)

    def _present(self) -> list[PresenceRow]:
        rows: dict[str, PresenceRow] = {}
        meeting = self.active_meeting
        for p in self.presence.values():
            before = rows.get(p.actor_id)
            scored = len(meeting.private.get(p.actor_id, {})) if meeting and meeting.mode == 'private' else None
            rows[p.actor_id] = PresenceRow(
                p.actor_id, p.name, p.kind, p.connected or bool(before and before.connected), scored
            )
        order = {'coordinator': 0, 'participant': 1, 'viewer': 2}
        return sorted(rows.values(), key=lambda r: (order.get(r.kind, 3), r.name.casefold()))

    def set_editing(self, actor: Actor, key: str | None) -> bool:
        """Mark the cell `actor` is editing (one at a time); None clears. True if anything changed."""
        changed = self.clear_editing(actor.id, notify=False)
        if key is not None:
            holder = self.editing.get(key)
            if holder is None or holder[0] != actor.id:
                changed = True
            self.editing[key] = (actor.id, actor.name, time.monotonic())
        return changed

    def clear_editing(self, actor_id: str, notify: bool = True) -> bool:
        keys = [k for k, (a, _, _) in self.editing.items() if a == actor_id]
        for key in keys:
            del self.editing[key]
        if keys and notify:
            self.notify(Change('editing', actor_id=actor_id))
        return bool(keys)

    def editors(self) -> dict[str, tuple[str, str]]:
        """key -> (actor id, name) of the cells being edited now (stale marks dropped)."""
        limit = time.monotonic() - EDITING_TIMEOUT
        for key in [k for k, (_, _, since) in self.editing.items() if since < limit]:
            del self.editing[key]
        return {k: (a, n) for k, (a, n, _) in self.editing.items()}

    # -- undo --------------------------------------------------------------------------------------------------------

    def push_undo(self, actor_id: str, step: UndoStep) -> None:
        self.undo.setdefault(actor_id, deque(maxlen=UNDO_DEPTH)).append(step)

    def last_undo(self, actor_id: str) -> UndoStep | None:
        stack = self.undo.get(actor_id)
        return stack[-1] if stack else None

    def pop_undo(self, actor_id: str, step: UndoStep) -> None:
        stack = self.undo.get(actor_id)
        if stack and stack[-1] is step:
            stack.pop()

    @property
    def idle(self) -> bool:
        return not self.listeners and not self.presence
