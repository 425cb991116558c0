"""Sign-in with the organisation's account (OpenID Connect): the two HTTP routes, the link page, the login button.

`/auth/oidc/login` sends the browser to the provider; what it must keep (state, nonce, PKCE verifier, where to go
after) travels in its signed session cookie. `/auth/oidc/callback` hands the provider's answer to core/oidc.py and
ends like every other login: a one-time ticket redeemed by `/auth/finish` (pages/auth.py), which starts a new
session. A refusal goes back to the login page with a reason the page shows in the visitor's language.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, html, ui

from components import typography as tx
from components.forms import ErrorLine, text_field
from core.errors import AppError
from core.i18n import LANGUAGES, negotiate
from core.oidc import REASONS, Pending, SignInRefused
from core.redirects import safe_next
from core.services import Services

from ._base import PageContext, page

PENDING = 'oidc'  # the session-cookie key of a sign-in under way
CALLBACK = '/auth/oidc/callback'


def register(services: Services) -> None:
    sign_in = services.oidc

    @app.get('/auth/oidc/login', include_in_schema=False)
    async def start(request: Request, next: str = '/') -> RedirectResponse:
        target = safe_next(next)
        if not sign_in.enabled:
            return _refused('off', target)
        try:
            url, pending = await sign_in.provider.begin(_redirect_uri(request, services), target)
        except SignInRefused as refused:
            return _refused(refused.reason, target)
        request.session[PENDING] = pending.to_dict()
        return RedirectResponse(url, status_code=303)

    @app.get(CALLBACK, include_in_schema=False)
    async def callback(request: Request) -> RedirectResponse:
        pending = Pending.from_dict(request.session.pop(PENDING, None))  # used once, whatever happens next
        target = pending.target if pending else '/'
        browser = str(request.session.get('id', ''))
        if not sign_in.enabled:
            return _refused('off', target)
        try:
            identity = await sign_in.provider.complete(
                pending, dict(request.query_params), _redirect_uri(request, services)
            )
            outcome = await sign_in.resolve(identity, _language(request), target, browser)
        except SignInRefused as refused:
            return _refused(refused.reason, target)
        if outcome.link:
            return RedirectResponse(f'/auth/oidc/link?{urlencode({"key": outcome.link})}', status_code=303)
        ticket = services.sessions.ticket(outcome.user, target, browser)
        return RedirectResponse(f'/auth/finish?{urlencode({"ticket": ticket})}', status_code=303)

    @page(services, '/auth/oidc/link')
    def link(ctx: PageContext, key: str = ''):
        if ctx.user is not None:
            return RedirectResponse('/', status_code=303)
        with ctx.frame(ctx.t('oidc.link.title')):
            LinkView(ctx, key)


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
        tx.p(self.t('oidc.error.expired')).classes('font-medium').props('role=status').mark('oidc-link-expired')
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
        tx.p(t('oidc.link.no_mail')).classes('cop-muted text-sm')
        with html.p().classes('mt-2'):
            ui.link(t('oidc.link.cancel'), '/login').on('click', self._on_cancel).mark('oidc-link-cancel')

    async def _on_confirm(self) -> None:
        self.error.clear_text()
        self.button.props('loading')
        try:
            user, target = await self.sign_in.confirm_link(
                self.key, self.ctx.browser, self.password.value, self.ctx.client_key
            )
        except AppError as error:
            self.error.show(self.ctx.error_text(error))
            self.password.value = ''
            return
        finally:
            self.button.props(remove='loading')
        self.ctx.finish_login(user, target)

    def _on_cancel(self) -> None:
        self.sign_in.cancel_link(self.key, self.ctx.browser)


def sso_block(ctx: PageContext, target: str) -> None:
    """On the login page: why the last sign-in failed (if it did) and the button to the organisation's sign-in."""
    reason = ctx.request.query_params.get('sso', '')
    if reason in REASONS:
        ErrorLine().mark('sso-error').show(ctx.t(f'oidc.error.{reason}', provider=provider_name(ctx)))
    if not ctx.services.oidc.enabled:
        return
    url = f'/auth/oidc/login?next={quote(target, safe="")}'
    ui.button(ctx.t('oidc.button', provider=provider_name(ctx)), icon='badge').classes('w-full max-w-md').props(
        f'href="{url}" unelevated no-caps'  # a plain link (an <a>): it works before the page's socket is up
    ).mark('sso-button')
    if ctx.services.accounts.password_login:
        tx.p(ctx.t('oidc.or')).classes('cop-muted text-sm mt-2')


def provider_name(ctx: PageContext) -> str:
    return ctx.services.oidc.config.name or ctx.t('oidc.default_name')


def _refused(reason: str, target: str) -> RedirectResponse:
    return RedirectResponse(f'/login?{urlencode({"sso": reason, "next": target})}', status_code=303)


def _redirect_uri(request: Request, services: Services) -> str:
    """The address the provider sends the browser back to: under the public URL when one is set, else under the
    address the request came in on (the same at the start and at the callback)."""
    public = services.settings.public_url.rstrip('/')
    base = public or str(request.base_url).rstrip('/')
    return base + CALLBACK


def _language(request: Request) -> str:
    chosen = app.storage.user.get('lang')
    return negotiate(chosen if chosen in LANGUAGES else None, None, request.headers.get('accept-language'))
