"""Sign-in with the organisation's account (OpenID Connect): the two HTTP routes, the link page, the login button.

`/auth/oidc/login` sends the browser to the provider; what it must keep (state, nonce, PKCE verifier, where to go
after) travels in its signed session cookie. `/auth/oidc/callback` hands the provider's answer to core/oidc.py and
ends like every other login: a one-time ticket redeemed by `/auth/finish` (pages/auth.py), which starts a new
session. A refusal goes back to the login page with a reason the page shows in the visitor's language.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, background_tasks, html, ui

from components import typography as tx
from components.context import PageContext
from components.forms import ErrorLine, text_field
from components.sign_in import provider_name
from core.errors import AppError
from core.i18n import LANGUAGES, negotiate
from core.oidc import Identity, Pending, SignInRefused
from core.redirects import safe_next
from core.services import Services

from ._base import page

T = TypeVar('T')
PENDING = 'oidc'  # the session-cookie key of a sign-in under way
CALLBACK = '/auth/oidc/callback'


def register(services: Services) -> None:
    routes = SignInRoutes(services)
    if services.oidc.enabled:  # the issuer is asked once at start, in the background: the app never waits for it
        app.on_startup(lambda: background_tasks.create(services.oidc.provider.warm_up(), name='oidc metadata'))
    app.get('/auth/oidc/login', include_in_schema=False)(routes.start)
    app.get(CALLBACK, include_in_schema=False)(routes.callback)

    @page(services, '/auth/oidc/linked/{token}')
    def linked(ctx: PageContext, token: str):
        with ctx.frame(ctx.t('oidc.linked.title')):
            MailedLinkView(ctx, token)

    @page(services, '/auth/oidc/link')
    def link(ctx: PageContext, key: str = ''):
        if ctx.user is not None:
            return RedirectResponse('/', status_code=303)
        with ctx.frame(ctx.t('oidc.link.title')):
            LinkView(ctx, key)


class MailedLinkView:
    """/auth/oidc/linked/<link>: one button links the organisation sign-in and logs in (a button, not the visit:
    mail scanners open links)."""

    def __init__(self, ctx: PageContext, token: str) -> None:
        self.ctx, self.t, self.token = ctx, ctx.t, token
        self.box = ui.column().classes('w-full max-w-md')
        found = ctx.attempt_now(
            lambda: ctx.services.oidc.mailed_link_target(token), on_error=self._render_problem, notify=False
        )
        if not found:
            return
        with self.box:
            tx.p(self.t('oidc.linked.intro', provider=provider_name(ctx), email=found.value.email))
            ui.button(self.t('oidc.link.action'), icon='link', on_click=self._on_link).mark('oidc-linked-submit')

    def _render_problem(self, error: AppError) -> None:
        self.box.clear()
        with self.box:
            tx.p(self.ctx.error_text(error)).props('role=alert').mark('link-problem')
            ui.link(self.t('oidc.back_to_login'), '/login')

    async def _on_link(self) -> None:
        done = await self.ctx.attempt(
            lambda: _named(self.ctx, self.ctx.services.oidc.link_by_mail(self.token)),
            on_error=self._render_problem,
            notify=False,
        )
        if done:
            user, target = done.value
            self.ctx.finish_login(user, target)


class SignInRoutes:
    """The two plain HTTP routes: to the provider, and back from it."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.sign_in = services.oidc

    async def start(self, request: Request, next: str = '/', confirm: str = '') -> RedirectResponse:
        """To the provider: to log in, or (`confirm`) for the logged-in owner to prove who they are again."""
        target = safe_next(next)
        user = self.services.sessions.user_for(request.session.get('sid')) if confirm else None
        if confirm and user is None:
            return RedirectResponse(f'/login?{urlencode({"next": target})}', status_code=303)
        if not self.sign_in.enabled:
            return _refused('off', target, bool(confirm))
        try:
            url, pending = await self.sign_in.provider.begin(
                _redirect_uri(request, self.services), target, user.id if user else ''
            )
        except SignInRefused as refused:
            return _refused(refused.reason, target, bool(confirm))
        request.session[PENDING] = pending.to_dict()
        return RedirectResponse(url, status_code=303)

    async def callback(self, request: Request) -> RedirectResponse:
        """Back from the provider: a new session (through /auth/finish), a link to confirm, or the reason why not."""
        pending = Pending.from_dict(request.session.pop(PENDING, None))  # used once, whatever happens next
        target = pending.target if pending else '/'
        confirm = pending.confirm if pending else ''
        if not self.sign_in.enabled:
            return _refused('off', target, bool(confirm))
        try:
            identity = await self.sign_in.provider.complete(
                pending, dict(request.query_params), _redirect_uri(request, self.services)
            )
            if confirm:
                return _confirmed(request, self.services, confirm, identity, target)
            return await self._logged_in(request, identity, target)
        except SignInRefused as refused:
            return _refused(refused.reason, target, bool(confirm))

    async def _logged_in(self, request: Request, identity: Identity, target: str) -> RedirectResponse:
        browser = str(request.session.get('id', ''))
        outcome = await self.sign_in.resolve(identity, _language(request), target, browser)
        if outcome.link:
            return RedirectResponse(f'/auth/oidc/link?{urlencode({"key": outcome.link})}', status_code=303)
        ticket = self.services.sessions.ticket(outcome.user, target, browser)
        return RedirectResponse(f'/auth/finish?{urlencode({"ticket": ticket})}', status_code=303)


class LinkView:
    """Confirm, with the existing account's password, that the organisation account may be linked to it."""

    def __init__(self, ctx: PageContext, key: str) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.sign_in = ctx.services.oidc
        self.key = key if isinstance(key, str) else ''
        self.pending = self.sign_in.pending_link(self.key, ctx.browser)
        user = ctx.services.accounts.get(self.pending.user_id) if self.pending else None
        if self.pending is None or user is None:
            self._render_expired()
            return
        self._render_form(user.email)

    def _render_expired(self) -> None:
        text = self.t('oidc.error.expired', provider=provider_name(self.ctx))
        tx.p(text).classes('font-medium').props('role=status').mark('oidc-link-expired')
        ui.link(self.t('oidc.back_to_login'), '/login').mark('oidc-back')

    def _render_form(self, email: str) -> None:
        t = self.t
        provider = provider_name(self.ctx)
        tx.p(t('oidc.link.intro', email=email, provider=provider)).mark('oidc-link-intro')
        with ui.card().classes('w-full max-w-md').props('flat bordered'):
            self.password = text_field(
                t('auth.password'), kind='password', autocomplete='current-password', marker='oidc-link-password'
            )
            self.error = ErrorLine().mark('oidc-link-error')
            self.password.on('keydown.enter', self._on_confirm)
            self.button = (
                ui.button(t('oidc.link.action'), on_click=self._on_confirm).classes('w-full').mark('oidc-link-submit')
            )
        self.email = email
        self.by_mail = ui.column().classes('w-full max-w-md gap-2 mt-2')
        with self.by_mail:
            tx.p(t('oidc.link.no_mail', email=email)).classes('text-sm')
            ui.button(t('oidc.link.by_mail'), icon='mail', on_click=self._on_mail).props('outline no-caps').mark(
                'oidc-link-mail'
            )
        with html.p().classes('mt-2'):
            ui.link(t('oidc.link.cancel'), '/login').on('click', self._on_cancel).mark('oidc-link-cancel')

    async def _on_mail(self) -> None:
        base = self.ctx.services.settings.public_url or str(self.ctx.request.base_url).rstrip('/')
        if await self.ctx.attempt(lambda: _named(self.ctx, self.sign_in.mail_link(self.key, self.ctx.browser, base))):
            self.by_mail.clear()
            with self.by_mail:
                tx.p(self.t('oidc.link.mailed', email=self.email)).classes('font-medium').props('role=status').mark(
                    'oidc-link-mailed'
                )

    async def _on_confirm(self) -> None:
        self.button.props('loading')  # a held attempt (after failures on the account) can take a few seconds
        try:
            done = await self.ctx.attempt(
                lambda: _named(
                    self.ctx,
                    self.sign_in.confirm_link(self.key, self.ctx.browser, self.password.value, self.ctx.client_key),
                ),
                line=self.error,
                on_error=lambda _: self.password.set_value(''),
            )
        finally:
            self.button.props(remove='loading')
        if done:
            user, target = done.value
            self.ctx.finish_login(user, target)

    def _on_cancel(self) -> None:
        self.sign_in.cancel_link(self.key, self.ctx.browser)


async def _named(ctx: PageContext, pending: Awaitable[T]) -> T:
    """A refusal of the organisation's sign-in, with the provider's name its message needs."""
    try:
        return await pending
    except SignInRefused as refused:
        raise AppError(refused.key, provider=provider_name(ctx)) from None


def _refused(reason: str, target: str, confirming: bool = False) -> RedirectResponse:
    """Back to the login page (or, for a confirmation, to the page that asked for it) with the reason."""
    if confirming:
        return RedirectResponse(f'{target.split("?", maxsplit=1)[0]}?{urlencode({"sso": reason})}', status_code=303)
    return RedirectResponse(f'/login?{urlencode({"sso": reason, "next": target})}', status_code=303)


def _confirmed(request: Request, services: Services, user_id: str, identity: Identity, target: str) -> RedirectResponse:
    """The logged-in owner signed in again at the provider: remembered for a few minutes, back to the page."""
    user = services.sessions.user_for(request.session.get('sid'))
    if user is None or user.id != user_id:  # logged out (or in as someone else) in the meantime
        raise SignInRefused('expired')
    services.oidc.confirmed(user_id, identity)
    return RedirectResponse(target, status_code=303)


def _redirect_uri(request: Request, services: Services) -> str:
    """The address the provider sends the browser back to: under the public URL when one is set, else under the
    address the request came in on (the same at the start and at the callback)."""
    public = services.settings.public_url.rstrip('/')
    base = public or str(request.base_url).rstrip('/')
    return base + CALLBACK


def _language(request: Request) -> str:
    chosen = app.storage.user.get('lang')
    return negotiate(chosen if chosen in LANGUAGES else None, None, request.headers.get('accept-language'))
