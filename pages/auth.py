"""Log in and the account page (name, language, password); the sign-up is in pages/signup.py.

The sign-up and the forgotten password are in pages/signup.py. Every login (password, password change, a reset
link, SSO) ends in the plain HTTP route
/auth/finish: the page checks the credentials and gets a one-time ticket, the browser brings the ticket to the route,
and the route starts a new server-side session with a new cookie, dropping the session the browser had before.
"""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui

from components import typography as tx
from components.context import PageContext
from components.data_rights import data_rights_section
from components.forms import ErrorLine, new_password_field, text_field
from components.open_pages import page_of_session_ended
from components.sign_in import login_form, provider_name
from core.accounts import MAX_NAME
from core.i18n import LANGUAGES
from core.redirects import safe_next
from core.services import Services

from ._base import page


def register(services: Services) -> None:
    services.sessions.on_end(page_of_session_ended)

    @app.get('/auth/finish', include_in_schema=False)
    async def finish(request: Request, ticket: str = '') -> RedirectResponse:
        """Start a new session for the browser that brings a valid ticket: a new token and a new browser storage id,
        so nothing set in this browser before the login (a planted cookie) carries over into the session."""
        found = services.sessions.redeem(ticket, str(request.session.get('id', '')))
        user = services.accounts.get(found.user_id) if found else None
        if found is None or user is None:
            return RedirectResponse('/login?expired=1', status_code=303)
        request.session['sid'] = await services.sessions.start(user, replacing=request.session.get('sid'))
        await _new_browser_storage(request)
        return RedirectResponse(safe_next(found.target), status_code=303)

    @page(services, '/login')
    def login(ctx: PageContext, next: str = '/', ended: str = '', expired: str = ''):
        target = safe_next(next)
        if ctx.user is not None:
            return RedirectResponse(target, status_code=303)
        with ctx.frame(ctx.t('auth.login.title')):
            if ended or expired:
                text = ctx.t('auth.session_ended' if ended else 'auth.login_expired')
                tx.p(text).classes('font-medium').props('role=status').mark('session-ended')
            login_form(ctx, target)

    @page(services, '/account', login=True)
    def account(ctx: PageContext):
        AccountView(ctx, services)


class AccountView:
    """One's name and language, one's password, and (pages/account.py) one's data rights."""

    def __init__(self, ctx: PageContext, services: Services) -> None:
        self.ctx, self.t, self.accounts, self.user = ctx, ctx.t, services.accounts, ctx.user
        with ctx.frame(self.t('account.title'), active='account'):
            self._render_profile()
            self._render_password()
            data_rights_section(ctx)

    def _render_profile(self) -> None:
        t, user = self.t, self.user
        tx.h2(t('account.profile'))
        with ui.card().classes('w-full max-w-xl').props('flat bordered'):
            tx.p(t('account.email', email=user.email)).classes('cop-muted')
            self.name = text_field(t('auth.name'), value=user.name, maxlength=MAX_NAME, marker='account-name')
            self.language = (
                ui.select({lang: t(f'lang.{lang}') for lang in LANGUAGES}, value=user.lang, label=t('account.language'))
                .classes('w-full')
                .props('outlined')
                .mark('account-language')
            )
            ui.button(t('common.save'), on_click=self._on_save_profile).mark('account-save')

    async def _on_save_profile(self) -> None:
        async def save() -> None:
            await self.accounts.set_name(self.user.id, self.name.value)
            await self.accounts.set_language(self.user.id, self.language.value)

        if await self.ctx.attempt(save):
            self.ctx.session['lang'] = self.language.value
            self.ctx.go('/account', self.t('common.saved'))

    def _render_password(self) -> None:
        t = self.t
        if self.ctx.services.oidc.confirms_at_provider(self.user.id):  # no password to change: the provider's sign-in
            tx.p(t('oidc.account.linked', provider=provider_name(self.ctx))).classes('mt-4').mark('account-sso')
            return
        tx.h2(t('account.password'))
        with ui.card().classes('w-full max-w-xl').props('flat bordered'):
            self.passwords = {
                'current': text_field(
                    t('account.current_password'),
                    kind='password',
                    autocomplete='current-password',
                    marker='pw-current',
                ),
                'new': new_password_field(t, t('account.new_password'), 'pw-new'),
            }
            self.error = ErrorLine()
            ui.button(t('account.change_password'), on_click=self._on_change_password).mark('pw-change')

    async def _on_change_password(self) -> None:
        fields = self.passwords
        changed = await self.ctx.attempt(
            self.accounts.change_password(self.user.id, fields['current'].value, fields['new'].value),
            fields=fields,
            line=self.error,
            echo=False,  # the message once: under its field when it has one
        )
        if updated := changed.value:
            self.ctx.session['notice'] = self.t('account.password_changed')
            self.ctx.finish_login(updated, '/account')


CARRIED = ('lang', 'notice')  # what the browser storage of before the login passes on to the new one


async def _new_browser_storage(request: Request) -> None:
    """Give the browser a new NiceGUI storage id: the storage of before the login (which a planted cookie would share)
    is emptied, and only the language and a pending notice carry over."""
    old = app.storage.user
    carried = {key: old[key] for key in CARRIED if key in old}
    old.clear()
    new_id = str(uuid.uuid4())
    request.session['id'] = new_id
    await app.storage._create_user_storage(new_id)  # what NiceGUI does on the next request
    app.storage.user.update(carried)
