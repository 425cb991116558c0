"""The tools and criteria of a comparison (from the catalogue or one's own), its title, and deleting it."""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.frame import aria
from components.ittools_access import load_or_error
from components.sources import based_on
from core.ittools import Actor
from core.ittools.model import LIMITS, Comparison
from core.ittools.texts import (
    criterion_explanation,
    criterion_group,
    criterion_title,
    tool_description,
    tool_kind,
    tool_name,
)
from core.roles import Permission
from core.services import Services

from .._base import community_page


def register(services: Services) -> None:
    @community_page(services, '/c/{cid}/ittools/{comparison_id}/setup', Permission.EDIT)
    def setup_page(ctx: PageContext, comparison_id: str):
        loaded = load_or_error(services.ittools, ctx, comparison_id)
        if loaded is not None:
            SetupView(ctx, services, *loaded)


@dataclass(frozen=True)
class Part:
    """The tools or the criteria of a comparison: the same list, picker and own-entry form, with their own words."""

    key: str  # tool | criterion: in markers and message keys
    heading: str
    own_field: str  # the name core gives the own entry's first field (its marker own-<key>-<field>)
    own_limit: str  # its length limit, and the last part of its label's key
    text_field: str  # the own entry's longer text: the last part of its label's key and of its marker
    picker_width: str

    @property
    def own_marker(self) -> str:
        return f'own-{self.key}-{self.own_field}'

    @property
    def text_marker(self) -> str:
        return f'own-{self.key}-{self.text_field}'


TOOLS = Part('tool', 'ittools.setup.tools', 'name', 'tool_name', 'description', 'w-72')
CRITERIA = Part('criterion', 'ittools.setup.criteria', 'title', 'criterion_title', 'explanation', 'w-96 max-w-full')


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    meta: str  # the catalogue's kind or group, or "own"
    text: str
    source: str = ''  # a catalogue tool's or criterion's source ("What is this based on?"); '' for own entries


class SetupView:
    """The setup of one comparison: its title, its tools and criteria, and deleting it."""

    def __init__(self, ctx: PageContext, services: Services, actor: Actor, comparison: Comparison) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.ittools, self.catalogue = services.ittools, services.content.ittools
        self.actor, self.comparison = actor, comparison
        self.cid = ctx.community.id
        self.here = f'/c/{self.cid}/ittools/{comparison.id}/setup'
        t = self.t
        with ctx.frame(t('ittools.setup.title', title=comparison.title), active='ittools'):
            ui.link(t('ittools.nav.back_matrix'), f'/c/{self.cid}/ittools/{comparison.id}').mark('back-to-matrix')
            self._render_title()
            self._render_part(TOOLS, self._tool_rows(), self._remaining_tools())
            self._render_part(CRITERIA, self._criterion_rows(), self._remaining_criteria())
            tx.h2(t('ittools.delete.title')).classes('cop-h2 text-negative')
            tx.p(t('ittools.delete.text'))
            ui.button(t('ittools.delete.action'), icon='delete', color='negative', on_click=self._on_delete).mark(
                'delete-comparison'
            )

    def _saved(self, notice: str = 'common.saved') -> None:
        self.ctx.go(self.here, self.t(notice))

    # -- title and deletion -----------------------------------------------------------------------------------------

    def _render_title(self) -> None:
        t = self.t
        tx.h2(t('ittools.field.title'))
        with ui.row().classes('w-full items-start gap-2'):
            self.title = (
                ui.input(t('ittools.field.title'), value=self.comparison.title)
                .props(f'outlined maxlength={LIMITS["title"]} counter')
                .classes('grow')
                .mark('rename-title')
            )
            ui.button(t('common.save'), on_click=self._on_rename).mark('rename-save')

    async def _on_rename(self) -> None:
        renamed = self.ittools.rename(self.actor, self.cid, self.comparison.id, self.title.value)
        if await self.ctx.attempt(renamed, fields={'title': self.title}):
            self._saved()

    async def _on_delete(self) -> None:
        t, title = self.t, self.comparison.title
        if not await confirm(
            t,
            t('ittools.delete.confirm', title=title),
            t('ittools.delete.text'),
            t('ittools.delete.action'),
            danger=True,
        ):
            return
        if await self.ctx.attempt(self.ittools.delete(self.actor, self.cid, self.comparison.id)):
            self.ctx.go(f'/c/{self.cid}/ittools', t('ittools.delete.done', title=title))

    # -- what the tools and criteria rows show ----------------------------------------------------------------------

    def _tool_rows(self) -> list[Row]:
        t, catalogue = self.t, self.catalogue
        rows = []
        for tool in self.comparison.tools:
            kind, description = tool_kind(catalogue, tool), tool_description(catalogue, tool)
            meta = t.pick(kind) if kind else t('ittools.own')
            found = catalogue.tool(tool.id) if tool.catalogue else None
            source = found.source if found else ''
            rows.append(
                Row(
                    tool.id,
                    t.pick(tool_name(catalogue, tool)),
                    meta,
                    t.pick(description) if description else '',
                    source,
                )
            )
        return rows

    def _criterion_rows(self) -> list[Row]:
        t, catalogue = self.t, self.catalogue
        rows = []
        for criterion in self.comparison.criteria:
            group, explanation = criterion_group(catalogue, criterion), criterion_explanation(catalogue, criterion)
            meta = t.pick(group) if group else t('ittools.own')
            label = t.pick(criterion_title(catalogue, criterion))
            found = catalogue.criterion(criterion.id) if criterion.catalogue else None
            source = found.source if found else ''
            rows.append(Row(criterion.id, label, meta, t.pick(explanation) if explanation else '', source))
        return rows

    def _remaining_tools(self) -> dict[str, str]:
        present = {tool.id for tool in self.comparison.tools}
        return {tool.id: self.t.pick(tool.name) for tool in self.catalogue.tools if tool.id not in present}

    def _remaining_criteria(self) -> dict[str, str]:
        t = self.t
        present = {c.id for c in self.comparison.criteria}
        return {
            c.id: f'{t.pick(c.title)} ({t.pick(g.title)})'
            for g in self.catalogue.groups
            for c in g.criteria
            if c.id not in present
        }

    # -- the tools and the criteria ---------------------------------------------------------------------------------

    def _render_part(self, part: Part, rows: list[Row], remaining: dict[str, str]) -> None:
        t = self.t
        tx.h2(t(part.heading))
        if part is CRITERIA:
            tx.p(t('ittools.setup.criteria_help')).classes('text-sm cop-muted')
        with html.ul().classes('w-full flex flex-col gap-1'):
            for row in rows:
                self._render_row(part, row)
        with ui.row().classes('w-full items-end gap-2'):
            if remaining:
                choice = (
                    ui.select(remaining, label=t(f'ittools.setup.add_catalogue_{part.key}'))
                    .props('outlined dense')
                    .classes(part.picker_width)
                    .mark(f'add-{part.key}-choice')
                )
                ui.button(t('ittools.setup.add'), on_click=lambda: self._on_add(part, choice.value)).props(
                    'outline'
                ).mark(f'add-{part.key}')
        self._render_own(part)

    def _render_row(self, part: Part, row: Row) -> None:
        t = self.t
        with (
            html.li().classes('border-b py-1').mark(f'setup-{part.key}'),
            ui.row().classes('w-full items-start gap-2 no-wrap'),
        ):
            with ui.column().classes('gap-0 grow min-w-0'):
                tx.span(f'{row.label} ({row.meta})').classes('font-medium')
                if row.text:
                    tx.span(row.text).classes('text-sm cop-muted')
                based_on(t, row.source, f'{part.key}-source-{row.id}', kind='entry', about=row.label)
            aria(
                ui.button(icon='delete', on_click=lambda: self._on_remove(part, row)).props('flat round'),
                t(f'ittools.setup.remove_{part.key}', name=row.label),
            ).mark(f'remove-{part.key}')

    def _render_own(self, part: Part) -> None:
        t = self.t
        tx.h3(t(f'ittools.setup.own_{part.key}'))
        own = (
            ui.input(t(f'ittools.field.{part.own_limit}'))
            .props(f'outlined dense maxlength={LIMITS[part.own_limit]}')
            .classes('w-full')
            .mark(part.own_marker)
        )
        text = (
            ui.textarea(t(f'ittools.field.{part.text_field}'))
            .props(f'outlined dense autogrow maxlength={LIMITS["explanation"]}')
            .classes('w-full')
            .mark(part.text_marker)
        )
        ui.button(
            t(f'ittools.setup.add_own_{part.key}'), icon='add', on_click=lambda: self._on_add_own(part, own, text)
        ).props('outline').mark(f'add-own-{part.key}')

    async def _on_remove(self, part: Part, row: Row) -> None:
        t = self.t
        if not await confirm(
            t,
            t(f'ittools.setup.remove_{part.key}', name=row.label),
            t(f'ittools.setup.remove_{part.key}_text'),
            t('ittools.setup.remove'),
            danger=True,
        ):
            return
        remove = self.ittools.remove_tool if part is TOOLS else self.ittools.remove_criterion
        if await self.ctx.attempt(remove(self.actor, self.cid, self.comparison.id, row.id)):
            self._saved()

    async def _on_add(self, part: Part, choice: str | None) -> None:
        if not choice:
            return
        add = self.ittools.add_tool if part is TOOLS else self.ittools.add_criterion
        if await self.ctx.attempt(add(self.actor, self.cid, self.comparison.id, choice)):
            self._saved()

    async def _on_add_own(self, part: Part, own: ui.input, text: ui.textarea) -> None:
        if part is TOOLS:
            added = self.ittools.add_tool(
                self.actor, self.cid, self.comparison.id, name=own.value, description=text.value
            )
        else:
            added = self.ittools.add_criterion(
                self.actor, self.cid, self.comparison.id, title=own.value, explanation=text.value
            )
        if await self.ctx.attempt(added, fields={part.own_field: own}):
            self._saved('ittools.setup.added')
