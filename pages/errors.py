"""Friendly error pages: not found, no access, damaged community file, server error. No stack trace is shown."""

from __future__ import annotations

import logging
import secrets

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from nicegui import Client, app, html, ui
from starlette.exceptions import HTTPException as StarletteHTTPException

from components import typography as tx
from components.dialogs import confirm
from core.errors import AppError
from core.roles import Role
from core.services import Services

from ._base import PageContext, resolve

log = logging.getLogger(__name__)


def not_found_content(ctx: PageContext) -> None:
    ui.status_code(404)
    with ctx.frame(ctx.t('error.not_found.title')):
        tx.p(ctx.t('error.not_found.text'))
        ui.link(ctx.t('error.back_home'), '/').mark('back-home')


def forbidden_content(ctx: PageContext) -> None:
    ui.status_code(403)
    with ctx.frame(ctx.t('error.forbidden.title')):
        tx.p(ctx.t('error.forbidden.text'))
        if ctx.community:
            ui.link(ctx.t('error.back_community'), f'/c/{ctx.community.id}')


def damaged_content(ctx: PageContext, cid: str, reason: str) -> None:
    """The community's file cannot be read: say so, and let its coordinator restore a kept version."""
    services = ctx.services
    role = services.communities.role_of(ctx.user.id, cid)
    name = next((m.name for m in services.communities.memberships(ctx.user.id) if m.community_id == cid), '')
    with ctx.frame(ctx.t('damaged.title', name=name)):
        with ui.card().classes('w-full bg-red-50').props('flat bordered'):
            tx.p(ctx.t('damaged.text')).mark('damaged-notice')
            tx.p(ctx.t('damaged.reason', reason=reason)).classes('cop-muted text-sm')
        if role != Role.COORDINATOR:
            tx.p(ctx.t('damaged.ask_coordinator'))
            return
        backups = services.communities.backups(ctx.user.id, cid)
        if not backups:
            tx.p(ctx.t('damaged.no_backup'))
            return
        tx.h2(ctx.t('damaged.backups'))
        tx.p(ctx.t('damaged.backups_help'))
        with html.ul().classes('flex flex-col gap-2'):
            for backup in backups:
                with html.li().classes('flex flex-wrap items-center gap-3'):
                    tx.span(
                        ctx.t(
                            'damaged.backup_item',
                            date=ctx.t.date(backup.taken),
                            number=backup.sequence,
                            size=ctx.t.number(backup.size / 1024, 1),
                        )
                    )

                    async def restore(name: str = backup.name) -> None:
                        if not await confirm(
                            ctx.t,
                            ctx.t('damaged.confirm_title'),
                            ctx.t('damaged.confirm_text'),
                            ctx.t('damaged.restore'),
                        ):
                            return
                        try:
                            await services.communities.restore(ctx.user.id, cid, name)
                        except AppError as e:
                            ctx.notify_error(e)
                            return
                        ctx.go(f'/c/{cid}', ctx.t('damaged.restored'))

                    ui.button(ctx.t('damaged.restore'), on_click=restore).props('outline').mark('restore-backup')


def register(services: Services) -> None:
    async def not_found_handler(request: Request, exception: Exception):
        endpoint = request.scope.get('endpoint')
        if request.url.path.startswith('/_nicegui') or (
            endpoint is not None
            and endpoint is not app
            and not request.scope.get('nicegui_page_path')
            and isinstance(exception, StarletteHTTPException)
        ):
            return await http_exception_handler(request, exception)  # files and API calls get a plain 404
        with Client(ui.page(''), request=request) as client:
            not_found_content(resolve(request, services))
        return client.build_response(request, 404)

    app.add_exception_handler(404, not_found_handler)

    def server_error(exception: Exception) -> None:
        reference = secrets.token_hex(4)
        log.error('page error %s: %s', reference, type(exception).__name__)
        ctx = resolve(ui.context.client.request, services)
        ctx.user = None  # keep the error page itself from touching what may have failed
        with ctx.frame(ctx.t('error.server.title')):
            tx.p(ctx.t('error.server.text'))
            tx.p(ctx.t('error.server.reference', reference=reference)).classes('cop-muted text-sm')
            ui.link(ctx.t('error.back_home'), '/')

    app.on_page_exception(server_error)
