"""The community's comparisons, and starting a new one from a template or from an own choice."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.forms import ErrorLine
from components.ittools_access import actor_of
from components.sources import based_on
from core.ittools.codes import display as display_code
from core.ittools.model import LIMITS, Comparison, Meeting
from core.ittools.texts import decided_tool_name
from core.roles import Permission
from core.services import Services

from .._base import community_page


def register(services: Services) -> None:
    @community_page(services, '/c/{cid}/ittools')
    def comparisons_page(ctx: PageContext):
        _comparisons(ctx, services)

    @community_page(services, '/c/{cid}/ittools/new', Permission.EDIT)
    def new_page(ctx: PageContext):
        NewComparison(ctx, services)


def _comparisons(ctx: PageContext, services: Services) -> None:
    """The community's comparisons: size, running meeting, decision."""
    t, ittools = ctx.t, services.ittools
    cid = ctx.community.id
    editable = ctx.can(Permission.EDIT)
    actor = actor_of(ittools, ctx)
    with ctx.frame(t('ittools.title'), active='ittools'):
        tx.p(t('ittools.intro'))
        tx.p(t('ittools.intro_meeting')).classes('cop-muted')
        if editable:
            ui.button(
                t('ittools.new.action'), icon='add', on_click=lambda: ui.navigate.to(f'/c/{cid}/ittools/new')
            ).mark('new-comparison')
        comparisons = ittools.comparisons(actor, cid)
        tx.h2(t('ittools.list.title'))
        if not comparisons:
            tx.p(t('ittools.list.empty' if editable else 'ittools.list.empty_coach')).mark('no-comparisons')
            return
        meetings = ittools.active_meetings(actor, cid)
        with html.ul().classes('w-full flex flex-col gap-2'):
            for comparison in comparisons:
                _comparison_row(ctx, services, comparison, meetings.get(comparison.id))


def _comparison_row(ctx: PageContext, services: Services, comparison: Comparison, meeting: Meeting | None) -> None:
    t, cid = ctx.t, ctx.community.id
    with html.li(), ui.card().classes('w-full gap-1').props('flat bordered').mark('comparison-row'):
        ui.link(comparison.title, f'/c/{cid}/ittools/{comparison.id}').classes('text-lg font-semibold').mark(
            'comparison-link'
        )
        tx.span(
            t(
                'ittools.list.size',
                tools=len(comparison.tools),
                criteria=len(comparison.criteria),
                date=t.date(comparison.updated),
            )
        ).classes('text-sm cop-muted')
        with ui.row().classes('gap-2 items-center'):
            if meeting is not None:
                ui.badge(t('ittools.list.meeting', code=display_code(meeting.code))).props('color=positive').mark(
                    'meeting-badge'
                )
            if comparison.decision is not None:
                tool = t.pick(decided_tool_name(services.content.ittools, comparison))
                tx.span(t('ittools.list.decided', tool=tool, date=t.date(comparison.decision.date))).classes(
                    'text-sm font-medium'
                ).mark('decision-badge')


class NewComparison:
    """A new comparison: its title, a template or an own choice of tools and criteria (adjustable either way)."""

    def __init__(self, ctx: PageContext, services: Services) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.ittools, self.catalogue = services.ittools, services.content.ittools
        self.cid = ctx.community.id
        self.actor = actor_of(self.ittools, ctx)
        self.tool_boxes: dict[str, ui.checkbox] = {}
        self.criterion_boxes: dict[str, ui.checkbox] = {}
        # the tools prospective members already use, from the needs survey's released results (none below threshold)
        self.needs = services.needs.latest(ctx.user.id, self.cid)
        self.in_use = {tool_id for tool_id, _ in self.needs.tools()} if self.needs else set()
        t = self.t
        with ctx.frame(t('ittools.new.title'), active='ittools'):
            tx.p(t('ittools.new.intro'))
            self.title = (
                ui.input(t('ittools.field.title'), value=t('ittools.new.default_title'))
                .props(f'outlined maxlength={LIMITS["title"]} counter')
                .classes('w-full')
                .mark('comparison-title')
            )
            with html.fieldset().classes('w-full border rounded p-3'):
                tx.legend(t('ittools.new.start_from')).classes('px-1 font-medium')
                options = {
                    tpl.id: f'{t.pick(tpl.title)} — {t.pick(tpl.description)}' for tpl in self.catalogue.templates
                }
                options[''] = t('ittools.new.own_choice')
                self.template = ui.radio(options, value=self.catalogue.templates[0].id).mark('template-choice')
            tx.p(t('ittools.new.adjust')).classes('cop-muted text-sm')
            self._render_needs_hint()
            self._render_tools()
            self._render_criteria()
            self.summary = tx.p('').classes('font-medium').props('aria-live=polite').mark('choice-summary')
            self.template.on_value_change(self._on_template)
            for box in [*self.tool_boxes.values(), *self.criterion_boxes.values()]:
                box.on_value_change(self._on_count)
            self._on_template()
            self.error = ErrorLine()
            ui.button(t('ittools.new.submit'), icon='table_chart', on_click=self._on_create).mark('create-comparison')

    def _render_needs_hint(self) -> None:
        """The tools already in use according to the needs survey; an own choice starts with them ticked."""
        if not self.needs or not self.in_use:
            return
        t = self.t
        names = [t.pick(tool.name) for tool in self.catalogue.tools if tool.id in self.in_use]
        with ui.row().classes('items-start gap-2 no-wrap').mark('needs-tools-hint'):
            ui.icon('lightbulb').classes('text-primary').props('aria-hidden=true')
            tx.p(t('needs.tools.hint', count=self.needs.count, tools=', '.join(names))).classes('text-sm')

    def _render_tools(self) -> None:
        t = self.t
        with (
            ui.expansion(t('ittools.new.tools'), icon='apps')
            .classes('w-full border rounded')
            .mark('tools-choice') as self.tools_panel
        ):
            for tool in self.catalogue.tools:
                with ui.row().classes('items-start gap-2 no-wrap'):
                    self.tool_boxes[tool.id] = ui.checkbox(f'{t.pick(tool.name)} ({t.pick(tool.kind)})').mark(
                        f'tool-{tool.id}'
                    )
                with ui.column().classes('gap-0 ml-10 -mt-2'):
                    tx.p(t.pick(tool.description)).classes('text-sm cop-muted')
                    based_on(t, tool.source, f'tool-source-{tool.id}', kind='entry', about=t.pick(tool.name))

    def _render_criteria(self) -> None:
        t = self.t
        with (
            ui.expansion(t('ittools.new.criteria'), icon='checklist')
            .classes('w-full border rounded')
            .mark('criteria-choice')
        ):
            for group in self.catalogue.groups:
                tx.h3(t.pick(group.title))
                for criterion in group.criteria:
                    self.criterion_boxes[criterion.id] = ui.checkbox(t.pick(criterion.title)).mark(
                        f'criterion-{criterion.id}'
                    )
                    with ui.column().classes('gap-0 ml-10 -mt-2'):
                        tx.p(t.pick(criterion.explanation)).classes('text-sm cop-muted')
                        based_on(
                            t,
                            criterion.source,
                            f'criterion-source-{criterion.id}',
                            kind='entry',
                            about=t.pick(criterion.title),
                        )

    def _on_count(self) -> None:
        self.summary.set_text(
            self.t(
                'ittools.new.summary',
                tools=sum(bool(b.value) for b in self.tool_boxes.values()),
                criteria=sum(bool(b.value) for b in self.criterion_boxes.values()),
            )
        )

    def _on_template(self) -> None:
        chosen = self.catalogue.template(self.template.value or '')
        for tool_id, box in self.tool_boxes.items():
            box.value = tool_id in chosen.tools if chosen else tool_id in self.in_use
        for criterion_id, box in self.criterion_boxes.items():
            box.value = bool(chosen and criterion_id in chosen.criteria)
        if chosen is None:
            self.tools_panel.open()
        self._on_count()

    async def _on_create(self) -> None:
        created = await self.ctx.attempt(
            self.ittools.create(
                self.actor,
                self.cid,
                self.title.value,
                template_id=self.template.value or None,
                tool_ids=[i for i, b in self.tool_boxes.items() if b.value],
                criterion_ids=[i for i, b in self.criterion_boxes.items() if b.value],
            ),
            fields={'title': self.title},
            line=self.error,
        )
        if created:
            comparison = created.value
            self.ctx.go(f'/c/{self.cid}/ittools/{comparison.id}', self.t('ittools.new.created', title=comparison.title))
