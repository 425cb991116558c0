"""Signing in, shared by several pages: the password form, the organisation's sign-in button (OpenID Connect), a
confirmation at the provider instead of a password, the notice for an address not confirmed yet, and the base of
links in mails. The routes themselves are in pages/auth.py, pages/signup.py and pages/oidc.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlencode

from nicegui import html, ui

from core.i18n import LANGUAGES
from core.oidc import REASONS

from . import typography as tx
from .context import PageContext
from .forms import ErrorLine, text_field


def mail_base(ctx: PageContext) -> str:
    """The base of links in mails: --public-url, or the address this request came in on."""
    return ctx.services.settings.public_url or str(ctx.request.base_url).rstrip('/')


def unconfirmed_notice(ctx: PageContext) -> bool:
    """For an account whose address is not confirmed yet: why it cannot create or join a community, and a button
    that sends the link again. Returns whether the notice was shown."""
    user = ctx.user
    if user is None or user.confirmed:
        return False
    t = ctx.t
    with ui.card().classes('w-full').props('flat bordered').mark('unconfirmed-notice'):
        tx.p(t('auth.error.unconfirmed')).classes('font-medium')
        status = tx.p('').props('role=status')

        async def resend() -> None:
            sent = await ctx.attempt(
                ctx.services.registration.resend_confirmation(user.id, mail_base(ctx)),
                notify=False,
                on_error=lambda e: status.set_text(ctx.error_text(e)),
            )
            if sent:
                status.set_text(t('auth.unconfirmed.resent', email=user.email))

        ui.button(t('auth.unconfirmed.resend'), icon='mail', on_click=resend).props('outline').mark('resend-confirm')
    return True


def login_form(ctx: PageContext, target: str) -> None:
    """E-mail and password, with the link to sign up; used by the login page and the welcome page."""
    t = ctx.t
    accounts = ctx.services.accounts
    sso_block(ctx, target)  # the organisation's sign-in (pages/oidc.py), when configured
    if not accounts.password_login:  # --no-local-login: no password form at all (core refuses passwords too)
        return
    with ui.card().classes('w-full max-w-md').props('flat bordered'):
        email = text_field(t('auth.email'), kind='email', autocomplete='username', marker='login-email')
        password = text_field(
            t('auth.password'), kind='password', autocomplete='current-password', marker='login-password'
        )
        error = ErrorLine().mark('login-error')

        async def submit() -> None:
            button.props('loading')  # a held attempt (after failures on the account) can take a few seconds
            try:
                authenticated = await ctx.attempt(
                    lambda: accounts.authenticate(email.value, password.value, ctx.client_key),
                    line=error,
                    on_error=lambda _: password.set_value(''),
                )
            finally:
                button.props(remove='loading')
            if user := authenticated.value:
                await _adopt_language(ctx, user.id)
                ctx.finish_login(user, target)

        password.on('keydown.enter', submit)
        button = ui.button(t('auth.login.action'), on_click=submit).classes('w-full').mark('login-submit')
    with html.p().classes('mt-2'):
        ui.link(t('auth.forgot.link'), '/reset').mark('to-forgot')
    with html.p().classes('mt-2'):
        tx.span(t('auth.login.no_account') + ' ')
        ui.link(t('auth.signup.action'), f'/signup?next={_quote(target)}').mark('to-signup')


async def _adopt_language(ctx: PageContext, user_id: str) -> None:
    """A language chosen before logging in becomes the account's; otherwise the account's applies."""
    accounts = ctx.services.accounts
    chosen = ctx.session.get('lang')
    user = accounts.get(user_id)
    if user is None:
        return
    if chosen in LANGUAGES and user.lang != chosen:
        await accounts.set_language(user_id, chosen)
    else:
        ctx.session['lang'] = user.lang


def _quote(path: str) -> str:
    return quote(path, safe='')


class ProviderConfirmation:
    """Instead of a password, for an account without one (or with passwords off): the owner signs in again at the
    provider, comes back here, and may then do the one thing asked (`on_confirmed`, e.g. erase the account)."""

    def __init__(self, ctx: PageContext, action: str, on_confirmed: Callable[[], Awaitable[None]]) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.on_confirmed = on_confirmed
        sso_error(ctx)
        provider = provider_name(ctx)
        if not ctx.services.oidc.has_confirmation(ctx.user.id):
            tx.p(self.t('oidc.confirm.intro', provider=provider)).mark('oidc-confirm-intro')
            url = f'/auth/oidc/login?{urlencode({"confirm": "1", "next": ctx.path})}'
            ui.button(self.t('oidc.confirm.action', provider=provider), icon='badge').props(
                f'href="{url}" unelevated no-caps'
            ).mark('oidc-confirm')
            return
        tx.p(self.t('oidc.confirm.done', provider=provider)).mark('oidc-confirmed')
        self.error = ErrorLine().mark('oidc-confirm-error')
        ui.button(action, icon='delete_forever', on_click=self._on_go).props('color=negative').mark('delete-submit')

    async def _on_go(self) -> None:
        if not self.ctx.services.oidc.take_confirmation(self.ctx.user.id):
            self.error.show(self.t('oidc.error.expired', provider=provider_name(self.ctx)))
            return
        await self.on_confirmed()


def sso_error(ctx: PageContext) -> None:
    """Why the last sign-in or confirmation at the provider failed, from the page's `sso` parameter."""
    reason = ctx.request.query_params.get('sso', '')
    if reason in REASONS:
        ErrorLine().mark('sso-error').show(ctx.t(f'oidc.error.{reason}', provider=provider_name(ctx)))


def sso_block(ctx: PageContext, target: str) -> None:
    """On the login page: why the last sign-in failed (if it did) and the button to the organisation's sign-in."""
    sso_error(ctx)
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
