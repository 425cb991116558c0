"""The account holder's data rights, as a section of the account page: where to download one's data and delete the
account (the pages themselves are in pages/account.py)."""

from __future__ import annotations

from nicegui import ui

from . import typography as tx
from .context import PageContext


def data_rights_section(ctx: PageContext) -> None:
    """On the account page: where to download one's data and delete the account, and the privacy notice."""
    t = ctx.t
    tx.h2(t('privacy.account.title'))
    with ui.card().classes('w-full max-w-xl').props('flat bordered'):
        tx.p(t('privacy.download.intro'))
        ui.link(t('privacy.download.link'), '/account/data').mark('to-my-data')
        ui.link(t('privacy.delete.title'), '/account/delete').mark('to-delete-account')
