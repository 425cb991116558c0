"""An undo line for a page that removes things: what was just removed, and a button to bring it back.

    undo = UndoBar(t)                                    # where the line goes; hidden until something is offered
    undo.offer(t('plan.deleted', title=a.title), lambda: plan.restore(me, cid, a))

One undo at a time: a new offer replaces the previous one. The button is pressed once: the line hides before the
undo runs. `undo` is awaited; if it returns a string, that is shown as a positive notification (for example where
the item came back); if it raises an AppError, its message is shown as an error notification.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from core.i18n import Translator

from . import typography as tx
from .actions import attempt

Undo = Callable[[], Awaitable[Any]]


class UndoBar:
    """Markers: 'undo-bar' (the line), 'undo' (its button). The message is a polite live region."""

    def __init__(self, t: Translator, *, label: str | None = None) -> None:
        """`label`: the button's text (default: "Undo", 'common.undo')."""
        self.t = t
        self.action: Undo | None = None
        with ui.row().classes('w-full items-center gap-3 rounded bg-grey-2 px-3 py-1').mark('undo-bar') as self.row:
            self.text = tx.span('').props('role=status')
            self.button = (
                ui.button(label or t('common.undo'), icon='undo', on_click=self._undo)
                .props('flat dense no-caps')
                .mark('undo')
            )
        self.row.set_visibility(False)

    def offer(self, message: str, undo: Undo) -> None:
        """Show `message` with the button; pressing it awaits `undo()`."""
        self.action = undo
        self.text.set_text(message)
        self.row.set_visibility(True)
        # the removed thing took the focused button with it: focus goes to the undo button, not to the page top
        with self.row:  # not the slot of the handler: the removed element may have taken it with it
            self.button.client.run_javascript(
                'setTimeout(() => { const a = document.activeElement;'
                f' if (!a || a === document.body) {{ const b = document.getElementById("c{self.button.id}");'
                ' if (b) b.focus(); } }, 80)'
            )

    def dismiss(self) -> None:
        """Take the offer back (what it would undo no longer applies)."""
        self.action = None
        self.row.set_visibility(False)

    async def _undo(self) -> None:
        action = self.action
        self.dismiss()
        if action is None:
            return
        done = await attempt(self.t, action)
        message = done.value
        if done and isinstance(message, str) and message:
            ui.notify(message, type='positive')
