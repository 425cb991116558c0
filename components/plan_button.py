"""'Add to the action plan' for an idea shown by a tool; once sent it gives way to a plain 'in the action plan'."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from core.i18n import Translator

from . import typography as tx
from .frame import aria


def send_to_plan(t: Translator, idea: str, already: bool, send: Callable[[], Awaitable[bool]]) -> None:
    """`send` stores the suggestion and tells whether it worked."""
    with ui.element('span') as container:
        if already:
            tx.span(t('actions.sent')).classes('text-sm font-medium text-positive').mark('action-sent')
            return
        button = aria(
            ui.button(t('actions.send'), icon='playlist_add').props('outline dense'),
            t('actions.send_named', action=idea),
        ).mark('send-action')

    async def clicked() -> None:
        if not await send():
            return
        container.clear()
        with container:
            tx.span(t('actions.sent')).classes('text-sm font-medium text-positive').props('role=status').mark(
                'action-sent'
            )

    button.on_click(clicked)
