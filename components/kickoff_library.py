"""The method library beside the kick-off editor: filter by kind, search, read a method, insert it as a block."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import html, ui

from core.i18n import Translator
from core.kickoff import CATEGORIES, KickoffCatalogue, Method

from . import typography as tx
from .frame import aria
from .sources import based_on

END = 'end'
START = 'start'


class MethodLibrary:
    """`on_insert(method_id, position)`: position is START, END or the id of the block to insert after."""

    def __init__(
        self, t: Translator, catalogue: KickoffCatalogue, on_insert: Callable[[str, str], Awaitable[None]]
    ) -> None:
        self.t = t
        self.methods = catalogue.methods
        self.on_insert = on_insert
        self.items: dict[str, ui.element] = {}
        with ui.column().classes('w-full gap-2').mark('method-library'):
            tx.p(t('kickoff.library.help')).classes('text-sm')
            with ui.row().classes('w-full gap-2 items-end wrap'):
                self.category = (
                    ui.select(
                        {'': t('kickoff.library.all')} | {c: t(f'kickoff.category.{c}') for c in CATEGORIES},
                        value='',
                        label=t('kickoff.library.category'),
                        on_change=self._filter,
                    )
                    .props('outlined dense')
                    .classes('w-48')
                    .mark('library-category')
                )
                self.search = (
                    ui.input(t('kickoff.library.search'), on_change=self._filter)
                    .props('outlined dense clearable type=search')
                    .classes('grow')
                    .mark('library-search')
                )
                self.position = (
                    ui.select(
                        {START: t('kickoff.library.at_start'), END: t('kickoff.library.at_end')},
                        value=END,
                        label=t('kickoff.library.position'),
                    )
                    .props('outlined dense')
                    .classes('w-64')
                    .mark('library-position')
                )
            self.count = tx.p('').classes('text-sm cop-muted').props('role=status aria-live=polite')
            with html.ul().classes('w-full flex flex-col gap-2'):
                for method in self.methods:
                    with html.li().classes('w-full') as item:
                        self._method(method)
                    self.items[method.id] = item
            self.none = tx.p(t('kickoff.library.none')).classes('cop-muted')
        self._filter()

    def _method(self, method: Method) -> None:
        t = self.t
        with ui.card().classes('w-full gap-1').props('flat bordered').mark(f'method-{method.id}'):
            with ui.row().classes('w-full items-start gap-2 no-wrap'):
                with ui.column().classes('gap-0 grow min-w-0'):
                    tx.h3(t.pick(method.title))
                    tx.span(
                        f'{t(f"kickoff.category.{method.category}")} · '
                        + t(
                            'kickoff.library.facts',
                            group_min=method.group_min,
                            group_max=method.group_max,
                            duration_min=method.duration_min,
                            duration_max=method.duration_max,
                        )
                    ).classes('text-sm cop-muted')
                aria(
                    ui.button(
                        t('kickoff.library.insert'),
                        icon='add',
                        on_click=lambda m=method.id: self.on_insert(m, self.position.value or END),
                    ).props('outline dense no-caps'),
                    t('kickoff.library.insert_named', title=t.pick(method.title)),
                ).mark('method-insert', f'insert-{method.id}')
            tx.p(t.pick(method.purpose)).classes('text-sm')
            based_on(t, method.source, f'method-source-{method.id}', kind='entry', about=t.pick(method.title))
            with ui.expansion(t('kickoff.library.steps')).classes('w-full').props('dense'):
                with html.ol().classes('list-decimal pl-6 text-sm flex flex-col gap-1'):
                    for step in method.steps:
                        tx.li(t.pick(step))
                tx.p(f'{t("kickoff.field.materials")}: {t.pick(method.materials)}').classes('text-sm')
                tx.p(f'{t("kickoff.library.online")}: {t.pick(method.online)}').classes('text-sm')

    def set_blocks(self, blocks: list[tuple[str, str]]) -> None:
        """The blocks a method can be inserted after: (id, title) in order."""
        t = self.t
        options = {START: t('kickoff.library.at_start')}
        options |= {bid: t('kickoff.library.after', title=title) for bid, title in blocks}
        options[END] = t('kickoff.library.at_end')
        self.position.set_options(options, value=self.position.value if self.position.value in options else END)

    def _filter(self) -> None:
        category = self.category.value or ''
        needle = (self.search.value or '').strip().casefold()
        shown = 0
        for method in self.methods:
            haystack = ' '.join([self.t.pick(method.title), self.t.pick(method.purpose)]).casefold()
            visible = (not category or method.category == category) and (not needle or needle in haystack)
            self.items[method.id].set_visibility(visible)
            shown += visible
        self.count.set_text(self.t('kickoff.library.count', n=shown))
        self.none.set_visibility(shown == 0)
