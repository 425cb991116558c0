"""The member's side of value-creation stories, without an account: write a story through the community's link
(signed with a name or anonymous), then keep a personal link to read it back, agree to or refuse an edit the
coordinator proposes, or withdraw it."""

from __future__ import annotations

from nicegui import app, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.forms import ErrorLine, copy_field
from core.services import Services
from core.stories import CYCLES, NAME_MAX, REQUIRED, TEXT_MAX, Story

from .._base import page


def register(services: Services) -> None:
    @page(services, '/story/{cid}/{token}')
    def write_page(ctx: PageContext, cid: str, token: str):
        with ctx.frame(ctx.t('story.write.title'), public=True):
            outcome = ctx.attempt_now(lambda: services.stories.check_link(cid, token), notify=False)
            if not outcome:
                tx.p(ctx.error_text(outcome.error)).mark('story-problem')
                return
            WriteView(ctx, services, cid, token, outcome.value)

    @page(services, '/story/{cid}/mine/{key}')
    def mine_page(ctx: PageContext, cid: str, key: str):
        with ctx.frame(ctx.t('story.mine.title'), public=True):
            outcome = ctx.attempt_now(lambda: services.stories.mine(cid, key), notify=False)
            if not outcome:
                tx.p(ctx.error_text(outcome.error)).mark('story-problem')
                return
            MineView(ctx, services, cid, key, outcome.value)


class WriteView:
    def __init__(self, ctx: PageContext, services: Services, cid: str, token: str, name: str) -> None:
        self.ctx, self.t, self.services, self.cid, self.token = ctx, ctx.t, services, cid, token
        self.browser = str(app.storage.browser.get('id', ''))  # for the rate limit only, never stored
        t = self.t
        tx.p(t('story.write.intro', name=name)).mark('story-intro')
        tx.p(t('story.write.privacy')).classes('text-sm cop-muted')
        self.form = ui.column().classes('w-full gap-3').mark('story-form')
        with self.form:
            self.fields = {}
            for cycle in CYCLES:
                label = t(f'story.cycle.{cycle}') + ('' if cycle in REQUIRED else f' ({t("story.optional")})')
                field = ui.textarea(label).props(f'outlined autogrow maxlength={TEXT_MAX}').classes('w-full')
                field.props['hint'] = t(f'story.cycle.{cycle}.hint')
                self.fields[cycle] = field.mark(f'story-{cycle}')
            self.sign = ui.radio({'anonymous': t('story.write.anonymous'), 'name': t('story.write.signed')},
                                 value='anonymous').mark('story-sign')  # fmt: skip
            self.sign.props['aria-label'] = t('story.write.sign')
            self.name = (
                ui.input(t('story.write.name')).props(f'outlined maxlength={NAME_MAX}').classes('w-full sm:w-96')
            )
            self.name.mark('story-name').bind_visibility_from(self.sign, 'value', value='name')
            self.error = ErrorLine()
            ui.button(t('story.write.submit'), icon='send', on_click=self._on_submit).mark('story-submit')
        self.done = ui.column().classes('w-full gap-2').mark('story-done')

    async def _on_submit(self) -> None:
        texts = {c: f.value or '' for c, f in self.fields.items()}
        author = (self.name.value or '') if self.sign.value == 'name' else ''
        if self.sign.value == 'name' and not author.strip():
            self.error.show(self.t('story.error.name'))
            return
        outcome = await self.ctx.attempt(
            lambda: self.services.stories.submit(
                self.cid, self.token, texts, author, browser=self.browser, client=self.ctx.client_key
            ),
            fields={**self.fields, 'author': self.name},
            line=self.error,
        )
        if not outcome:
            return
        key, _ = outcome.value
        self.form.set_visibility(False)
        link = f'{str(self.ctx.request.base_url).rstrip("/")}/story/{self.cid}/mine/{key}'
        with self.done:
            tx.h2(self.t('story.write.thanks'))
            tx.p(self.t('story.write.key_text'))
            copy_field(self.t, self.t('story.write.key_link'), link, 'story-key-link')


class MineView:
    """Everything stored about one story, for its writer: the texts, the signature, its state, a proposed edit."""

    def __init__(self, ctx: PageContext, services: Services, cid: str, key: str, story: Story) -> None:
        self.ctx, self.t, self.services, self.cid, self.key = ctx, ctx.t, services, cid, key
        self.body = ui.column().classes('w-full gap-3').mark('story-mine')
        self._render(story)

    def _render(self, story: Story) -> None:
        t = self.t
        self.body.clear()
        with self.body:
            tx.p(t(f'story.mine.status.{story.status}')).classes('font-medium').mark('story-status')
            tx.p(t('story.mine.signed', name=story.author) if story.author else t('story.mine.anonymous'))
            _texts(t, story.texts, 'story-texts')
            if story.proposal:
                tx.h2(t('story.mine.proposal'))
                tx.p(t('story.mine.proposal_help')).classes('text-sm')
                _texts(t, story.proposal, 'story-proposal')
                with ui.row().classes('gap-3'):
                    ui.button(t('story.mine.agree'), on_click=lambda: self._on_consent(True)).mark('story-agree')
                    ui.button(t('story.mine.refuse'), on_click=lambda: self._on_consent(False)).props('outline').mark(
                        'story-refuse'
                    )
            tx.h2(t('story.mine.withdraw_title'))
            tx.p(t('story.mine.withdraw_help')).classes('text-sm')
            ui.button(t('story.mine.withdraw'), icon='delete', on_click=self._on_withdraw).props(
                'outline color=negative'
            ).mark('story-withdraw')

    async def _on_consent(self, agree: bool) -> None:
        outcome = await self.ctx.attempt(lambda: self.services.stories.consent(self.cid, self.key, agree))
        if outcome:
            ui.notify(self.t('story.mine.agreed' if agree else 'story.mine.refused'), type='positive')
            self._render(outcome.value)

    async def _on_withdraw(self) -> None:
        t = self.t
        if not await confirm(t, t('story.mine.withdraw_title'), t('story.mine.withdraw_help'), t('story.mine.withdraw'),
                             danger=True):  # fmt: skip
            return
        if await self.ctx.attempt(lambda: self.services.stories.withdraw(self.cid, self.key)):
            self.body.clear()
            with self.body:
                tx.p(t('story.mine.withdrawn')).classes('font-medium').props('role=status').mark('story-withdrawn')


def _texts(t, texts: dict[str, str], marker: str) -> None:
    with ui.column().classes('w-full gap-1').mark(marker):
        for cycle in CYCLES:
            if texts.get(cycle):
                tx.p(t(f'story.cycle.{cycle}')).classes('font-medium text-sm')
                tx.p(texts[cycle]).classes('whitespace-pre-line')
