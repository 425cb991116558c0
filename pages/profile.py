"""The coordinator-profile checklist: one's own profile (answer, result, share) and the profiles shared with the
community."""

from __future__ import annotations

from functools import partial

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.nav import provide
from components.questionnaire_flow import Flow, send_idea
from core.profile import ProfileResult
from core.questionnaire import first_open_dimension, progress
from core.roles import Permission
from core.services import Services

from ._base import community_page


def register(services: Services) -> None:
    provide('profile', _status)

    @community_page(services, '/c/{cid}/profile')
    def profile_page(ctx: PageContext):
        ProfileView(ctx, services)

    @community_page(services, '/c/{cid}/profile/answer')
    def answer(ctx: PageContext, d: str = ''):
        _answer(ctx, services, d)

    @community_page(services, '/c/{cid}/profile/review')
    def review(ctx: PageContext):
        _review(ctx, services)


def _status(ctx: PageContext) -> str:
    profiles = ctx.services.profiles
    latest = profiles.latest(ctx.user.id)
    if profiles.open_profile(ctx.user.id) is not None:
        return ctx.t('profile.status_open')
    if latest is None:
        return ctx.t('profile.status_none')
    return ctx.t('profile.status_done', date=ctx.t.date(latest.finished))


class ProfileView:
    """One's own profile (to continue, start, or share with this community) and the profiles others shared here."""

    def __init__(self, ctx: PageContext, services: Services) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.profiles = services.profiles
        self.cid, self.me = ctx.community.id, ctx.user.id
        instrument = self.profiles.instrument
        with ctx.frame(self.t.pick(instrument.title), active='profile'):
            tx.p(self.t.pick(instrument.intro))
            self.latest = self.profiles.latest(self.me)
            self._render_current()
            if self.latest is not None:
                self._render_own_result()
            self._render_shared()

    def _render_current(self) -> None:
        t, cid = self.t, self.cid
        open_sheet = self.profiles.open_profile(self.me)
        with ui.card().classes('w-full').props('flat bordered').mark('profile-current'):
            if open_sheet is None:
                tx.p(t('profile.none_open') if self.latest is None else t('profile.again'))
                ui.button(
                    t('profile.start') if self.latest is None else t('profile.restart'),
                    icon='play_arrow',
                    on_click=self._on_start,
                ).mark('profile-start')
                return
            ins = self.profiles.instrument_of(open_sheet)
            done, total = progress(ins, open_sheet.answers)
            tx.p(t('profile.open', date=t.date(open_sheet.started), done=done, total=total))
            first = first_open_dimension(ins, open_sheet.answers)
            with ui.row().classes('gap-2'):
                ui.button(
                    t('questionnaire.continue'),
                    icon='play_arrow',
                    on_click=lambda: ui.navigate.to(f'/c/{cid}/profile/answer?d={first}'),
                ).mark('profile-continue')
                ui.button(t('questionnaire.review'), on_click=lambda: ui.navigate.to(f'/c/{cid}/profile/review')).props(
                    'outline'
                )

    async def _on_start(self) -> None:
        sheet = await self.profiles.start(self.me)
        first = first_open_dimension(self.profiles.instrument_of(sheet), sheet.answers)
        ui.navigate.to(f'/c/{self.cid}/profile/answer?d={first}')

    def _render_own_result(self) -> None:
        t, latest = self.t, self.latest
        tx.h2(t('profile.your_result', date=t.date(latest.finished)))
        ui.switch(
            t('profile.share', community=self.ctx.community.name),
            value=self.profiles.is_shared(latest, self.cid),
            on_change=lambda e: self._on_share(bool(e.value)),
        ).mark('profile-share')
        tx.p(t('profile.share_help')).classes('text-sm cop-muted')
        _profile_result(self.ctx, self.profiles.result(self.me, latest.id), own=True)

    async def _on_share(self, shared: bool) -> None:
        if await self.ctx.attempt(self.profiles.share(self.me, self.latest.id, self.cid, shared)):
            ui.notify(self.t('profile.shared' if shared else 'profile.unshared'), type='positive')

    def _render_shared(self) -> None:
        t = self.t
        others = [s for s in self.profiles.shared_with(self.me, self.cid) if s.owner_id != self.me]
        tx.h2(t('profile.shared_title'))
        if not others:
            tx.p(t('profile.shared_none')).mark('shared-none')
        for other in others:
            with (
                ui.expansion(t('profile.shared_by', name=other.owner_name, date=t.date(other.profile.sheet.finished)))
                .classes('w-full')
                .props('header-class="font-medium"')
                .mark('shared-profile')
            ):
                _profile_result(self.ctx, other.profile, own=False)


def _open_flow(ctx: PageContext, services: Services) -> Flow | None:
    """One's open profile to answer or review; None (and back to the overview) when none is open."""
    profiles = services.profiles
    sheet = profiles.open_profile(ctx.user.id)
    base = f'/c/{ctx.community.id}/profile'
    if sheet is None:
        ctx.go(base)
        return None
    return Flow(ctx, profiles.instrument_of(sheet), sheet, base, 'profile')


def _answer(ctx: PageContext, services: Services, d: str) -> None:
    if (flow := _open_flow(ctx, services)) is None:
        return
    me, sheet, profiles = ctx.user.id, flow.sheet, services.profiles
    flow.answer_page(
        lambda name: ctx.t('profile.answer_title', group=name),
        d,
        save_answer=lambda item, value: profiles.answer(me, sheet.id, item, value, sheet.version),
        save_comment=lambda item, text: profiles.comment(me, sheet.id, item, text),
    )


def _review(ctx: PageContext, services: Services) -> None:
    if (flow := _open_flow(ctx, services)) is None:
        return
    finish = partial(services.profiles.finish, ctx.user.id, flow.sheet.id)
    flow.review_page(ctx.t('profile.review_title'), finish, flow.base, ctx.t('profile.finished'))


def _profile_result(ctx: PageContext, outcome: ProfileResult, *, own: bool) -> None:
    t, cid = ctx.t, ctx.community.id
    sent = ctx.services.suggestions.sent(ctx.user.id, cid, 'profile', outcome.sheet.id) if own else set()
    with ui.element('div').classes('w-full grid gap-4 md:grid-cols-2 items-start'):
        with ui.card().classes('w-full').props('flat bordered').mark('strengths'):
            tx.h3(t('profile.strengths', count=len(outcome.strengths)))
            if not outcome.strengths:
                tx.p(t('profile.no_strengths'))
            with html.ul().classes('list-disc pl-5 flex flex-col gap-1'):
                for finding in outcome.strengths:
                    label = outcome.instrument.scale_for(finding.item).label(finding.value)
                    tx.li(f'{t.pick(finding.item.statement)} ({t.pick(label)})')
        with ui.card().classes('w-full').props('flat bordered').mark('improvements'):
            tx.h3(t('profile.improvements', count=len(outcome.improvements)))
            if not outcome.improvements:
                tx.p(t('profile.no_improvements'))
            with html.ul().classes('flex flex-col gap-3'):
                for finding in outcome.improvements:
                    with html.li().classes('flex flex-col gap-1'):
                        label = outcome.instrument.scale_for(finding.item).label(finding.value)
                        tx.span(f'{t.pick(finding.item.statement)} ({t.pick(label)})').classes('font-medium')
                        tx.span(t('profile.suggestion', text=t.pick(finding.item.suggestion))).classes('text-sm')
                        if own and ctx.can(Permission.EDIT):
                            send_idea(
                                ctx,
                                'profile',
                                outcome.sheet.id,
                                finding.item.dimension,
                                finding.item.suggestion,
                                (finding.item.dimension, finding.item.suggestion['en']) in sent,
                            )
    if outcome.not_applicable:  # answered "not applicable (not yet)": named as such, not scored
        with ui.card().classes('w-full').props('flat bordered').mark('not-applicable'):
            tx.h3(t('profile.not_applicable', count=len(outcome.not_applicable)))
            tx.p(t('profile.not_applicable_text')).classes('text-sm')
            with html.ul().classes('list-disc pl-5 flex flex-col gap-1'):
                for item in outcome.not_applicable:
                    tx.li(t.pick(item.statement))
