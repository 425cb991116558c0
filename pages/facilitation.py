"""The facilitation checklist: sessions, the facilitator's checklist, the participants' anonymous feedback, both
views side by side, and the history across sessions."""

from __future__ import annotations

from datetime import UTC, datetime

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.error_pages import not_found_content
from components.forms import ErrorLine, NumberField, form_values
from components.nav import provide
from components.questionnaire_flow import Flow, idea_list
from components.sources import based_on
from components.survey_widgets import link_and_qr, personal_links, status_buttons, status_text, unverified_label
from components.tables import data_table
from core.errors import NotFound
from core.facilitation import MAX_METHOD, MAX_NAME, Session, SessionOutcome
from core.questionnaire import below_top_band, first_open_dimension, progress
from core.roles import Permission
from core.services import Services

from ._base import community_page


def register(services: Services) -> None:
    provide('facilitation', lambda ctx: _status(services, ctx))

    @community_page(services, '/c/{cid}/facilitation')
    def overview(ctx: PageContext):
        _overview(ctx, services)

    @community_page(services, '/c/{cid}/facilitation/{session_id}')
    def session_page(ctx: PageContext, session_id: str):
        _session_page(ctx, services, session_id)

    @community_page(services, '/c/{cid}/facilitation/{session_id}/answer', Permission.EDIT)
    def answer(ctx: PageContext, session_id: str, d: str = ''):
        _answer(ctx, services, session_id, d)

    @community_page(services, '/c/{cid}/facilitation/{session_id}/review', Permission.EDIT)
    def review(ctx: PageContext, session_id: str):
        _review(ctx, services, session_id)


def _status(services: Services, ctx: PageContext) -> str:
    sessions = services.facilitation.sessions(ctx.user.id, ctx.community.id)
    if not sessions:
        return ctx.t('facilitation.dashboard.none')
    return ctx.t('facilitation.dashboard.latest', count=len(sessions), date=ctx.t.date(sessions[0].day))


def _overview(ctx: PageContext, services: Services) -> None:
    """The sessions so far, and a new one."""
    t, cid, facilitation = ctx.t, ctx.community.id, services.facilitation
    with ctx.frame(t.pick(facilitation.instrument.title), active='facilitation'):
        tx.p(t.pick(facilitation.instrument.intro))
        history = facilitation.history(ctx.user.id, cid)
        tx.h2(t('facilitation.sessions'))
        if not history:
            tx.p(t('facilitation.no_sessions')).mark('no-sessions')
        else:
            _history(ctx, history)
        if not ctx.can(Permission.EDIT):
            return
        tx.h2(t('facilitation.new.title'))
        with ui.card().classes('w-full max-w-xl').props('flat bordered'):
            fields = _details_fields(t, [t.pick(m.title) for m in services.content.kickoff.methods])
            error = ErrorLine()

            async def record() -> None:
                recorded = facilitation.record(ctx.user.id, cid, **form_values(fields))
                if session := (await ctx.attempt(recorded, fields=fields, line=error)).value:
                    ctx.go(f'/c/{cid}/facilitation/{session.id}', t('facilitation.new.done'))

            ui.button(t('facilitation.new.submit'), icon='add', on_click=record).mark('session-record')


def _session_page(ctx: PageContext, services: Services, session_id: str) -> None:
    """One session: its details, the checklist and the feedback, side by side, and what to improve."""
    t = ctx.t
    try:
        outcome = services.facilitation.outcome(ctx.user.id, ctx.community.id, session_id)
    except NotFound:
        not_found_content(ctx)
        return
    session = outcome.session
    with ctx.frame(session.name, active='facilitation'):
        with html.dl().classes('grid grid-cols-[auto_1fr] gap-x-4 gap-y-1'):
            tx.dt(t('facilitation.field.day')).classes('font-medium')
            tx.dd(t.date(session.day))
            if session.method:
                tx.dt(t('facilitation.detail.method')).classes('font-medium')
                with tx.dd(session.method):
                    _method_source(ctx, services, session.method)
            if session.participants:
                tx.dt(t('facilitation.detail.participants')).classes('font-medium')
                tx.dd(t.number(session.participants))
        _checklist_state(ctx, outcome)
        _feedback_state(ctx, outcome)
        tx.h2(t('facilitation.compare.title'))
        with ui.element('div').classes('w-full grid gap-4 md:grid-cols-2 items-start'):
            _self_view(ctx, outcome)
            _participants_view(ctx, outcome)
        _review_answers(ctx, outcome)
        _improvements(ctx, outcome)
        if ctx.can(Permission.MANAGE):
            _delete_button(ctx, services, session_id)


def _method_source(ctx: PageContext, services: Services, method: str) -> None:
    """What a method of the kick-off library is based on, when the session names one."""
    found = services.content.kickoff.method_named(method)
    if found is not None:
        based_on(ctx.t, found.source, 'method-source', kind='entry', about=ctx.t.pick(found.title))


def _delete_button(ctx: PageContext, services: Services, session_id: str) -> None:
    t, cid = ctx.t, ctx.community.id

    async def delete() -> None:
        if not await confirm(
            t,
            t('facilitation.delete.title'),
            t('facilitation.delete.text'),
            t('facilitation.delete.action'),
            danger=True,
        ):
            return
        if await ctx.attempt(services.facilitation.delete(ctx.user.id, cid, session_id)):
            ctx.go(f'/c/{cid}/facilitation', t('facilitation.delete.done'))

    ui.button(t('facilitation.delete.action'), icon='delete', color='negative', on_click=delete).props(
        'outline'
    ).classes('mt-4').mark('session-delete')


def _open_checklist(ctx: PageContext, services: Services, session_id: str) -> tuple[Flow, Session] | None:
    """The facilitator's checklist of a session while it is open; else the page that says why not, or the session."""
    cid = ctx.community.id
    try:
        session = services.facilitation.session(ctx.user.id, cid, session_id)
    except NotFound:
        not_found_content(ctx)
        return None
    base = f'/c/{cid}/facilitation/{session_id}'
    if session.sheet.done:
        ctx.go(base)
        return None
    instrument = services.facilitation.instrument_of(session.sheet)
    return Flow(ctx, instrument, session.sheet, base, 'facilitation'), session


def _answer(ctx: PageContext, services: Services, session_id: str, d: str) -> None:
    """The facilitator's checklist, one block at a time."""
    opened = _open_checklist(ctx, services, session_id)
    if opened is None:
        return
    (flow, session), me, cid, facilitation = opened, ctx.user.id, ctx.community.id, services.facilitation
    flow.answer_page(
        lambda name: ctx.t('facilitation.answer_title', name=session.name, block=name),
        d,
        save_answer=lambda item, value: facilitation.answer(me, cid, session_id, item, value, session.sheet.version),
        save_comment=lambda item, text: facilitation.comment(me, cid, session_id, item, text),
    )


def _review(ctx: PageContext, services: Services, session_id: str) -> None:
    opened = _open_checklist(ctx, services, session_id)
    if opened is None:
        return
    flow, session = opened
    flow.review_page(
        ctx.t('facilitation.review_title', name=session.name),
        lambda: services.facilitation.finish(ctx.user.id, ctx.community.id, session_id),
        flow.base,
        ctx.t('facilitation.finished'),
    )


def _details_fields(t, methods: list[str]) -> dict:
    """The new session's fields; `methods` (the library's titles) are suggested while the method is typed."""
    fields = {
        'name': ui.input(t('facilitation.field.name'))
        .classes('w-full')
        .props(f'outlined maxlength={MAX_NAME}')
        .mark('session-name'),
        'day': ui.input(t('facilitation.field.day'), value=datetime.now(UTC).date().isoformat())
        .classes('w-full')
        .props('outlined type=date stack-label')
        .mark('session-day'),
        'method': ui.input(t('facilitation.field.method'), autocomplete=methods)
        .classes('w-full')
        .props(f'outlined maxlength={MAX_METHOD}')
        .mark('session-method'),
        'participants': NumberField(t('facilitation.field.participants'), min=1, step=1, precision=0)
        .classes('w-full')
        .props('outlined')
        .mark('session-participants'),
    }
    fields['name'].props['hint'] = t('facilitation.field.name_hint')
    return fields


def _history(ctx: PageContext, history: list[SessionOutcome]) -> None:
    t, cid = ctx.t, ctx.community.id
    with html.ul().classes('flex flex-col gap-1 w-full'):
        for outcome in reversed(history):
            with html.li().classes('flex flex-wrap gap-x-3'):
                ui.link(outcome.session.name, f'/c/{cid}/facilitation/{outcome.session.id}').mark('session-link')
                tx.span(t.date(outcome.session.day)).classes('cop-muted')
    rows = []
    for outcome in history:
        rows.append(
            [
                f'{t.date(outcome.session.day, short=True)} · {outcome.session.name}',
                t.number(outcome.checklist.overall, 1) if outcome.checklist.overall is not None else '—',
                t.number(outcome.roti, 1) if outcome.roti is not None else _feedback_short(ctx, outcome),
            ]
        )
    data_table(
        t('facilitation.history.caption'),
        [t('facilitation.history.session'), t('facilitation.history.self'), t('facilitation.history.roti')],
        rows,
        numeric=(1, 2),
        marker='history-table',
    )
    tx.p(t('facilitation.history.help')).classes('text-sm cop-muted')


def _feedback_short(ctx: PageContext, outcome: SessionOutcome) -> str:
    if outcome.feedback_round is None:
        return ctx.t('facilitation.history.no_feedback')
    return ctx.t(
        'facilitation.history.waiting', count=outcome.feedback_count, threshold=outcome.feedback_round.threshold
    )


def _checklist_state(ctx: PageContext, outcome: SessionOutcome) -> None:
    t, cid, session = ctx.t, ctx.community.id, outcome.session
    tx.h2(t('facilitation.checklist.title'))
    base = f'/c/{cid}/facilitation/{session.id}'
    if session.sheet.done:
        tx.p(t('facilitation.checklist.done', date=t.date(session.sheet.finished))).mark('checklist-done')
        return
    done, total = progress(outcome.instrument, session.sheet.answers)
    tx.p(t('facilitation.checklist.progress', done=done, total=total))
    if ctx.can(Permission.EDIT):
        first = first_open_dimension(outcome.instrument, session.sheet.answers)
        ui.button(
            t('facilitation.checklist.fill') if not session.sheet.answers else t('questionnaire.continue'),
            icon='edit_note',
            on_click=lambda: ui.navigate.to(f'{base}/answer?d={first}'),
        ).mark('checklist-fill')


def _feedback_state(ctx: PageContext, outcome: SessionOutcome) -> None:
    t, cid, session = ctx.t, ctx.community.id, outcome.session
    base = f'/c/{cid}/facilitation/{session.id}'
    tx.h2(t('facilitation.feedback.title'))
    feedback_round = outcome.feedback_round
    if feedback_round is None:
        tx.p(t('facilitation.feedback.none'))
        if ctx.can(Permission.EDIT):
            tx.p(t('facilitation.feedback.modes')).classes('text-sm')

            async def open_feedback(mode: str) -> None:
                opened = ctx.services.facilitation.open_feedback(ctx.user.id, cid, session.id, mode=mode)
                if await ctx.attempt(opened):
                    ctx.go(base, t('facilitation.feedback.opened'))

            with ui.row().classes('gap-2'):
                ui.button(
                    t('facilitation.feedback.open'), icon='qr_code_2', on_click=lambda: open_feedback('personal')
                ).mark('feedback-open')
                ui.button(
                    t('facilitation.feedback.open_link'), icon='link', on_click=lambda: open_feedback('open')
                ).props('outline').mark('feedback-open-link')
        return
    with ui.row().classes('items-center gap-3'):
        tx.p(status_text(t, feedback_round)).classes('font-medium').mark('feedback-status')
        if ctx.can(Permission.EDIT):
            status_buttons(ctx, feedback_round, base)
    tx.p(t('facilitation.feedback.help', threshold=feedback_round.step)).classes('text-sm')
    if feedback_round.verified:
        personal_links(ctx, feedback_round, session.name, ctx.can(Permission.EDIT))
    else:
        unverified_label(t)
        link_and_qr(ctx, feedback_round, session.name)


def _self_view(ctx: PageContext, outcome: SessionOutcome) -> None:
    t = ctx.t
    with ui.card().classes('w-full').props('flat bordered').mark('self-view'):
        tx.h3(t('facilitation.compare.self'))
        result, instrument = outcome.checklist, outcome.instrument
        if result.overall is None:
            tx.p(t('facilitation.compare.self_empty'))
            return
        tx.p(
            t('facilitation.compare.self_overall', mean=t.number(result.overall, 1), high=instrument.scale.high)
        ).classes('font-medium')
        rows = []
        for d, s in zip(instrument.dimensions, result.dimensions, strict=True):
            if s.total:
                rows.append(
                    [
                        t.pick(d.title),
                        t.number(s.mean, 1) if s.mean is not None else '—',
                        t.pick(s.band.label) if s.band else '—',
                    ]
                )
        data_table(
            t('facilitation.compare.self_caption', high=instrument.scale.high),
            [t('facilitation.compare.block'), t('questionnaire.col_score'), t('questionnaire.col_band')],
            rows,
            numeric=(1,),
            marker='self-table',
        )


def _participants_view(ctx: PageContext, outcome: SessionOutcome) -> None:
    t = ctx.t
    with ui.card().classes('w-full').props('flat bordered').mark('participants-view'):
        tx.h3(t('facilitation.compare.participants'))
        if outcome.feedback_round is None:
            tx.p(t('facilitation.feedback.none'))
            return
        feedback_round = outcome.feedback_round
        if not feedback_round.verified:
            unverified_label(t)
        if outcome.feedback is None:
            snapshot = ctx.services.surveys.snapshot(ctx.user.id, ctx.community.id, feedback_round.id)
            tx.p(
                t('survey.snapshot.waiting_close', step=snapshot.step)
                if snapshot.waiting_for_close
                else t('survey.results.hidden', threshold=snapshot.step, missing=max(1, snapshot.missing))
            ).mark('feedback-hidden')
            return
        tx.p(t('facilitation.compare.roti', mean=t.number(outcome.roti, 1), count=outcome.feedback.count)).classes(
            'font-medium'
        ).mark('roti')
        for r in outcome.feedback.items:
            if r.item.type == 'scale':
                scale = outcome.feedback_instrument.scale_for(r.item)
                data_table(
                    t('survey.results.distribution'),
                    [t('survey.results.answer'), t('survey.results.n')],
                    [[f'{v} · {t.pick(scale.label(v))}', t.number(r.counts[v])] for v in scale.numbers],
                    numeric=(1,),
                    marker='roti-table',
                )
            elif r.item.type == 'text':
                tx.p(t.pick(r.item.statement)).classes('font-medium mt-2')
                if not r.texts:
                    tx.p(t('survey.results.no_texts')).classes('cop-muted')
                with html.ul().classes('list-disc pl-5 flex flex-col gap-1').mark('feedback-texts'):
                    for text in r.texts:
                        tx.li(text)


def _review_answers(ctx: PageContext, outcome: SessionOutcome) -> None:
    """The after-action review: the facilitator's own words."""
    t = ctx.t
    texts = [
        (item, outcome.session.sheet.answers.get(item.id)) for item in outcome.instrument.items if item.type == 'text'
    ]
    if not any(value for _, value in texts):
        return
    tx.h2(t('facilitation.aar.title'))
    with html.dl().classes('flex flex-col gap-1').mark('aar'):
        for item, value in texts:
            if value:
                tx.dt(t.pick(item.statement)).classes('font-medium')
                tx.dd(value).classes('whitespace-pre-line')


def _improvements(ctx: PageContext, outcome: SessionOutcome) -> None:
    t = ctx.t
    result, instrument = outcome.checklist, outcome.instrument
    blocks = [(d, s) for d, s in zip(instrument.dimensions, result.dimensions, strict=True) if below_top_band(d, s)]
    tx.h2(t('facilitation.improve.title'))
    if not blocks:
        tx.p(t('facilitation.improve.none') if result.overall is not None else t('facilitation.compare.self_empty'))
        return
    sent = ctx.services.suggestions.sent(ctx.user.id, ctx.community.id, 'animation', outcome.session.id)
    for d, s in blocks:
        tx.h3(f'{t.pick(d.title)}: {t.pick(s.band.label)}')
        if s.band.interpretation:
            tx.p(t.pick(s.band.interpretation))
        idea_list(ctx, 'animation', outcome.session.id, d.id, s.band.actions, sent)
