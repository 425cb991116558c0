"""The IT-tools matrix element: one element for the whole matrix (components/ittools_matrix.js renders it).

The element keeps a copy of what its browser shows (`state`), applies every patch to that copy as the browser does,
and sends the patch to the browser's `apply` (components/browser_queue.py: the patches not sent yet travel together).
So the page's memory stays small (one element, not one per cell; the parts of the state built once per language in
the room are shared by every page), a change reaches the browser as a few hundred bytes, and tests can read what each
simulated person sees.
"""

from __future__ import annotations

import json
import sys
from collections import deque
from pathlib import Path
from typing import Any

from nicegui import core, ui
from nicegui.json import dumps

from core.i18n import Translator
from core.ittools.catalogue import MAX_WEIGHT, MIN_WEIGHT
from core.ittools.model import LIMITS

from .browser_queue import Outgoing

CSS = (Path(__file__).with_name('ittools_matrix.css')).read_text(encoding='utf-8')
REPLACED = ('criteria', 'totals', 'stats', 'editing', 'rights', 'tools')


def install_css() -> None:
    """Once per process start, with the pages."""
    ui.add_css(CSS, shared=True)


def matrix_texts(t: Translator) -> dict[str, Any]:
    keys = (
        'caption',
        'criterion',
        'weight',
        'must',
        'must_short',
        'look_for',
        'weight_label',
        'total',
        'rank',
        'excluded',
        'hidden_until_reveal',
        'tool',
        'ranking',
        'fails',
        'unscored',
        'unscored_option',
        'score_label',
        'private_label',
        'agreed_label',
        'editing',
        'total_inline',
        'disagreement',
        'saving',
        'saved',
        'restore_mine',
        'keep_theirs',
        'edit_note',
        'add_note',
        'note_label',
        'save_note',
        'cancel',
    )
    texts: dict[str, Any] = {key: t(f'matrix.{key}') for key in keys}
    texts['scores'] = [t(f'ittools.score.{score}') for score in range(4)]
    # not texts, but fixed like them: the limits the server enforces, so the browser offers no more
    texts['note_max'] = LIMITS['note']
    texts['weights'] = list(range(MIN_WEIGHT, MAX_WEIGHT + 1))
    return texts


def _copy_state(state: dict[str, Any]) -> dict[str, Any]:
    """What a view may change in place gets its own dict; the rest (tools, criteria, totals, stats: built once per
    state and language in the room and shared by every page) is shared, never changed, only replaced."""
    copied = dict(state)
    for name in ('scores', 'notes', 'private'):
        copied[name] = dict(state.get(name) or {})
    copied['conflicts'] = dict(state.get('conflicts') or {})
    return copied


def encode_step(method: str, payload: dict[str, Any]) -> str:
    """One step for the browser's `apply`: `patch` or `reset` and its payload, as JSON."""
    return f'["{method}",{dumps(payload)}]'


class MatrixView(ui.element, component='ittools_matrix.js'):
    def __init__(self, state: dict[str, Any], texts: dict[str, Any]) -> None:
        super().__init__()
        self.state = _copy_state(state)
        self.acks: deque[dict[str, Any]] = deque(maxlen=32)  # the last answers to this browser's edits
        self._outgoing: Outgoing | None = None  # the message to the browser not yet sent, which later patches join
        # JSON strings, not dicts: NiceGUI would wrap nested dicts in observable copies, and these never change
        self._props['initial'] = json.dumps(self.state, ensure_ascii=False, separators=(',', ':'))
        # the texts are the same for every page in a language: one copy (interned) for a hundred pages
        self._props['texts'] = sys.intern(json.dumps(texts, ensure_ascii=False, separators=(',', ':')))

    def reset(self, state: dict[str, Any]) -> None:
        conflicts = self.state.get('conflicts', {})
        self.state = _copy_state(state)
        self.state['conflicts'] = {
            k: v for k, v in conflicts.items() if k.split(':')[0] in {t['id'] for t in state['tools']}
        }
        self._send(encode_step('reset', self.state))

    def patch(self, **parts: Any) -> None:
        """Apply `parts` (scores, notes, private, criteria, totals, stats, editing, rights, tools, conflicts, ack)
        here and in the browser. A score or note with a lower revision than the one shown is ignored, as there."""
        self._apply(parts)
        self._send(encode_step('patch', parts))

    def patch_encoded(self, parts: dict[str, Any], step: str) -> None:
        """`patch(**parts)` with the step already encoded (`encode_step('patch', parts)`): what many pages get alike
        is encoded once for all of them."""
        self._apply(parts)
        self._send(step)

    def _apply(self, parts: dict[str, Any]) -> None:
        state = self.state
        for name in ('scores', 'notes'):
            for key, entry in (parts.get(name) or {}).items():
                old = state[name].get(key)
                if entry is None:
                    state[name].pop(key, None)
                elif old is None or entry['rev'] >= old.get('rev', 0):
                    state[name][key] = entry
        for key, value in (parts.get('private') or {}).items():
            if value is None:
                state['private'].pop(key, None)
            else:
                state['private'][key] = value
        for name in REPLACED:
            if name in parts:
                state[name] = parts[name]
        for key, conflict in (parts.get('conflicts') or {}).items():
            if conflict is None:
                state['conflicts'].pop(key, None)
            else:
                state['conflicts'][key] = conflict
        if 'ack' in parts:
            self.acks.append(parts['ack'])

    def _send(self, step: str) -> None:
        """To the browser's `apply` (ittools_matrix.js): the patches not yet sent travel in one message."""
        if not core.is_loop_running() or not self._is_safe_to_interact():
            return
        client = self.client
        if client.is_deleted:
            return
        if self._outgoing is not None and self._outgoing.join(step):
            return
        self._outgoing = Outgoing.send(client, self.id, 'apply', step)

    # -- what the browser shows, for tests and checks --------------------------------------------------------------

    def shown_score(self, key: str) -> int | None:
        if self.state['rights'].get('private'):
            return self.state['private'].get(key)
        entry = self.state['scores'].get(key)
        return None if entry is None else entry['v']

    def shown_note(self, key: str) -> str:
        entry = self.state['notes'].get(key)
        return '' if entry is None else entry['v']
