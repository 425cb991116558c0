"""A value-creation story as its readers see it: the cycles the writer answered, and who wrote it (or that it is
anonymous). Used by the curation page, the dossier and the officer's coach view."""

from __future__ import annotations

from nicegui import html, ui

from core.i18n import Translator
from core.stories import CYCLES, Story

from . import typography as tx


def story_view(t: Translator, story: Story) -> ui.card:
    with ui.card().classes('w-full gap-1').props('flat bordered').mark('story') as card:
        with html.dl().classes('flex flex-col gap-1'):
            for cycle in CYCLES:
                if story.texts.get(cycle):
                    tx.dt(t(f'story.cycle.{cycle}')).classes('font-medium text-sm')
                    tx.dd(story.texts[cycle]).classes('whitespace-pre-line')
        tx.p(story.author or t('story.anonymous')).classes('text-sm cop-muted')
    return card
