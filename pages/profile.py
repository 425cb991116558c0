"""The coordinator-profile checklist: one's own profile (answer, result, share) and the profiles shared with the
community."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.nav import provide
from components.questionnaire_flow import answer_dimension, review_and_finish, send_idea
from core.errors import AppError
from core.profile import ProfileResult
from core.questionnaire import dimension_to_show, first_open_dimension, progress
from core.roles import Permission
from core.services import Services

from ._base import community_page


def register(services: Services) -> None:
    profiles = services.profiles

    def status(ctx: PageContext) -> str:
        latest = profiles.latest(ctx.user.id)
        if profiles.open_profile(ctx.user.id) is not None:
            return ctx.t('profile.status_open')
        if latest is None:
            return ctx.t('profile.status_none')
        return ctx.t('profile.status_done', date=ctx.t.date(latest.finished))

    provide('profile', status)

    @community_page(services, '/c/{cid}/profile')
    def profile_page(ctx: PageContext):
        t, cid, me = ctx.t, ctx.community.id, ctx.user.id
        instrument = profiles.instrument
        with ctx.frame(t.pick(instrument.title), active='profile'):
            tx.p(t.pick(instrument.intro))
            open_sheet = profiles.open_profile(me)
            latest = profiles.latest(me)
            with ui.card().classes('w-full').props('flat bordered').mark('profile-current'):
                if open_sheet is not None:
                    ins = profiles.instrument_of(open_sheet)
                    done, total = progress(ins, open_sheet.answers)
                    tx.p(t('profile.open', date=t.date(open_sheet.started), done=done, total=total))
                    with ui.row().classes('gap-2'):
                        ui.button(
                            t('questionnaire.continue'),
                            icon='play_arrow',
                            on_click=lambda: ui.navigate.to(
                                f'/c/{cid}/profile/answer?d={first_open_dimension(ins, open_sheet.answers)}'
                            ),
                        ).mark('profile-continue')
                        ui.button(
                            t('questionnaire.review'), on_click=lambda: ui.navigate.to(f'/c/{cid}/profile/review')
                        ).props('outline')
                else:
                    tx.p(t('profile.none_open') if latest is None else t('profile.again'))

                    async def start() -> None:
                        sheet = await profiles.start(me)
                        first = first_open_dimension(profiles.instrument_of(sheet), sheet.answers)
                        ui.navigate.to(f'/c/{cid}/profile/answer?d={first}')

                    ui.button(
                        t('profile.start') if latest is None else t('profile.restart'),
                        icon='play_arrow',
                        on_click=start,
                    ).mark('profile-start')
            if latest is not None:
                tx.h2(t('profile.your_result', date=t.date(latest.finished)))
                shared = ui.switch(
                    t('profile.share', community=ctx.community.name), value=profiles.is_shared(latest, cid)
                ).mark('profile-share')

                async def toggle_share(e) -> None:
                    try:
                        await profiles.share(me, latest.id, cid, bool(e.value))
                    except AppError as err:
                        ctx.notify_error(err)
                        return
                    ui.notify(t('profile.shared' if e.value else 'profile.unshared'), type='positive')

                shared.on_value_change(toggle_share)
                tx.p(t('profile.share_help')).classes('text-sm cop-muted')
                _profile_result(ctx, profiles.result(me, latest.id), own=True)

            others = [s for s in profiles.shared_with(me, cid) if s.owner_id != me]
            tx.h2(t('profile.shared_title'))
            if not others:
                tx.p(t('profile.shared_none')).mark('shared-none')
            for other in others:
                with (
                    ui.expansion(
                        t('profile.shared_by', name=other.owner_name, date=t.date(other.profile.sheet.finished))
                    )
                    .classes('w-full')
                    .props('header-class="font-medium"')
                    .mark('shared-profile')
                ):
                    _profile_result(ctx, other.profile, own=False)

    @community_page(services, '/c/{cid}/profile/answer')
    def answer(ctx: PageContext, d: str = ''):
        t, cid, me = ctx.t, ctx.community.id, ctx.user.id
        sheet = profiles.open_profile(me)
        if sheet is None:
            ctx.go(f'/c/{cid}/profile')
            return
        instrument = profiles.instrument_of(sheet)
        dimension = dimension_to_show(instrument, sheet.answers, d)
        with ctx.frame(t('profile.answer_title', group=t.pick(dimension.title)), active='profile'):
            answer_dimension(
                ctx,
                instrument,
                sheet,
                dimension.id,
                answer_url=lambda dim: f'/c/{cid}/profile/answer?d={dim}',
                review_url=f'/c/{cid}/profile/review',
                save_answer=lambda item, value: profiles.answer(me, sheet.id, item, value, sheet.version),
                save_comment=lambda item, text: profiles.comment(me, sheet.id, item, text),
            )

    @community_page(services, '/c/{cid}/profile/review')
    def review(ctx: PageContext):
        t, cid, me = ctx.t, ctx.community.id, ctx.user.id
        sheet = profiles.open_profile(me)
        if sheet is None:
            ctx.go(f'/c/{cid}/profile')
            return
        with ctx.frame(t('profile.review_title'), active='profile'):
            review_and_finish(
                ctx,
                profiles.instrument_of(sheet),
                sheet,
                answer_url=lambda dim: f'/c/{cid}/profile/answer?d={dim}',
                finish=lambda: profiles.finish(me, sheet.id),
                done_url=f'/c/{cid}/profile',
                done_notice=t('profile.finished'),
            )


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
