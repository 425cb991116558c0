"""Log in, sign up, and the account page (name, language, password)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import html, ui

from components import typography as tx
from components.forms import ErrorLine, clear_field_errors, show_field_error, text_field
from core.accounts import MAX_NAME, MIN_PASSWORD
from core.errors import AppError, AuthError
from core.i18n import LANGUAGES
from core.services import Services

from ._base import PageContext, page, safe_next
from .account import data_rights_section


def register(services: Services) -> None:
    accounts = services.accounts

    @page(services, '/login')
    def login(ctx: PageContext, next: str = '/'):
        target = safe_next(next)
        if ctx.user is not None:
            return RedirectResponse(target, status_code=303)
        with ctx.frame(ctx.t('auth.login.title')):
            login_form(ctx, target)

    @page(services, '/signup')
    def signup(ctx: PageContext, next: str = '/'):
        target = safe_next(next)
        if ctx.user is not None:
            return RedirectResponse(target, status_code=303)
        t = ctx.t
        with ctx.frame(t('auth.signup.title')):
            tx.p(t('auth.signup.intro'))
            with ui.card().classes('w-full max-w-md').props('flat bordered'):
                fields = {
                    'name': text_field(t('auth.name'), maxlength=MAX_NAME, autocomplete='name', marker='signup-name'),
                    'email': text_field(t('auth.email'), kind='email', autocomplete='email', marker='signup-email'),
                    'password': text_field(
                        t('auth.password'),
                        kind='password',
                        autocomplete='new-password',
                        hint=t('auth.password_hint', min=MIN_PASSWORD),
                        marker='signup-password',
                    ),
                }
                error = ErrorLine().mark('signup-error')

                async def submit() -> None:
                    error.clear_text()
                    clear_field_errors(fields)
                    try:
                        user = await accounts.sign_up(
                            fields['name'].value, fields['email'].value, fields['password'].value, ctx.lang
                        )
                    except AppError as e:
                        show_field_error(fields, e.field, ctx.error_text(e))
                        error.show(ctx.error_text(e))
                        return
                    ctx.log_in(user)
                    ctx.session['lang'] = user.lang
                    ui.navigate.to(target if target != '/' else '/c/new')

                fields['password'].on('keydown.enter', submit)
                ui.button(t('auth.signup.action'), on_click=submit).classes('w-full').mark('signup-submit')
            with html.p().classes('mt-2'):
                tx.span(t('auth.signup.have_account') + ' ')
                ui.link(t('auth.login.action'), f'/login?next={_quote(target)}')

    @page(services, '/account', login=True)
    def account(ctx: PageContext):
        t = ctx.t
        user = ctx.user
        with ctx.frame(t('account.title'), active='account'):
            tx.h2(t('account.profile'))
            with ui.card().classes('w-full max-w-xl').props('flat bordered'):
                tx.p(t('account.email', email=user.email)).classes('cop-muted')
                name = text_field(t('auth.name'), value=user.name, maxlength=MAX_NAME, marker='account-name')
                language = (
                    ui.select(
                        {lang: t(f'lang.{lang}') for lang in LANGUAGES}, value=user.lang, label=t('account.language')
                    )
                    .classes('w-full')
                    .props('outlined')
                    .mark('account-language')
                )

                async def save_profile() -> None:
                    try:
                        await accounts.set_name(user.id, name.value)
                        await accounts.set_language(user.id, language.value)
                    except AppError as e:
                        ctx.notify_error(e)
                        return
                    ctx.session['lang'] = language.value
                    ctx.go('/account', t('common.saved'))

                ui.button(t('common.save'), on_click=save_profile).mark('account-save')

            tx.h2(t('account.password'))
            with ui.card().classes('w-full max-w-xl').props('flat bordered'):
                fields = {
                    'current': text_field(
                        t('account.current_password'),
                        kind='password',
                        autocomplete='current-password',
                        marker='pw-current',
                    ),
                    'new': text_field(
                        t('account.new_password'),
                        kind='password',
                        autocomplete='new-password',
                        hint=t('auth.password_hint', min=MIN_PASSWORD),
                        marker='pw-new',
                    ),
                }
                error = ErrorLine()

                async def change() -> None:
                    error.clear_text()
                    clear_field_errors(fields)
                    try:
                        updated = await accounts.change_password(user.id, fields['current'].value, fields['new'].value)
                    except AppError as e:
                        show_field_error(fields, e.field, ctx.error_text(e))
                        error.show(ctx.error_text(e))
                        return
                    ctx.log_in(updated)  # this session continues; other sessions of the account end
                    for f in fields.values():
                        f.value = ''
                    ui.notify(t('account.password_changed'), type='positive')

                ui.button(t('account.change_password'), on_click=change).mark('pw-change')

            data_rights_section(ctx)


def login_form(ctx: PageContext, target: str) -> None:
    """E-mail and password, with the link to sign up; used by the login page and the welcome page."""
    t = ctx.t
    accounts = ctx.services.accounts
    with ui.card().classes('w-full max-w-md').props('flat bordered'):
        email = text_field(t('auth.email'), kind='email', autocomplete='username', marker='login-email')
        password = text_field(
            t('auth.password'), kind='password', autocomplete='current-password', marker='login-password'
        )
        error = ErrorLine().mark('login-error')

        async def submit() -> None:
            error.clear_text()
            try:
                user = await accounts.authenticate(email.value, password.value, ctx.client_key)
            except AuthError as e:
                error.show(ctx.error_text(e))
                password.value = ''
                return
            ctx.log_in(user)
            await _adopt_language(ctx, user.id)
            ui.navigate.to(target)

        password.on('keydown.enter', submit)
        ui.button(t('auth.login.action'), on_click=submit).classes('w-full').mark('login-submit')
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
