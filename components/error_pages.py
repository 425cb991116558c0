"""What a screen shows instead of itself when it cannot be shown: not found, no access, a damaged community file.

Any page (and any shared page piece) may show one of these; the error routes themselves are in pages/errors.py.
No stack trace is shown."""

from __future__ import annotations

from nicegui import html, ui

from core.roles import Role
from core.store import BackupInfo

from . import typography as tx
from .context import PageContext
from .dialogs import confirm


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
                _backup_item(ctx, cid, backup)


def _backup_item(ctx: PageContext, cid: str, backup: BackupInfo) -> None:
    t = ctx.t

    async def restore() -> None:
        if not await confirm(t, t('damaged.confirm_title'), t('damaged.confirm_text'), t('damaged.restore')):
            return
        if await ctx.attempt(ctx.services.communities.restore(ctx.user.id, cid, backup.name)):
            ctx.go(f'/c/{cid}', t('damaged.restored'))

    with html.li().classes('flex flex-wrap items-center gap-3'):
        size = t.number(backup.size / 1024, 1)
        tx.span(t('damaged.backup_item', date=t.date(backup.taken), number=backup.sequence, size=size))
        ui.button(t('damaged.restore'), on_click=restore).props('outline').mark('restore-backup')
