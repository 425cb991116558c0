"""Survey invitations by mail on a personal round's page (core/survey_invites.py): paste addresses or read them from
a CSV file, send each its own link, see counts only, send a reminder that goes to unused links only, and edit the
invitation text per language."""

from __future__ import annotations

from nicegui import events, ui

from components import typography as tx
from components.context import PageContext
from components.forms import ErrorLine
from components.sign_in import mail_base
from components.upload import file_picker
from core.errors import ValidationError
from core.i18n import LANGUAGES
from core.services import Services
from core.survey import SurveyRound
from core.survey_invites import MAX_TEXT, MAX_UPLOAD, parse_addresses


class SurveyInvitationsView:
    def __init__(self, ctx: PageContext, services: Services, survey_round: SurveyRound) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.invites = services.survey_invitations
        self.cid, self.me, self.round_id = ctx.community.id, ctx.user.id, survey_round.id
        t = self.t
        tx.h3(t('survey.invite.title'))
        tx.p(t('survey.invite.help')).classes('text-sm')
        if not survey_round.is_open():
            tx.p(t('survey.invite.error.not_open')).classes('cop-muted').mark('survey-invite-closed')
            return
        self.overview = tx.p('').classes('cop-muted').props('role=status').mark('survey-invite-overview')
        self._render_form()
        self._render_reminder()
        self._render_texts()
        self._on_tick()
        ui.timer(3.0, self._on_tick)

    def _render_form(self) -> None:
        t = self.t
        self.addresses = (
            ui.textarea(t('survey.invite.addresses'))
            .props('outlined autogrow')
            .classes('w-full max-w-2xl')
            .mark('survey-invite-addresses')
        )
        upload = file_picker(
            t('survey.invite.csv'),
            on_upload=self._on_upload,
            accept='.csv,.txt,text/csv,text/plain',
            max_file_size=MAX_UPLOAD,
            on_rejected=lambda: self.error.show(t('survey.invite.csv_error', max=MAX_UPLOAD // 1024)),
            on_failed=lambda: self.error.show(t('survey.invite.csv_error', max=MAX_UPLOAD // 1024)),
        )
        upload.mark('survey-invite-upload')
        with ui.row().classes('items-end gap-3'):
            self.lang = (
                ui.select(
                    {lang: t(f'lang.{lang}') for lang in LANGUAGES}, value=self.ctx.lang, label=t('survey.invite.lang')
                )
                .props('outlined')
                .classes('w-48')
                .mark('survey-invite-lang')
            )
            ui.button(t('survey.invite.send'), icon='send', on_click=self._on_send).mark('survey-invite-send')
        self.error = ErrorLine().mark('survey-invite-error')
        self.result = tx.p('').props('role=status').mark('survey-invite-result')

    def _render_reminder(self) -> None:
        t = self.t
        tx.p(t('survey.invite.remind_help')).classes('text-sm')
        ui.button(t('survey.invite.remind'), icon='notifications', on_click=self._on_remind).props('outline').mark(
            'survey-invite-remind'
        )

    def _render_texts(self) -> None:
        t = self.t
        tx.p(t('survey.invite.text_help', placeholder='{link}')).classes('text-sm cop-muted')
        with ui.element('div').classes('w-full grid gap-3 lg:grid-cols-2'):
            for lang in LANGUAGES:
                with ui.column().classes('gap-1 w-full'):
                    area = (
                        ui.textarea(
                            t('survey.invite.text', language=t(f'lang.{lang}')),
                            value=self.invites.text(self.me, self.cid, self.round_id, lang),
                        )
                        .props(f'outlined autogrow maxlength={MAX_TEXT}')
                        .classes('w-full')
                        .mark(f'survey-invite-text-{lang}')
                    )
                    area.props['lang'] = lang
                    ui.button(
                        t('survey.invite.text_save'), on_click=lambda a=area, lg=lang: self._on_save_text(lg, a)
                    ).props('flat dense').mark(f'survey-invite-save-{lang}')

    # -- handlers -----------------------------------------------------------------------------------------------------

    async def _on_upload(self, e: events.UploadEventArguments) -> None:
        self.error.clear_text()
        try:
            raw = await e.file.read()
            text = raw.decode('utf-8-sig')
        except (UnicodeDecodeError, ValueError, OSError):
            self.error.show(self.t('survey.invite.csv_error', max=MAX_UPLOAD // 1024))
            return
        found, _ = parse_addresses(text)
        self.addresses.value = '\n'.join(found)
        self.result.set_text(self.t('survey.invite.csv_read', count=len(found)))

    async def _on_send(self) -> None:
        t = self.t
        self.result.set_text('')
        done = await self.ctx.attempt(
            self.invites.invite(
                self.me, self.cid, self.round_id, str(self.addresses.value or ''), self.lang.value, mail_base(self.ctx)
            ),
            line=self.error,
        )
        if not done:
            return
        added = done.value
        text = t('survey.invite.done', count=added.invited, already=added.already)
        if added.invalid:
            text += ' ' + t('survey.invite.invalid', list=', '.join(added.invalid))
        self.result.set_text(text)
        self.addresses.value = ''
        self._on_tick()

    async def _on_remind(self) -> None:
        if await self.ctx.attempt(
            self.invites.remind(self.me, self.cid, self.round_id, mail_base(self.ctx)), line=self.error
        ):
            ui.notify(self.t('survey.invite.reminded'), type='positive')

    async def _on_save_text(self, lang: str, area: ui.textarea) -> None:
        if await self.ctx.attempt(
            self.invites.set_text(self.me, self.cid, self.round_id, lang, area.value), line=self.error
        ):
            ui.notify(self.t('common.saved'), type='positive')

    def _on_tick(self) -> None:
        try:
            o = self.invites.overview(self.me, self.cid, self.round_id)
        except (ValidationError, OSError):
            return
        self.overview.set_text(
            self.t('survey.invite.overview', invited=o.invited, sent=o.sent, waiting=o.waiting, failed=o.failed)
        )
