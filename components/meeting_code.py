"""The meeting-code box: type the code of an IT-tools meeting and go to it. On the welcome page (members with a code
need no account) and on the meeting pages (/m, a code not found)."""

from __future__ import annotations

from nicegui import app, ui

from core.ittools.codes import LENGTH

from . import typography as tx
from .context import PageContext
from .forms import ErrorLine


def browser_key() -> str:
    """The browser session, for counting wrong codes (read while the page is built)."""
    return str(app.storage.browser.get('id', ''))


def join_box(ctx: PageContext, *, heading: bool = True) -> None:
    """A small form: type a meeting code, go to the meeting. Used here and on the welcome page."""
    t = ctx.t
    ittools = ctx.services.ittools
    session = browser_key()
    if heading:
        tx.h2(t('meeting.join.box_title'))
    with ui.row().classes('items-start gap-2'):
        code = (
            ui.input(t('meeting.join.code'), placeholder='ABC 123')
            .props(f'outlined maxlength={LENGTH + 4} autocapitalize=characters autocomplete=off spellcheck=false')
            .classes('w-48')
            .mark('join-code')
        )
        error = ErrorLine().mark('join-error')

        def go() -> None:
            found = ctx.attempt_now(
                lambda: ittools.meetings.find_meeting(code.value, session, ctx.client_key),
                line=error,
                on_error=lambda _: code.run_method('focus'),
            )
            if found:
                ui.navigate.to(f'/m/{found.value.code}')

        code.on('keydown.enter', go)
        ui.button(t('meeting.join.go'), icon='login', on_click=go).mark('join-go')
