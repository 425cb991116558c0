"""Confirmation dialogs for actions that are costly to undo."""

from __future__ import annotations

from nicegui import ui

from core.i18n import Translator

from . import typography as tx
from .forms import ErrorLine


async def confirm(
    t: Translator, title: str, text: str, action: str, *, danger: bool = False, type_to_confirm: str | None = None
) -> bool:
    """Ask before doing something irreversible. With `type_to_confirm`, the user must type that text first."""
    with (
        ui.dialog().props('transition-show=fade transition-hide=fade') as dialog,
        ui.card().classes('max-w-lg') as card,
    ):
        heading = tx.h2(title)
        tx.p(text)
        for element in (dialog, card):
            element.props['aria-labelledby'] = heading.html_id
        card.props['role'] = 'alertdialog'
        typed = error = None
        if type_to_confirm is not None:
            typed = (
                ui.input(t('dialog.type_to_confirm', text=type_to_confirm))
                .classes('w-full')
                .props('autofocus outlined')
                .mark('confirm-input')
            )
            error = ErrorLine()

        def accept() -> None:
            if typed is not None and (typed.value or '').strip() != type_to_confirm.strip():
                error.show(t('dialog.type_mismatch', text=type_to_confirm))
                typed.run_method('focus')
                return
            dialog.submit(True)

        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('dialog.cancel'), on_click=lambda: dialog.submit(False)).props('flat').mark('confirm-cancel')
            ui.button(action, on_click=accept, color='negative' if danger else 'primary').mark('confirm-ok')
        if typed is not None:
            typed.on('keydown.enter', accept)
    result = await dialog  # None when the dialog went with its page
    if not dialog.is_deleted:
        dialog.delete()  # focus goes back to the trigger: components/focus.js does that for every dialog
    return bool(result)
