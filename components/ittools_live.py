"""One page's live connection to a comparison: the matrix element, the edits it sends, the changes it receives.

Everything about the viewer (who they are, their language, what they may do) is captured when the page is built;
the room calls `_on_change` for every change, from whichever person's action caused it, and this page then patches
only what changed on its own screen.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from nicegui import ui

from core.errors import AppError, ValidationError
from core.i18n import Translator
from core.ittools import Actor, Change, ITTools, Rights
from core.ittools.view import (
    criteria_payload,
    editing_payload,
    entry_payload,
    hides_shared,
    matrix_state,
    totals_payload,
)

from .actions import Outcome, attempt, attempt_now
from .ittools_matrix import MatrixView, encode_step, matrix_texts
from .ittools_widgets import score_legend

log = logging.getLogger(__name__)
T = TypeVar('T')
MATRIX_CHANGES = frozenset({'score', 'note', 'criterion', 'editing'})  # the changes that only patch the matrix


class LiveMatrix:
    def __init__(
        self,
        service: ITTools,
        cid: str,
        comparison_id: str,
        actor: Actor,
        t: Translator,
        *,
        on_undo_available: Callable[[bool], None] | None = None,
    ) -> None:
        self.service, self.cid, self.comparison_id, self.actor, self.t = service, cid, comparison_id, actor, t
        # what the page does on a change beyond the matrix: meeting, presence, decision, deleted -> callable
        self.callbacks: dict[str, Callable[[], None]] = {}
        self.on_undo_available = on_undo_available
        self.room = service.room(cid, comparison_id)
        self.rights: Rights = service.meetings.rights(actor, cid, comparison_id)
        self.view = MatrixView(matrix_state(self.room, actor, self.rights, t), matrix_texts(t)).mark('matrix')
        self.my_edits: dict[tuple[str, str], tuple[int, Any]] = {}  # (field, key) -> (rev, value) of own last edits
        for name, handler in (
            ('score', self._on_score),
            ('note', self._on_note),
            ('weight', self._on_weight),
            ('must', self._on_must),
            ('focus', self._on_focus),
            ('blur', self._on_blur),
            ('restore', self._on_restore),
            ('dismiss', self._on_dismiss),
        ):
            self.view.on(name, handler)
        self.closed = False
        self.token = service.enter(actor, cid, comparison_id)
        self._unsubscribe = service.subscribe(cid, comparison_id, self._on_change)
        self._connections = 0
        self._missed = False  # a change came while the page had no connection: it is drawn afresh when it connects
        self.client = client = ui.context.client
        client.on_connect(self._on_connect)
        client.on_disconnect(lambda: service.set_connected(cid, comparison_id, self.token, False))
        client.on_delete(self.close)

    # -- lifecycle -------------------------------------------------------------------------------------------------

    def _on_connect(self) -> None:
        self._connections += 1
        back = self._connections > 1  # after a dropped connection
        if back:
            self.service.set_connected(self.cid, self.comparison_id, self.token, True)
        if back or self._missed:  # show the state as it is now
            self._missed = False
            self.resync()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._unsubscribe()
        self.service.leave(self.cid, self.comparison_id, self.token)

    def resync(self) -> None:
        room = attempt_now(self.t, lambda: self.service.room(self.cid, self.comparison_id), notify=False)
        rights = room and attempt_now(
            self.t, lambda: self.service.meetings.rights(self.actor, self.cid, self.comparison_id), notify=False
        )
        if not rights:  # gone meanwhile (deleted, no longer a member): the page hears it as its own change
            return
        self.room, self.rights = room.value, rights.value
        with self.view:
            self.view.reset(matrix_state(self.room, self.actor, self.rights, self.t))

    async def _attempt(self, action: Awaitable[T], refused: Callable[[AppError], None]) -> Outcome[T]:
        """Run an edit; a refusal goes back to the matrix (`refused`), which shows it at the cell it concerns."""
        return await attempt(self.t, action, notify=False, on_error=refused)

    # -- changes from the room ----------------------------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if self.closed or self.view.is_deleted:
            return
        kind = change.kind
        if kind in MATRIX_CHANGES and not self.client.has_socket_connection:
            # a page without its connection (a phone put away, a closed tab until NiceGUI lets it go) gets nothing
            # now and the whole state when it is back: a meeting does not pay for the pages that are not there
            self._missed = True
            return
        # a patch only queues a message for this page: no need to enter its slot (which costs, a hundred times over)
        if kind in ('score', 'note'):
            self._cell_changed(change)
        elif kind == 'criterion':
            self.view.patch(criteria=criteria_payload(self.room, self.t), **self._totals())
        elif kind == 'editing':
            if not hides_shared(self.room, self.rights):
                self.view.patch(editing=editing_payload(self.room, self.actor))
        else:
            with self.view:
                self._on_page_change(kind)

    def _on_page_change(self, kind: str) -> None:
        """A change that may draw more than the matrix (the meeting panel, the presence list, notices)."""
        if kind in ('structure', 'reset', 'meeting'):
            if kind == 'meeting':  # a warning about an edit of the phase before would now mislead
                self.my_edits.clear()
                self.view.state['conflicts'] = {}
            self.resync()
            if kind == 'meeting':
                self._call('meeting')
                self._call('presence')
        elif kind in ('presence', 'progress'):
            self._call('presence')
        elif kind == 'decision':
            self._call('decision')
        elif kind == 'deleted':
            self.closed = True
            self._call('deleted')

    def _call(self, name: str) -> None:
        callback = self.callbacks.get(name)
        if callback is not None:
            try:
                callback()
            except Exception:
                log.warning('IT-tools page callback %s failed', name, exc_info=True)

    def _totals(self) -> dict[str, Any]:
        hidden = hides_shared(self.room, self.rights) or not self.rights.totals
        return {} if hidden else {'totals': totals_payload(self.room, self.t)}

    def _cell_changed(self, change: Change) -> None:
        if hides_shared(self.room, self.rights):
            return  # during private scoring the shared cells are not shown
        field, key, entry = change.kind, change.key, change.entry
        name = 'scores' if field == 'score' else 'notes'
        payload = entry_payload(entry, self.actor)
        if field == 'note' and not entry.value:
            payload = None
        parts: dict[str, Any] = {name: {key: payload}}
        if field == 'score':
            parts.update(self._totals())
        mine = self.my_edits.get((field, key))
        conflict = mine is not None and entry.rev > mine[0] and entry.value != mine[1]
        if entry.by_id != self.actor.id and not conflict:
            # what every other page gets alike (in a language, with or without totals): encoded once for them all
            shape = ('step', field, key, entry.rev, self.t.lang, 'totals' in parts)
            self.view.patch_encoded(parts, self.room.cached(shape, lambda: encode_step('patch', parts)))
            return
        if entry.by_id != self.actor.id and mine is not None:
            # someone changed what this person had just set: tell them, and let them put theirs back
            shown = self._describe(field, mine[1])
            parts['conflicts'] = {
                key: {'field': field, 'value': mine[1], 'text': self.t('matrix.conflict', name=entry.by, mine=shown)}
            }
            del self.my_edits[(field, key)]
        else:
            # noted here, not at the acknowledgement: a later edit by someone else may be announced before that
            self.my_edits[(field, key)] = (entry.rev, entry.value)
            parts['conflicts'] = {key: None} if key in self.view.state['conflicts'] else {}
        self.view.patch(**parts)

    def _describe(self, field: str, value: Any) -> str:
        if field == 'note':
            text = str(value or '')
            return f'“{text[:40]}…”' if len(text) > 40 else f'“{text}”'
        return self.t('ittools.score.none') if value is None else f'{value} · {self.t(f"ittools.score.{value}")}'

    # -- edits from this page ------------------------------------------------------------------------------------------

    @staticmethod
    def _args(e: Any) -> dict[str, Any]:
        args = getattr(e, 'args', None)
        return args if isinstance(args, dict) else {}

    @staticmethod
    def _seq(args: dict[str, Any]) -> int | None:
        seq = args.get('seq')
        return seq if isinstance(seq, int) and not isinstance(seq, bool) else None

    def _refuse(self, seq: int | None, error: AppError, **restore: Any) -> None:
        with self.view:
            self.view.patch(ack={'seq': seq, 'ok': False, 'message': self.t(error.key, **error.params)}, **restore)

    def _ack(self, seq: int | None, **extra: Any) -> None:
        with self.view:
            self.view.patch(ack={'seq': seq, 'ok': True, **extra})
        self._undo_changed()

    def _undo_changed(self) -> None:
        if self.on_undo_available is not None:
            self.on_undo_available(self.service.can_undo(self.actor, self.cid, self.comparison_id))

    def _current_cell(self, name: str, key: Any) -> dict[str, Any]:
        """What the server holds for a cell, to put back on this screen after a refused edit."""
        if not isinstance(key, str) or key not in self.room.comparison.keys():
            return {}
        if name == 'scores' and self.rights.private:
            scores = self.service.meetings.private_scores(self.actor, self.cid, self.comparison_id)
            return {'private': {key: scores.get(key)}}
        cells = self.room.comparison.scores if name == 'scores' else self.room.comparison.notes
        return {name: {key: entry_payload(cells.get(key), self.actor)}}

    async def set_score(self, key: Any, value: Any, seq: int | None = None) -> None:
        done = await self._attempt(
            self.service.set_score(self.actor, self.cid, self.comparison_id, key, value),
            lambda error: self._refuse(seq, error, **self._current_cell('scores', key)),
        )
        if not done:
            return
        entry = done.value
        if entry.rev:
            self.my_edits[('score', key)] = (entry.rev, entry.value)
        else:  # a private score: only this screen shows it
            with self.view:
                self.view.patch(private={key: entry.value})
        self._ack(seq, key=key, rev=entry.rev)

    async def set_note(self, key: Any, text: Any, seq: int | None = None) -> None:
        done = await self._attempt(
            self.service.set_note(self.actor, self.cid, self.comparison_id, key, text),
            lambda error: self._refuse(seq, error, **self._current_cell('notes', key)),
        )
        if not done:
            return
        entry = done.value
        self.my_edits[('note', key)] = (entry.rev, entry.value)
        self._ack(seq, key=key, rev=entry.rev)

    async def _on_score(self, e: Any) -> None:
        args = self._args(e)
        await self.set_score(args.get('key'), args.get('value'), self._seq(args))

    async def _on_note(self, e: Any) -> None:
        args = self._args(e)
        await self.set_note(args.get('key'), args.get('text'), self._seq(args))

    async def set_weight(self, criterion: Any, *, weight: Any = None, must: Any = None, seq: int | None = None) -> None:
        if await self._attempt(
            self.service.set_weight(self.actor, self.cid, self.comparison_id, criterion, weight=weight, must=must),
            lambda error: self._refuse(seq, error, criteria=criteria_payload(self.room, self.t)),
        ):
            self._ack(seq)

    async def _on_weight(self, e: Any) -> None:
        args = self._args(e)
        weight = args.get('weight')
        await self.set_weight(args.get('criterion'), weight=weight if weight is not None else -1, seq=self._seq(args))

    async def _on_must(self, e: Any) -> None:
        args = self._args(e)
        must = args.get('must')
        await self.set_weight(args.get('criterion'), must=must if must is not None else 'missing', seq=self._seq(args))

    def _on_focus(self, e: Any) -> None:
        self._mark(self._args(e).get('key'))

    def _on_blur(self, _: Any) -> None:
        self._mark(None)

    def _mark(self, key: Any) -> None:
        try:
            self.service.set_editing(self.actor, self.cid, self.comparison_id, key)
        except (AppError, ValidationError):
            pass  # a mark is a courtesy: a bad one is simply not shown

    async def _on_restore(self, e: Any) -> None:
        args = self._args(e)
        key = args.get('key')
        conflict = self.view.state['conflicts'].get(key) if isinstance(key, str) else None
        if conflict is None:
            return
        with self.view:
            self.view.patch(conflicts={key: None})
        if conflict['field'] == 'score':
            await self.set_score(key, conflict['value'], self._seq(args))
        else:
            await self.set_note(key, conflict['value'], self._seq(args))

    def _on_dismiss(self, e: Any) -> None:
        key = self._args(e).get('key')
        if isinstance(key, str) and key in self.view.state['conflicts']:
            self.view.state['conflicts'].pop(key, None)

    async def undo(self) -> str | None:
        """Undo this person's last change; returns the error text if it cannot be undone."""
        done = await self._attempt(self.service.undo(self.actor, self.cid, self.comparison_id), lambda _: None)
        if not done:
            self._undo_changed()
            return self.t(done.error.key, **done.error.params)
        if self.rights.private:
            with self.view:
                self._sync_private()
        self._undo_changed()
        return None

    def _sync_private(self) -> None:
        current = self.service.meetings.private_scores(self.actor, self.cid, self.comparison_id)
        shown = self.view.state['private']
        self.view.patch(private={**{k: None for k in shown if k not in current}, **current})


def live_matrix(
    service: ITTools, cid: str, comparison_id: str, actor: Actor, t: Translator
) -> tuple[LiveMatrix, ui.button]:
    """The score legend, the undo button and the live matrix, as the coordinator's and the participant's pages show
    them. Returns the matrix and the undo button."""
    score_legend(t)
    undo_button = ui.button(t('ittools.undo'), icon='undo').props('outline').mark('undo')
    undo_button.disable()
    live = LiveMatrix(service, cid, comparison_id, actor, t, on_undo_available=undo_button.set_enabled)

    async def undo() -> None:
        problem = await live.undo()
        ui.notify(problem or t('ittools.undone'), type='warning' if problem else 'info', multi_line=True)

    undo_button.on_click(undo)
    return live, undo_button
