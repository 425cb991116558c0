"""The coordinator's side of value-creation stories: the link members write through, and the stories to curate:
publish, propose an edit (applied only once the writer agrees), or set aside. A coach reads the published ones."""

from __future__ import annotations

from nicegui import ui

from components import typography as tx
from components.context import PageContext
from components.forms import ErrorLine, copy_field
from components.nav import provide
from components.story_card import story_view
from core.roles import Permission
from core.services import Services
from core.stories import CYCLES, STATUSES, TEXT_MAX, Story

from .._base import community_page


def register(services: Services) -> None:
    def status(ctx: PageContext) -> str:
        stories = services.stories.stories(ctx.user.id, ctx.community.id)
        return ctx.t('stories.dashboard', count=len(stories), published=sum(s.published for s in stories))

    provide('stories', status)

    @community_page(services, '/c/{cid}/stories')
    def stories_page(ctx: PageContext, show: str = ''):
        with ctx.frame(ctx.t('stories.title'), active='stories'):
            StoriesView(ctx, services, show if show in STATUSES else '')


class StoriesView:
    def __init__(self, ctx: PageContext, services: Services, show: str) -> None:
        self.ctx, self.t, self.services = ctx, ctx.t, services
        self.stories = services.stories
        self.cid, self.me = ctx.community.id, ctx.user.id
        self.editable = ctx.can(Permission.EDIT)
        self.show = show
        tx.p(self.t('stories.intro'))
        if self.editable:
            self._render_link()
            self._render_filter()
        self.list = ui.column().classes('w-full gap-3').mark('stories-list')
        self._render_list()

    def _render_link(self) -> None:
        t = self.t
        tx.h2(t('stories.link_title'))
        tx.p(t('stories.link_help')).classes('text-sm')
        self.link = ui.column().classes('w-full').mark('stories-link')
        token = self.stories.link_token(self.me, self.cid)
        self._show_link(token)
        with ui.row().classes('gap-3'):
            key = 'stories.link_make' if token is None else 'stories.link_renew'
            button = ui.button(t(key), icon='link', on_click=lambda: self._on_link(token is not None))
            button.props('outline').mark('stories-link-make')

    def _show_link(self, token: str | None) -> None:
        self.link.clear()
        if token is None:
            return
        with self.link:
            url = f'{str(self.ctx.request.base_url).rstrip("/")}/story/{self.cid}/{token}'
            copy_field(self.t, self.t('stories.link_label'), url, 'stories-link-url')

    async def _on_link(self, renew: bool) -> None:
        outcome = await self.ctx.attempt(lambda: self.stories.open_link(self.me, self.cid, renew=renew))
        if outcome:
            self._show_link(outcome.value)
            if renew:
                ui.notify(self.t('stories.link_renewed'), type='positive')

    def _render_filter(self) -> None:
        t = self.t
        options = {'': t('stories.filter.all'), **{s: t(f'stories.status.{s}') for s in STATUSES}}
        choice = ui.select(options, value=self.show, label=t('stories.filter')).props('outlined dense')
        choice.classes('w-full sm:w-56').mark('stories-filter')
        choice.on_value_change(lambda e: self._on_filter(e.value))

    def _on_filter(self, value: str) -> None:
        self.show = value if value in STATUSES else ''
        self._render_list()

    def _render_list(self) -> None:
        t = self.t
        self.list.clear()
        with self.list:
            found = self.stories.stories(self.me, self.cid, self.show or None)
            if not found:
                tx.p(t('stories.empty')).classes('cop-muted').mark('stories-empty')
            for story in found:
                self._render_story(story)

    def _render_story(self, story: Story) -> None:
        t = self.t
        with ui.column().classes('w-full gap-1').mark('story-item'):
            with ui.row().classes('items-center gap-2'):
                ui.badge(t(f'stories.status.{story.status}')).props('outline').mark('story-state')
                tx.span(t.date(story.created)).classes('text-sm cop-muted')
                if story.proposal:
                    tx.span(t('stories.waiting_consent')).classes('text-sm').mark('story-waiting')
                elif story.edited:
                    tx.span(t('stories.edited')).classes('text-sm cop-muted')
            story_view(t, story)
            if self.editable:
                self._render_actions(story)

    def _render_actions(self, story: Story) -> None:
        t = self.t
        with ui.row().classes('gap-2'):
            if story.status != 'published':
                ui.button(t('stories.publish'), on_click=lambda s=story.id: self._on_status(s, 'published')).mark(
                    'story-publish'
                )
            if story.status != 'set_aside':
                ui.button(t('stories.set_aside'), on_click=lambda s=story.id: self._on_status(s, 'set_aside')).props(
                    'outline'
                ).mark('story-set-aside')
            ui.button(t('stories.propose'), on_click=lambda s=story: self._on_propose(s)).props('flat').mark(
                'story-propose'
            )

    async def _on_status(self, story_id: str, status: str) -> None:
        if await self.ctx.attempt(lambda: self.stories.set_status(self.me, self.cid, story_id, status)):
            ui.notify(self.t(f'stories.done.{status}'), type='positive')
            self._render_list()

    async def _on_propose(self, story: Story) -> None:
        t = self.t
        with ui.dialog() as dialog, ui.card().classes('w-full max-w-2xl gap-2'):
            heading = tx.h2(t('stories.propose_title'))
            dialog.props['aria-labelledby'] = heading.html_id
            tx.p(t('stories.propose_help')).classes('text-sm')
            fields = {}
            for cycle in CYCLES:
                field = ui.textarea(t(f'story.cycle.{cycle}'), value=(story.proposal or story.texts).get(cycle, ''))
                fields[cycle] = field.props(f'outlined autogrow maxlength={TEXT_MAX}').classes('w-full')
            error = ErrorLine()

            async def send() -> None:
                values = {c: f.value or '' for c, f in fields.items()}
                if await self.ctx.attempt(lambda: self.stories.propose(self.me, self.cid, story.id, values),
                                          fields=fields, line=error):  # fmt: skip
                    dialog.submit(True)

            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('dialog.cancel'), on_click=lambda: dialog.submit(False)).props('flat')
                ui.button(t('stories.propose_send'), on_click=send).mark('story-propose-send')
        if await dialog:
            ui.notify(t('stories.proposed'), type='positive')
            self._render_list()
        dialog.delete()
