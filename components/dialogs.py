"""Confirmation dialogs for actions that are costly to undo."""
from __future__ import annotations

from nicegui import html, ui

from core.i18n import Translator


async def confirm(t: Translator, title: str, text: str, action: str, *, danger: bool = False,
                  type_to_confirm: str | None = None) -> bool:
    """Ask before doing something irreversible. With `type_to_confirm`, the user must type that text first."""
    with ui.dialog().props('persistent') as dialog, ui.card().classes('max-w-lg').props('role=alertdialog'):
        html.h2(title).classes('cop-h2')
        html.p(text)
        typed = None
        if type_to_confirm is not None:
            typed = ui.input(t('dialog.type_to_confirm', text=type_to_confirm)).classes('w-full') \
                .props('autofocus').mark('confirm-input')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('dialog.cancel'), on_click=lambda: dialog.submit(False)).props('flat').mark('confirm-cancel')
            ok = ui.button(action, on_click=lambda: dialog.submit(True),
                           color='negative' if danger else 'primary').mark('confirm-ok')
        if typed is not None:
            ok.bind_enabled_from(typed, 'value', backward=lambda v: (v or '').strip() == type_to_confirm.strip())
    result = await dialog
    dialog.delete()
    return bool(result)
