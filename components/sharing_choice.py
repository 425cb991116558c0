"""What a community shares with its organisation, in plain words: what is always shown, and one checkbox per part
the coordinator may share. The same words are shown to the officers (the portfolio card says what is not shared)."""

from __future__ import annotations

from nicegui import html, ui

from core.i18n import Translator
from core.organisations import ALWAYS, PARTS

from . import typography as tx


class SharingChoice:
    def __init__(self, t: Translator, shared: frozenset[str], *, readonly: bool = False) -> None:
        self.boxes: dict[str, ui.checkbox] = {}
        tx.p(t('share.always_title')).classes('font-medium')
        with html.ul().classes('list-disc pl-6 text-sm').mark('share-always'):
            for fact in ALWAYS:
                tx.li(t(f'share.always.{fact}'))
        with html.fieldset().classes('w-full border rounded p-3').mark('share-parts'):
            tx.legend(t('share.choose')).classes('px-1 font-medium')
            with ui.column().classes('gap-0'):
                for part in PARTS:
                    box = ui.checkbox(t(f'share.part.{part}'), value=part in shared).mark(f'share-{part}')
                    if readonly:
                        box.disable()
                    self.boxes[part] = box
            tx.p(t('share.never')).classes('text-sm cop-muted')

    def chosen(self) -> list[str]:
        return [part for part, box in self.boxes.items() if box.value]
