"""Answering an anonymous survey (no account): by a personal single-use link (/s/<cid>/p/<code>) or a round's open
link (/s/<cid>/<token>). Phone-first, part by part, a draft kept in the respondent's own browser (localStorage,
never on the server), a receipt code to withdraw the answer later. A used personal link is refused in any browser;
an open link only remembers, in the browser, that it answered (its count is not verified)."""

from __future__ import annotations

import json
from typing import Any

from nicegui import app, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.forms import ErrorLine, copy_button
from components.questionnaire import QuestionCard
from components.survey_widgets import anonymity_notice
from core.errors import NotFound
from core.needs import worded
from core.questionnaire import Instrument, unanswered
from core.services import Services
from core.survey import SurveyRound, Surveys

from .._base import page

DRAFT_KEY = 'cop-survey-{}'  # localStorage: {"answers": {...}} while answering, {"done": true} after


def register(services: Services) -> None:
    @page(services, '/s/{cid}/{token}')
    async def respond(ctx: PageContext, cid: str, token: str):
        await _respond(ctx, services.surveys, cid, token)

    @page(services, '/s/{cid}/p/{code}')
    async def respond_personal(ctx: PageContext, cid: str, code: str):
        await _respond_personal(ctx, services.surveys, cid, code)

    @page(services, '/s/{cid}/{token}/withdraw')
    def withdraw(ctx: PageContext, cid: str, token: str):
        _withdraw(ctx, services.surveys, cid, token)


async def _respond(ctx: PageContext, surveys: Surveys, cid: str, token: str) -> None:
    """A round's open link: the questionnaire (a personal round's own link takes no answers)."""
    t = ctx.t
    try:
        survey_round = surveys.by_token(cid, token)
    except NotFound:
        _unknown(ctx, 'survey.error.unknown')
        return
    if survey_round.verified:  # the round's own link takes no answers: each member has a personal one
        with ctx.frame(t.pick(surveys.instrument_of(survey_round).title), public=True):
            _community_line(ctx, surveys.community_name(cid), survey_round)
            tx.p(t(worded('respond.personal_only', survey_round.instrument))).classes('text-lg').mark(
                'respond-personal-only'
            )
        return
    await _answer(ctx, surveys, cid, survey_round, None)


async def _respond_personal(ctx: PageContext, surveys: Surveys, cid: str, code: str) -> None:
    """A personal single-use link: the questionnaire, or (used already, in any browser) the way to withdraw."""
    t = ctx.t
    try:
        survey_round, used = surveys.by_code(cid, code)
    except NotFound:
        _unknown(ctx, 'survey.error.code_unknown')
        return
    if used:  # in any browser: the server knows the link was used, not by whom or when
        with ctx.frame(t('respond.used_title'), public=True):
            _community_line(ctx, surveys.community_name(cid), survey_round)
            tx.p(t('respond.used')).classes('text-lg').mark('respond-used')
            ui.link(t('respond.withdraw.link'), f'/s/{cid}/{survey_round.token}/withdraw').mark('withdraw-link')
        return
    await _answer(ctx, surveys, cid, survey_round, code)


def _withdraw(ctx: PageContext, surveys: Surveys, cid: str, token: str) -> None:
    """Taking an answer back with its receipt code."""
    t = ctx.t
    try:
        surveys.by_token(cid, token)
    except NotFound:
        _unknown(ctx, 'survey.error.unknown')
        return
    browser = str(app.storage.browser.get('id', ''))  # for the rate limit only, never stored
    with ctx.frame(t('respond.withdraw.title'), public=True):
        tx.p(t('respond.withdraw.text'))
        code = (
            ui.input(t('respond.withdraw.code'))
            .props('outlined autocomplete=off')
            .classes('w-full max-w-sm')
            .mark('receipt-input')
        )
        error = ErrorLine().mark('withdraw-error')
        done = tx.p('').props('role=status').classes('font-medium').mark('withdraw-done')

        async def submit() -> None:
            error.clear_text()
            if isinstance(code.value, str | None) and not (code.value or '').strip():  # core refuses other types
                error.show(t('respond.withdraw.empty'))
                return
            if not await confirm(
                t,
                t('respond.withdraw.confirm_title'),
                t('respond.withdraw.confirm_text'),
                t('respond.withdraw.action'),
                danger=True,
            ):
                return
            # a callable: reading ctx.client_key may itself be refused (a browser first seen during a flood)
            if await ctx.attempt(
                lambda: surveys.withdraw(cid, token, code.value, client=ctx.client_key, browser=browser), line=error
            ):
                code.value = ''
                done.set_text(t('respond.withdraw.done'))

        ui.button(t('respond.withdraw.action'), on_click=submit, color='negative').mark('withdraw-submit')


def _unknown(ctx: PageContext, key: str) -> None:
    ui.status_code(404)
    with ctx.frame(ctx.t('respond.unknown_title'), public=True):
        tx.p(ctx.t(key)).mark('respond-unknown')


def _community_line(ctx: PageContext, name: str, survey_round: SurveyRound) -> None:
    """Whom the survey is for: a community, or (the needs survey) a community that is getting started."""
    if name:
        text = ctx.t(worded('respond.community', survey_round.instrument), community=name)
        tx.p(text).classes('text-lg font-medium').mark('respond-community')


async def _answer(ctx: PageContext, surveys: Surveys, cid: str, survey_round: SurveyRound, code: str | None) -> None:
    """The questionnaire of a round, by its open link (`code` None) or by a personal link."""
    t = ctx.t
    instrument = surveys.instrument_of(survey_round)
    with ctx.frame(t.pick(instrument.title), public=True) as main:
        _community_line(ctx, surveys.community_name(cid), survey_round)
        if not survey_round.is_open():
            tx.p(t('respond.closed')).classes('text-lg').mark('respond-closed')
            return
        tx.p(t.pick(instrument.intro))
        notice = (
            ui.expansion(t('respond.notice_toggle'), icon='lock', value=True).classes('w-full').mark('notice-toggle')
        )
        with notice:
            anonymity_notice(t, survey_round.threshold, heading=False)
        body = ui.column().classes('w-full gap-3')
    await ui.context.client.connected()
    key = DRAFT_KEY.format(survey_round.id)
    try:
        stored = await ui.run_javascript(f'localStorage.getItem({json.dumps(key)})', timeout=5)
    except TimeoutError:
        stored = None
    draft = _parse(stored)
    with body:
        if draft.get('done') and code is None:  # an open link: this browser answered (a courtesy, not a guard)
            _already(ctx, cid, survey_round.token)
            return
        Respondent(
            ctx, surveys, cid, survey_round, instrument, draft.get('answers') or {}, key, body, main, code, notice
        )


def _parse(stored: Any) -> dict:
    try:
        value = json.loads(stored) if isinstance(stored, str) else {}
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _already(ctx: PageContext, cid: str, token: str) -> None:
    t = ctx.t
    tx.p(t('respond.already')).classes('text-lg font-medium').mark('respond-already')
    ui.link(t('respond.withdraw.link'), f'/s/{cid}/{token}/withdraw')


class Respondent:
    """One respondent's page: the blocks one at a time, the draft in the browser, the submission."""

    def __init__(
        self,
        ctx: PageContext,
        surveys,
        cid: str,
        survey_round: SurveyRound,
        instrument: Instrument,
        answers: dict,
        key: str,
        body: ui.column,
        main: ui.column,
        code: str | None = None,
        notice: ui.expansion | None = None,
    ) -> None:
        self.ctx, self.t, self.surveys = ctx, ctx.t, surveys
        self.cid, self.round, self.instrument = cid, survey_round, instrument
        self.key, self.body, self.main = key, body, main
        self.code, self.notice = code, notice  # the personal link's code, in this page's memory only
        self.client = ui.context.client  # handlers run in the slot of their button, which a step change deletes
        self.answers = {k: v for k, v in answers.items() if instrument.item(k) is not None}
        self.ticket = surveys.ticket(cid, survey_round.token)
        self.browser = str(app.storage.browser.get('id', ''))  # for the rate limit only, never stored
        self.submitted = False
        self.index = 0
        self.total = len(unanswered(instrument, {}))  # the questions that count: open (text) ones do not
        self.render(focus=False)

    def render(self, focus: bool = True) -> None:
        t, instrument = self.t, self.instrument
        self.body.clear()
        dimension = instrument.dimensions[self.index]
        with self.body:
            heading = (
                tx.h2(
                    t(
                        'respond.step',
                        step=self.index + 1,
                        steps=len(instrument.dimensions),
                        title=t.pick(dimension.title),
                    )
                )
                .props('tabindex=-1')
                .mark('respond-step')
            )
            progress = (
                tx.p(self._progress()).classes('text-sm cop-muted').props('aria-live=polite').mark('respond-progress')
            )
            if dimension.description:
                tx.p(t.pick(dimension.description)).classes('cop-muted')

            async def on_answer(item_id: str, value: Any) -> bool:
                if value in (None, '', []):
                    self.answers.pop(item_id, None)
                else:
                    self.answers[item_id] = value
                self._save_draft()
                progress.set_text(self._progress())
                return True

            numbers = {item.id: n for n, item in enumerate(instrument.items, start=1)}
            for item in dimension.items:
                QuestionCard(
                    t,
                    instrument,
                    item,
                    numbers[item.id],
                    self.answers.get(item.id),
                    on_answer=on_answer,
                    comments=False,
                )
            self.error = ErrorLine().mark('respond-error')
            with ui.row().classes('w-full justify-between gap-2'):
                if self.index > 0:
                    ui.button(t('respond.previous'), icon='arrow_back', on_click=lambda: self.go(-1)).props(
                        'outline'
                    ).mark('respond-previous')
                else:
                    ui.element('span')
                if self.index + 1 < len(instrument.dimensions):
                    ui.button(t('respond.next'), on_click=lambda: self.go(1)).props('icon-right=arrow_forward').mark(
                        'respond-next'
                    )
                else:
                    ui.button(t('respond.submit'), icon='send', on_click=self.submit).mark('respond-submit')
        if focus:  # after a step change the new part's heading comes into view, and screen readers start there
            heading.run_method('scrollIntoView', {'block': 'start'})
            heading.run_method('focus', {'preventScroll': True})

    def _progress(self) -> str:
        done = self.total - len(unanswered(self.instrument, self.answers))
        return self.t('questionnaire.progress', done=done, total=self.total)

    def go(self, step: int) -> None:
        self.index = max(0, min(len(self.instrument.dimensions) - 1, self.index + step))
        if self.notice is not None and self.index > 0:
            self.notice.value = False  # read once: after the first part it folds away (a click opens it again)
        self.render()

    def _save_draft(self) -> None:
        value = json.dumps({'answers': self.answers})
        self.client.run_javascript(f'localStorage.setItem({json.dumps(self.key)}, {json.dumps(value)})')

    async def submit(self) -> None:
        t = self.t
        if self.submitted:
            return
        missing = len(unanswered(self.instrument, self.answers))
        if missing and not await confirm(
            t, t('respond.missing_title'), t('respond.missing', count=missing), t('respond.submit')
        ):
            return
        submitted = await self.ctx.attempt(
            lambda: self.surveys.submit(
                self.cid,
                self.round.token,
                self.ticket,
                self.answers,
                client=self.ctx.client_key,  # read inside: it may itself be refused (a newcomer during a flood)
                browser=self.browser,
                code=self.code,
            ),
            line=self.error,
        )
        if not submitted:
            return
        receipt = submitted.value
        self.submitted = True
        done = json.dumps({'done': True})
        self.client.run_javascript(f'localStorage.setItem({json.dumps(self.key)}, {json.dumps(done)})')
        self.body.clear()
        with self.body:
            heading = tx.h2(t('respond.thanks')).props('tabindex=-1').mark('respond-thanks')
            tx.p(t('respond.receipt_help'))
            with ui.row().classes('items-center gap-3'):
                tx.span(receipt).classes('text-2xl font-mono font-bold tracking-wider').mark('receipt-code')
                copy_button(t, receipt, dense=True)
            ui.link(t('respond.withdraw.link'), f'/s/{self.cid}/{self.round.token}/withdraw')
        heading.run_method('focus')
