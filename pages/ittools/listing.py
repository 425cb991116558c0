"""The community's comparisons, and starting a new one from a template or from an own choice."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.forms import ErrorLine, clear_field_errors, show_field_error
from components.ittools_access import actor_of
from core.errors import AppError
from core.ittools.codes import display as display_code
from core.ittools.model import LIMITS
from core.ittools.texts import decided_tool_name
from core.roles import Permission
from core.services import Services

from .._base import community_page


def register(services: Services) -> None:
    ittools = services.ittools
    catalogue = services.content.ittools

    @community_page(services, '/c/{cid}/ittools')
    def comparisons_page(ctx: PageContext):
        t = ctx.t
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
                    meeting = meetings.get(comparison.id)
                    with html.li(), ui.card().classes('w-full gap-1').props('flat bordered').mark('comparison-row'):
                        ui.link(comparison.title, f'/c/{cid}/ittools/{comparison.id}').classes(
                            'text-lg font-semibold'
                        ).mark('comparison-link')
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
                                ui.badge(t('ittools.list.meeting', code=display_code(meeting.code))).props(
                                    'color=positive'
                                ).mark('meeting-badge')
                            if comparison.decision is not None:
                                tool = t.pick(decided_tool_name(catalogue, comparison))
                                tx.span(
                                    t('ittools.list.decided', tool=tool, date=t.date(comparison.decision.date))
                                ).classes('text-sm font-medium').mark('decision-badge')

    # -- a new comparison ----------------------------------------------------------------------------------------------

    @community_page(services, '/c/{cid}/ittools/new', Permission.EDIT)
    def new_page(ctx: PageContext):
        t = ctx.t
        cid = ctx.community.id
        actor = actor_of(ittools, ctx)
        with ctx.frame(t('ittools.new.title'), active='ittools'):
            tx.p(t('ittools.new.intro'))
            title = (
                ui.input(t('ittools.field.title'), value=t('ittools.new.default_title'))
                .props(f'outlined maxlength={LIMITS["title"]} counter')
                .classes('w-full')
                .mark('comparison-title')
            )
            with html.fieldset().classes('w-full border rounded p-3'):
                tx.legend(t('ittools.new.start_from')).classes('px-1 font-medium')
                options = {tpl.id: f'{t.pick(tpl.title)} — {t.pick(tpl.description)}' for tpl in catalogue.templates}
                options[''] = t('ittools.new.own_choice')
                template = ui.radio(options, value=catalogue.templates[0].id).mark('template-choice')
            tx.p(t('ittools.new.adjust')).classes('cop-muted text-sm')
            tool_boxes: dict[str, ui.checkbox] = {}
            criterion_boxes: dict[str, ui.checkbox] = {}
            with (
                ui.expansion(t('ittools.new.tools'), icon='apps')
                .classes('w-full border rounded')
                .mark('tools-choice') as tools_panel
            ):
                for tool in catalogue.tools:
                    with ui.row().classes('items-start gap-2 no-wrap'):
                        tool_boxes[tool.id] = ui.checkbox(f'{t.pick(tool.name)} ({t.pick(tool.kind)})').mark(
                            f'tool-{tool.id}'
                        )
                    tx.p(t.pick(tool.description)).classes('text-sm cop-muted ml-10 -mt-2')
            with (
                ui.expansion(t('ittools.new.criteria'), icon='checklist')
                .classes('w-full border rounded')
                .mark('criteria-choice')
            ):
                for group in catalogue.groups:
                    tx.h3(t.pick(group.title))
                    for criterion in group.criteria:
                        criterion_boxes[criterion.id] = ui.checkbox(t.pick(criterion.title)).mark(
                            f'criterion-{criterion.id}'
                        )
                        tx.p(t.pick(criterion.explanation)).classes('text-sm cop-muted ml-10 -mt-2')
            summary = tx.p('').classes('font-medium').props('aria-live=polite').mark('choice-summary')

            def count() -> None:
                summary.set_text(
                    t(
                        'ittools.new.summary',
                        tools=sum(bool(b.value) for b in tool_boxes.values()),
                        criteria=sum(bool(b.value) for b in criterion_boxes.values()),
                    )
                )

            def apply_template() -> None:
                chosen = catalogue.template(template.value or '')
                for tool_id, box in tool_boxes.items():
                    box.value = bool(chosen and tool_id in chosen.tools)
                for criterion_id, box in criterion_boxes.items():
                    box.value = bool(chosen and criterion_id in chosen.criteria)
                if chosen is None:
                    tools_panel.open()
                count()

            template.on_value_change(apply_template)
            for box in [*tool_boxes.values(), *criterion_boxes.values()]:
                box.on_value_change(count)
            apply_template()
            error = ErrorLine()

            async def create() -> None:
                error.clear_text()
                clear_field_errors({'title': title})
                try:
                    comparison = await ittools.create(
                        actor,
                        cid,
                        title.value,
                        template_id=template.value or None,
                        tool_ids=[i for i, b in tool_boxes.items() if b.value],
                        criterion_ids=[i for i, b in criterion_boxes.items() if b.value],
                    )
                except AppError as e:
                    show_field_error({'title': title}, e.field, ctx.error_text(e))
                    error.show(ctx.error_text(e))
                    return
                ctx.go(f'/c/{cid}/ittools/{comparison.id}', t('ittools.new.created', title=comparison.title))

            ui.button(t('ittools.new.submit'), icon='table_chart', on_click=create).mark('create-comparison')

    # -- the matrix, live ----------------------------------------------------------------------------------------------
