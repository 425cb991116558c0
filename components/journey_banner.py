"""The journey's banner on a step's tool page: where the coordinator is and, once the step's work is done, the way on.

While a coordinator is in the journey (they opened it for this community and did not close the guidance), every page
of a step's tool shows the banner. Which communities' journeys a visitor is in is kept in their session.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from core.changes import Changed, Changes
from core.i18n import Translator
from core.journey import STEPS, Journey, Step, next_after

from . import typography as tx
from .actions import attempt_now
from .frame import aria
from .live import follow
from .nav import PARTS, part_href

JOURNEY = 'journey'  # session key: the communities whose journey this visitor is in
END = 'dossier'  # ?step= of the journey's closing page
PAGE_STEP = {'settings': 'basics', **{s: s for s in STEPS}}  # a page's `active` entry -> the step it serves


def step_href(step: str, cid: str) -> str:
    """Where a step's tool lives: the part of the same name, or the community's settings for its basics."""
    part = next((p for p in PARTS if p.key == step), None)
    return part_href(part, cid) if part else f'/c/{cid}/settings'


def tool_href(step: str, cid: str) -> str:
    """A step's tool, opened from the journey."""
    return f'{step_href(step, cid)}?journey={step}'


def in_journey(session: Any, cid: str) -> bool:
    return cid in (session.get(JOURNEY) or [])


def join_journey(session: Any, cid: str) -> None:
    if not in_journey(session, cid):
        session[JOURNEY] = [*(session.get(JOURNEY) or []), cid]


def leave_journey(session: Any, cid: str) -> None:
    session[JOURNEY] = [c for c in session.get(JOURNEY) or [] if c != cid]


def banner_step(session: Any, cid: str, asked: str | None, active: str | None) -> str | None:
    """The step whose banner a page shows: the one it was opened for (?journey=step, which joins the journey), or
    the one its part serves; None when the visitor is not in this community's journey."""
    if asked in STEPS:
        join_journey(session, cid)
    step = asked if asked in STEPS else PAGE_STEP.get(active or '')
    return step if step is not None and in_journey(session, cid) else None


class JourneyBanner:
    """The banner of one step, for one visitor; it looks again whenever `refresh` is called."""

    def __init__(
        self, journey: Journey, changes: Changes, t: Translator, session: Any, uid: str, cid: str, step: str
    ) -> None:
        self.journey, self.t, self.session = journey, t, session
        self.uid, self.cid, self.step = uid, cid, step
        self.index = STEPS.index(step)
        self.done = False
        self.card = (
            ui.card().classes('w-full bg-blue-50 cop-noprint gap-1').props('flat bordered').mark('journey-banner')
        )
        self.refresh()
        # the step's work may be finished on this very page (an action dated), or by someone else: look again then
        follow(changes, cid, self.card, self._on_change)

    def _on_change(self, change: Changed) -> None:
        self.refresh()

    def _progress(self) -> list[Step]:
        # the banner is a guide, not the page: without progress (no longer a member...) it stays away, silently
        return attempt_now(self.t, lambda: self.journey.progress(self.uid, self.cid), notify=False).value or []

    def refresh(self) -> None:
        """Draw the banner afresh (the step's work may have been finished meanwhile, here or by someone else)."""
        if self.card.is_deleted or not self.card.visible:
            return
        steps = self._progress()
        self.card.clear()
        with self.card:
            if steps:
                self.done = steps[self.index].done
                self._render(steps)

    def _render(self, steps: list[Step]) -> None:
        t, step = self.t, self.step
        with ui.row().classes('w-full items-center gap-x-3 gap-y-2'):
            tx.span(
                t('journey.banner', number=self.index + 1, total=len(STEPS), name=t(f'journey.step.{step}'))
            ).classes('font-medium').mark('journey-banner-step')
            ui.space()
            ui.link(t('journey.back'), f'/c/{self.cid}/journey?step={step}').mark('journey-back')
            aria(
                ui.button(icon='close', on_click=self._on_close).props('flat round dense size=sm'), t('journey.close')
            ).mark('journey-close')
        if not self.done:
            tx.p(t(f'journey.todo.{step}')).classes('text-sm').mark('journey-todo')
            return
        self._render_next(next_after(steps, step))

    def _render_next(self, following: str | None) -> None:
        t, cid = self.t, self.cid
        with ui.row().classes('w-full items-center gap-3'):
            tx.span(t('journey.step_done')).classes('font-medium text-positive').mark('journey-step-done')
            if following is not None:
                ui.button(
                    t('journey.done_next', number=STEPS.index(following) + 1, name=t(f'journey.step.{following}')),
                    icon='arrow_forward',
                    on_click=lambda: ui.navigate.to(tool_href(following, cid)),
                ).mark('journey-done-next')
            else:
                ui.button(
                    t('journey.to_end'), icon='flag', on_click=lambda: ui.navigate.to(f'/c/{cid}/journey?step={END}')
                ).mark('journey-done-next')

    def _on_close(self) -> None:
        leave_journey(self.session, self.cid)
        self.card.set_visibility(False)
        ui.notify(self.t('journey.closed'))
