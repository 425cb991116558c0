"""Inviting the participants of a kick-off by mail (core/kickoff_invite.py): their addresses, the mail's language,
and the counts of the mails sent; each mail carries the agenda and a calendar invitation (.ics)."""

from __future__ import annotations

from nicegui import ui

from components import typography as tx
from components.context import PageContext
from components.forms import ErrorLine
from core.i18n import LANGUAGES
from core.services import Services


class KickoffInviteView:
    def __init__(self, ctx: PageContext, services: Services, sid: str) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.invites = services.kickoff_invitations
        self.cid, self.me, self.sid = ctx.community.id, ctx.user.id, sid
        t = self.t
        with ui.card().classes('w-full gap-2 cop-noprint').props('flat bordered').mark('kickoff-invite'):
            tx.h2(t('kickoff.invite.title'))
            tx.p(t('kickoff.invite.help')).classes('text-sm')
            self.addresses = (
                ui.textarea(t('kickoff.invite.addresses'))
                .props('outlined autogrow')
                .classes('w-full max-w-2xl')
                .mark('kickoff-invite-addresses')
            )
            with ui.row().classes('items-end gap-3'):
                languages = {lang: t(f'lang.{lang}') for lang in LANGUAGES}
                self.lang = (
                    ui.select(languages, value=ctx.lang, label=t('invite.mail.lang'))
                    .props('outlined')
                    .classes('w-48')
                    .mark('kickoff-invite-lang')
                )
                ui.button(t('kickoff.invite.send'), icon='event', on_click=self._on_send).mark('kickoff-invite-send')
            self.error = ErrorLine().mark('kickoff-invite-error')
            self.result = tx.p('').props('role=status').mark('kickoff-invite-result')
            self.counts = tx.p('').classes('cop-muted').mark('kickoff-invite-counts')
        self._on_tick()
        ui.timer(3.0, self._on_tick)

    async def _on_send(self) -> None:
        t = self.t
        sent = await self.ctx.attempt(
            self.invites.send(self.me, self.cid, self.sid, str(self.addresses.value or ''), self.lang.value),
            line=self.error,
        )
        if not sent:
            return
        count, invalid = sent.value
        text = t('kickoff.invite.done', count=count)
        if invalid:
            text += ' ' + t('survey.invite.invalid', list=', '.join(invalid))
        self.result.set_text(text)
        self.addresses.value = ''
        self._on_tick()

    def _on_tick(self) -> None:
        counts = self.invites.counts(self.me, self.cid, self.sid)
        if any(counts.values()):
            waiting = counts['queued'] + counts['retry']
            self.counts.set_text(
                self.t('kickoff.invite.counts', sent=counts['sent'], waiting=waiting, failed=counts['failed'])
            )
