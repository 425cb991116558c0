"""The privacy notice at /privacy, open to everyone, and the processing register (GDPR Art. 30) for the DPO.

Both are rendered from the data inventory (content/privacy.yaml) through core; this page only lays it out."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from nicegui import app, html, ui

from components import typography as tx
from components.context import PageContext
from core.i18n import negotiate
from core.inventory import FIELDS, GENERAL
from core.privacy import Privacy
from core.services import Services

from ._base import page


def register(services: Services) -> None:
    privacy = services.privacy

    @page(services, '/privacy')
    def notice(ctx: PageContext):
        _notice(ctx, services.privacy)

    @app.get('/privacy/register.{kind}', include_in_schema=False)
    def processing_register(request: Request, kind: str) -> Response:
        if kind not in ('csv', 'html'):
            return Response(status_code=404)
        lang = negotiate(request.query_params.get('lang'), None, request.headers.get('accept-language'))
        payload, name, media_type = privacy.register(lang, kind)
        disposition = 'attachment' if kind == 'csv' else 'inline'
        headers = {'Content-Disposition': f'{disposition}; filename="{name}"'}
        return Response(payload, media_type=media_type, headers=headers)


def _notice(ctx: PageContext, privacy: Privacy) -> None:
    """The privacy notice: who is responsible, what is kept and for how long, one's rights, the register."""
    t = ctx.t
    with ctx.frame(t('notice.title')):
        tx.p(t('notice.intro'))
        _operator(ctx, privacy)
        tx.h2(t('notice.kinds'))
        for row in privacy.inventory.rows(ctx.lang, privacy.limits):
            with ui.card().classes('w-full').props('flat bordered').mark('notice-kind'):
                tx.h3(row['title'])
                with html.dl().classes('grid gap-1'):
                    for f in FIELDS:
                        tx.dt(t(f'notice.{f}')).classes('font-semibold')
                        tx.dd(row[f]).classes('ml-4')
        tx.h2(t('notice.survey_title'))
        tx.p(t('notice.survey_text'))
        tx.h2(t('notice.rights'))
        tx.p(t('notice.rights_text'))
        if ctx.user is not None:
            ui.link(t('privacy.download.title'), '/account/data')
            ui.link(t('privacy.delete.title'), '/account/delete')
        tx.h2(t('notice.register'))
        tx.p(t('notice.register_help'))
        with ui.row().classes('gap-4'):
            ui.link(t('notice.register_html'), f'/privacy/register.html?lang={ctx.lang}', new_tab=True).mark(
                'register-html'
            )
            ui.link(t('notice.register_csv'), f'/privacy/register.csv?lang={ctx.lang}').mark('register-csv')


def _operator(ctx: PageContext, privacy: Privacy) -> None:
    t, inventory, operator = ctx.t, privacy.inventory, privacy.operator
    with html.dl().classes('grid gap-1').mark('notice-operator'):
        for key, value in (('controller', operator.controller), ('contact', operator.contact)):
            tx.dt(t(f'notice.{key}')).classes('font-semibold')
            tx.dd(value or t('notice.not_configured')).classes('ml-4 mb-2')
        for key in GENERAL:
            tx.dt(t(f'notice.{key}')).classes('font-semibold')
            tx.dd(inventory.text(inventory.general[key], ctx.lang, privacy.limits)).classes('ml-4 mb-2')
