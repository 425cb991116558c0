"""The account holder's data rights: download my data (JSON and a readable page) and delete my account.

The account page itself (name, language, password) is in pages/auth.py; it shows components/data_rights.py at its end.
"""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.forms import ErrorLine, text_field
from components.sign_in import ProviderConfirmation
from core import privacy as privacy_core
from core.services import Services

from ._base import page


def register(services: Services) -> None:
    @page(services, '/account/data', login=True)
    def my_data(ctx: PageContext, id: str | None = None):
        _my_data(ctx, services, id)

    @page(services, '/account/delete', login=True)
    def delete_account(ctx: PageContext):
        _delete_account(ctx, services)


def _my_data(ctx: PageContext, services: Services, requested: str | None) -> None:
    """One's data as a file (JSON, or a readable page); a link for someone else's data is refused here."""
    t, privacy = ctx.t, services.privacy
    with ctx.frame(t('privacy.download.title'), active='account'):
        allowed = ctx.attempt_now(lambda: privacy.my_data(ctx.user.id, requested_id=requested), notify=False)
        if not allowed:
            tx.p(ctx.error_text(allowed.error)).classes('text-negative font-medium').props('role=alert').mark(
                'data-refused'
            )
            ui.link(t('privacy.download.title'), '/account/data')
            return
        tx.p(t('privacy.download.intro'))

        def download(kind: str) -> None:
            data = privacy.my_data(ctx.user.id)  # read afresh at the click: what is stored now
            if kind == 'json':
                ui.download.content(privacy_core.to_json(data), 'my-data.json', 'application/json')
            else:
                ui.download.content(privacy_core.to_html(data, t), 'my-data.html', 'text/html; charset=utf-8')

        with ui.row().classes('gap-3'):
            ui.button(t('privacy.download.action_json'), icon='download', on_click=lambda: download('json')).mark(
                'download-json'
            )
            html_button = ui.button(
                t('privacy.download.action_html'), icon='description', on_click=lambda: download('html')
            )
            html_button.props('outline').mark('download-html')
        tx.h2(t('privacy.download.anonymous_title'))
        tx.p(t('privacy.download.anonymous')).mark('anonymous-note')


def _delete_account(ctx: PageContext, services: Services) -> None:
    """Deleting one's account, with the password; not while one is the only coordinator of a community."""
    t = ctx.t
    with ctx.frame(t('privacy.delete.title'), active='account'):
        tx.p(t('privacy.delete.intro'))
        tx.p(t('privacy.delete.backups')).classes('text-sm cop-muted')
        blockers = services.communities.sole_coordinator_of(ctx.user.id)
        if blockers:
            tx.p(t('privacy.delete.blocked_intro')).classes('font-medium').mark('delete-blocked')
            with html.ul().classes('list-disc pl-6'):
                for m in blockers:
                    with html.li():
                        ui.link(m.name or '…', f'/c/{m.community_id}/members').mark('blocked-community')
            return
        if services.oidc.confirms_at_provider(ctx.user.id):  # no password to confirm with (pages/oidc.py)
            _delete_after_provider(ctx, services)
            return
        with ui.card().classes('w-full max-w-xl').props('flat bordered'):
            password = text_field(
                t('privacy.delete.password'),
                kind='password',
                autocomplete='current-password',
                marker='delete-password',
            )
            error = ErrorLine().mark('delete-error')

            async def submit() -> None:
                # a callable: reading ctx.client_key may itself be refused (a browser first seen during a flood)
                deleted = await ctx.attempt(
                    lambda: services.privacy.delete_account(ctx.user.id, password.value or '', ctx.client_key),
                    line=error,
                    on_error=lambda _: password.set_value(''),
                )
                if deleted:
                    await ctx.log_out('/', t('privacy.delete.done'))

            ui.button(t('privacy.delete.action'), icon='delete_forever', on_click=submit).props('color=negative').mark(
                'delete-submit'
            )


def _delete_after_provider(ctx: PageContext, services: Services) -> None:
    """An account without a password (or with passwords off) confirms at the organisation's provider instead."""

    async def erase() -> None:
        deleted = await ctx.attempt(
            lambda: services.privacy.delete_account(ctx.user.id, '', '', confirmed_at_provider=True)
        )
        if deleted:
            await ctx.log_out('/', ctx.t('privacy.delete.done'))

    with ui.card().classes('w-full max-w-xl').props('flat bordered'):
        ProviderConfirmation(ctx, ctx.t('privacy.delete.action'), erase)
