"""A checklist of the kick-off (preparation before, follow-up after): tick items, add and remove them in place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import html, ui

from core.i18n import Translator
from core.kickoff import LIMITS, CheckItem

from . import typography as tx
from .forms import ErrorLine
from .frame import aria


class ChecklistEditor:
    """`on_toggle(name, item_id, done) -> bool` (False: not saved, the tick is set back), `on_add(name, text) ->
    CheckItem | None` (None: refused, message shown by the caller through `show_error`), `on_remove(name, item_id)`."""

    def __init__(
        self,
        t: Translator,
        name: str,
        items: tuple[CheckItem, ...],
        *,
        on_toggle: Callable[[str, str, bool], Awaitable[bool]],
        on_add: Callable[[str, str], Awaitable[CheckItem | None]],
        on_remove: Callable[[str, str], Awaitable[None]],
    ) -> None:
        self.t = t
        self.name = name
        self.on_toggle, self.on_remove = on_toggle, on_remove
        self.rows: dict[str, tuple[ui.element, ui.checkbox]] = {}
        self.reverting: set[str] = set()  # items whose box is being set back: that change is not the user's
        with ui.column().classes('w-full gap-1').mark(f'checklist-{name}'):
            self.progress = tx.p('').classes('text-sm cop-muted').mark(f'check-progress-{name}')
            self.list = html.ul().classes('w-full flex flex-col gap-0')
            for item in items:
                self.insert_row(item)
            with ui.row().classes('w-full items-start gap-2 no-wrap'):
                self.new = (
                    ui.input(t('kickoff.check.new'))
                    .classes('grow')
                    .props(f'outlined dense maxlength={LIMITS["check"]}')
                    .mark(f'check-new-{name}')
                )

                async def add() -> None:
                    self.error.clear_text()
                    item = await on_add(name, self.new.value or '')
                    if item is not None:
                        self.insert_row(item)
                        self.new.set_value('')

                self.new.on('keydown.enter', add)
                ui.button(t('kickoff.check.add'), icon='add', on_click=add).props('outline dense no-caps').mark(
                    f'check-add-{name}'
                )
            self.error = ErrorLine()
        self._update_progress()

    def insert_row(self, item: CheckItem, index: int | None = None) -> None:
        with self.list:
            with (
                html.li().classes('w-full').mark('check-item') as row,
                ui.row().classes('w-full items-start gap-1 no-wrap'),
            ):
                box = (
                    ui.checkbox(item.text, value=item.done)
                    .classes('grow min-w-0 break-words')
                    .mark('check-box', f'check-box-{item.id}')
                )
                box.on_value_change(lambda e, i=item.id: None if i in self.reverting else self._toggled(i, e.value))
                aria(
                    ui.button(icon='close', on_click=lambda i=item.id: self.on_remove(self.name, i)).props(
                        'flat round dense'
                    ),
                    self.t('kickoff.check.remove', text=_short(item.text)),
                ).mark('check-remove', f'check-remove-{item.id}')
        if index is not None:
            row.move(target_index=index)
        self.rows[item.id] = (row, box)
        self._update_progress()

    def remove_row(self, item_id: str) -> None:
        row, _ = self.rows.pop(item_id, (None, None))
        if row is not None:
            row.delete()
        self._update_progress()

    def show_error(self, message: str) -> None:
        self.error.show(message)

    async def _toggled(self, item_id: str, done: bool) -> None:
        if not await self.on_toggle(self.name, item_id, done):
            self._set_back(item_id, not done)
        self._update_progress()

    def _set_back(self, item_id: str, done: bool) -> None:
        """Show the stored state again, without calling on_toggle for it (the change handler runs synchronously
        inside set_value and sees the item in `reverting`)."""
        _, box = self.rows.get(item_id, (None, None))
        if box is None:
            return
        self.reverting.add(item_id)
        try:
            box.set_value(done)
        finally:
            self.reverting.discard(item_id)

    def _update_progress(self) -> None:
        done = sum(1 for _, box in self.rows.values() if box.value)
        self.progress.set_text(self.t('kickoff.check.progress', done=done, total=len(self.rows)))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + '…'
