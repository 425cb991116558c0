"""Sign-up with a confirmed address, and the forgotten password: the screens of core/registration.py.

- /signup: the form; the answer is always "check your mailbox" (the page says nothing about the address).
- /signup/confirm/<link>: a button confirms the address (a button, not the visit: mail scanners open links).
- /reset: "Forgot your password?"; the answer is always "check your mailbox".
- /reset/<link>: the new password; it ends every other session, then the login finishes in /auth/finish.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.forms import ErrorLine, clear_field_errors, new_password_field, show_field_error, text_field
from components.sign_in import mail_base, sso_block, unconfirmed_notice
from core.accounts import MAX_EMAIL, MAX_NAME
from core.errors import AppError
from core.redirects import safe_next
from core.services import Services

from ._base import page


def _mailbox(ctx: PageContext, container: ui.element, key: str, email: str) -> None:
    """Replace a form by the one answer it ever gives."""
    container.clear()
    with container:
        tx.h2(ctx.t('auth.mailbox.title'))
        tx.p(ctx.t(key, email=email)).props('role=status').mark('mailbox-notice')


class SignUpView:
    """/signup: name, address, password; then "check your mailbox"."""

    def __init__(self, ctx: PageContext, target: str) -> None:
        self.ctx, self.t, self.target = ctx, ctx.t, target
        t = self.t
        tx.p(t('auth.signup.intro'))
        sso_block(ctx, target)  # the organisation's sign-in makes the account at the first login (pages/oidc.py)
        self.box = ui.column().classes('w-full max-w-md')
        with self.box, ui.card().classes('w-full').props('flat bordered'):
            self.fields = {
                'name': text_field(t('auth.name'), maxlength=MAX_NAME, autocomplete='name', marker='signup-name'),
                'email': text_field(
                    t('auth.email'), kind='email', maxlength=MAX_EMAIL, autocomplete='email', marker='signup-email'
                ),
                'password': new_password_field(t, t('auth.password'), 'signup-password'),
            }
            self.error = ErrorLine().mark('signup-error')
            self.fields['password'].on('keydown.enter', self._on_submit)
            ui.button(t('auth.signup.action'), on_click=self._on_submit).classes('w-full').mark('signup-submit')
        with html.p().classes('mt-2'):
            tx.span(t('auth.signup.have_account') + ' ')
            ui.link(t('auth.login.action'), f'/login?next={quote(target, safe="")}')

    async def _on_submit(self) -> None:
        self.error.clear_text()
        clear_field_errors(self.fields)
        values = {name: field.value for name, field in self.fields.items()}
        signed_up = await self.ctx.attempt(
            lambda: self.ctx.services.registration.sign_up(
                values['name'],
                values['email'],
                values['password'],
                self.ctx.lang,
                self.ctx.client_key,  # read inside: it may itself be refused (a newcomer during a flood)
                mail_base(self.ctx),
                self.target,
            ),
            fields=self.fields,
            line=self.error,
            echo=False,  # the message once: under its field when it has one
        )
        if not signed_up:
            return
        _mailbox(self.ctx, self.box, 'auth.mailbox.signup', str(values['email']).strip())


class ConfirmView:
    """/signup/confirm/<link>: one button confirms the address."""

    def __init__(self, ctx: PageContext, token: str) -> None:
        self.ctx, self.t, self.token = ctx, ctx.t, token
        self.box = ui.column().classes('w-full max-w-md')
        if not ctx.attempt_now(
            lambda: ctx.services.links.check('confirm', token), on_error=self._render_problem, notify=False
        ):
            return
        with self.box:
            ui.button(self.t('mail.confirm.action'), icon='verified', on_click=self._on_confirm).mark('confirm-submit')

    def _render_problem(self, error: AppError) -> None:
        self.box.clear()
        with self.box:
            tx.p(self.ctx.error_text(error)).props('role=alert').mark('link-problem')
            if self.ctx.user is not None and not self.ctx.user.confirmed:
                unconfirmed_notice(self.ctx)
            elif self.ctx.user is None:
                ui.link(self.t('auth.login.action'), '/login')

    async def _on_confirm(self) -> None:
        confirmed = await self.ctx.attempt(
            self.ctx.services.registration.confirm(self.token), on_error=self._render_problem, notify=False
        )
        if not confirmed:
            return
        done = confirmed.value
        if self.ctx.user is not None and self.ctx.user.id == done.user.id:
            self.ctx.go(done.next, self.t('auth.confirm.done'))
            return
        self.box.clear()
        with self.box:
            tx.p(self.t('auth.confirm.done')).props('role=status').mark('confirm-done')
            ui.link(self.t('auth.confirm.continue'), f'/login?next={quote(done.next, safe="")}').mark('confirm-login')


class ForgotView:
    """/reset: the address; then "check your mailbox"."""

    def __init__(self, ctx: PageContext) -> None:
        self.ctx, self.t = ctx, ctx.t
        tx.p(self.t('auth.forgot.intro'))
        self.box = ui.column().classes('w-full max-w-md')
        with self.box, ui.card().classes('w-full').props('flat bordered'):
            self.email = text_field(
                self.t('auth.email'), kind='email', maxlength=MAX_EMAIL, autocomplete='email', marker='forgot-email'
            )
            self.error = ErrorLine().mark('forgot-error')
            self.email.on('keydown.enter', self._on_submit)
            ui.button(self.t('auth.forgot.action'), on_click=self._on_submit).classes('w-full').mark('forgot-submit')

    async def _on_submit(self) -> None:
        requested = await self.ctx.attempt(
            lambda: self.ctx.services.registration.request_reset(
                self.email.value, self.ctx.client_key, mail_base(self.ctx)
            ),
            line=self.error,
        )
        if not requested:
            return
        _mailbox(self.ctx, self.box, 'auth.mailbox.reset', str(self.email.value).strip())


class ResetView:
    """/reset/<link>: the new password, then logged in through /auth/finish."""

    def __init__(self, ctx: PageContext, token: str) -> None:
        self.ctx, self.t, self.token = ctx, ctx.t, token
        self.box = ui.column().classes('w-full max-w-md')
        target = ctx.attempt_now(
            lambda: ctx.services.registration.reset_target(token), on_error=self._render_problem, notify=False
        )
        if not target:
            return
        user = target.value
        with self.box, ui.card().classes('w-full').props('flat bordered'):
            tx.p(self.t('auth.reset.intro', email=user.email))
            self.fields = {'new': new_password_field(self.t, self.t('account.new_password'), 'reset-password')}
            self.error = ErrorLine().mark('reset-error')
            self.fields['new'].on('keydown.enter', self._on_submit)
            ui.button(self.t('auth.reset.action'), on_click=self._on_submit).classes('w-full').mark('reset-submit')

    def _render_problem(self, error: AppError) -> None:
        self.box.clear()
        with self.box:
            tx.p(self.ctx.error_text(error)).props('role=alert').mark('link-problem')
            ui.link(self.t('auth.reset.again'), '/reset').mark('reset-again')

    def _on_refused(self, error: AppError) -> None:
        """A link that no longer works replaces the form; a refused password goes under its field, once."""
        if error.key.startswith('link.'):
            self._render_problem(error)
        elif not show_field_error(self.fields, error.field, self.ctx.error_text(error)):
            self.error.show(self.ctx.error_text(error))

    async def _on_submit(self) -> None:
        self.error.clear_text()
        clear_field_errors(self.fields)
        reset = await self.ctx.attempt(
            self.ctx.services.registration.reset(self.token, self.fields['new'].value),
            notify=False,
            on_error=self._on_refused,
        )
        if not reset:
            return
        user = reset.value
        self.ctx.session['notice'] = self.t('auth.reset.done')
        self.ctx.finish_login(user, '/')


def register(services: Services) -> None:
    @page(services, '/signup')
    def signup(ctx: PageContext, next: str = '/'):
        target = safe_next(next)
        if ctx.user is not None or not services.accounts.password_login:  # no sign-up with --no-local-login
            return RedirectResponse(target if ctx.user else '/login', status_code=303)
        with ctx.frame(ctx.t('auth.signup.title')):
            SignUpView(ctx, target if target != '/' else '/c/new')

    @page(services, '/signup/confirm/{token}')
    def confirm(ctx: PageContext, token: str):
        with ctx.frame(ctx.t('auth.confirm.title')):
            ConfirmView(ctx, token)

    @page(services, '/reset')
    def forgot(ctx: PageContext):
        if not services.accounts.password_login:  # --no-local-login: no passwords to reset
            return RedirectResponse('/login', status_code=303)
        with ctx.frame(ctx.t('auth.forgot.title')):
            ForgotView(ctx)

    @page(services, '/reset/{token}')
    def reset(ctx: PageContext, token: str):
        with ctx.frame(ctx.t('auth.reset.title')):
            ResetView(ctx, token)
