"""Pieces shared by the anonymous-survey pages (the member survey, answering it, a session's feedback round): the
anonymity notice, a round's status and its buttons, its link with the QR code.

`ctx` is the page's context (pages._base.PageContext): its translator, community, user and services, captured
when the page was built."""

from __future__ import annotations

from typing import Any

from nicegui import html, ui

from core.errors import AppError
from core.i18n import Translator
from core.survey import SurveyRound

from . import typography as tx
from .forms import copy_field
from .qr import qr_image, qr_png, qr_svg

NOTICE_POINTS = ('stored', 'not_stored', 'order', 'threshold', 'texts', 'receipt')


def survey_link(ctx: Any, survey_round: SurveyRound, lang: str | None = None) -> str:
    base = str(ctx.request.base_url).rstrip('/')
    return f'{base}/s/{ctx.community.id}/{survey_round.token}' + (f'?lang={lang}' if lang else '')


def status_text(t: Translator, survey_round: SurveyRound) -> str:
    if survey_round.status == 'open' and survey_round.expired():
        return t('survey.status.expired', date=t.date(survey_round.closes))
    if survey_round.status == 'open' and survey_round.closes:
        return t('survey.status.open_until', date=t.date(survey_round.closes))
    return t(f'survey.status.{survey_round.status}')


def anonymity_notice(t: Translator, threshold: int) -> None:
    """What is and is not stored, in plain words: the same text for the coordinator and the respondent."""
    with ui.card().classes('w-full bg-blue-50').props('flat bordered').mark('anonymity-notice'):
        tx.h2(t('survey.notice.title'))
        with html.ul().classes('list-disc pl-5 flex flex-col gap-1'):
            for key in NOTICE_POINTS:
                tx.li(t(f'survey.notice.{key}', threshold=threshold))
        ui.link(t('privacy.link_long'), '/privacy').classes('text-sm').mark('survey-privacy')


def status_buttons(ctx: Any, survey_round: SurveyRound, back: str) -> None:
    """Open, close or reopen a round, then come back to `back`."""
    t, cid = ctx.t, ctx.community.id

    async def set_status(status: str) -> None:
        try:
            await ctx.services.surveys.set_status(ctx.user.id, cid, survey_round.id, status)
        except AppError as e:
            ctx.notify_error(e)
            return
        ctx.go(back, t(f'survey.status.now_{status}'))

    if survey_round.status == 'draft':
        ui.button(t('survey.open'), icon='play_arrow', on_click=lambda: set_status('open')).mark('round-open')
    elif survey_round.status == 'open' and not survey_round.expired():
        ui.button(t('survey.close'), icon='stop', on_click=lambda: set_status('closed')).props('outline').mark(
            'round-close'
        )
    else:
        ui.button(t('survey.reopen'), icon='replay', on_click=lambda: set_status('open')).props('outline').mark(
            'round-reopen'
        )


def link_and_qr(ctx: Any, survey_round: SurveyRound, qr_title: str) -> str:
    """The round's link with a copy button, its QR code, and the QR code as PNG and SVG downloads."""
    t = ctx.t
    link = survey_link(ctx, survey_round)
    with ui.element('div').classes('w-full grid gap-4 md:grid-cols-[1fr_auto] items-start'):
        with ui.column().classes('gap-2 w-full'):
            copy_field(t, t('survey.share.link'), link, 'survey-link')
            with ui.row().classes('gap-2'):
                name = f'survey-{survey_round.id}'
                ui.button(
                    t('survey.share.png'),
                    icon='download',
                    on_click=lambda: ui.download.content(qr_png(link), f'{name}.png', 'image/png'),
                ).props('outline dense').mark('qr-png')
                ui.button(
                    t('survey.share.svg'),
                    icon='download',
                    on_click=lambda: ui.download.content(qr_svg(link, qr_title), f'{name}.svg', 'image/svg+xml'),
                ).props('outline dense').mark('qr-svg')
        qr_image(link, t('survey.share.qr_alt'))
    return link
