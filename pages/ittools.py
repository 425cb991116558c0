"""IT-tools comparison, the coordinator's side.

/c/{cid}/ittools                         the community's comparisons; a new one from a template or own choice
/c/{cid}/ittools/{comparison}            the matrix, live, with the meeting panel (start, code, modes, end)
/c/{cid}/ittools/{comparison}/setup      tools and criteria, the title, deleting the comparison
/c/{cid}/ittools/{comparison}/results    ranking chart, the matrix as a table, CSV, the decision record
"""
from __future__ import annotations

import re
from datetime import date

from nicegui import html, ui

from components import nav
from components import typography as tx
from components.dialogs import confirm
from components.forms import ErrorLine, clear_field_errors, show_field_error
from components.frame import aria
from components.ittools_live import LiveMatrix
from components.ittools_widgets import (
    PresenceList,
    RankRow,
    copy_field,
    danger_button,
    qr_image,
    ranking_chart,
    results_table,
    score_legend,
)
from components.matrix import install_css
from core.errors import AppError, NotFound
from core.ittools import Actor, ITTools
from core.ittools.codes import display as display_code
from core.ittools.model import LIMITS, Comparison, cell_key
from core.ittools.report import export_csv
from core.ittools.scoring import weight_shares
from core.ittools.texts import criterion_explanation, criterion_group, criterion_title, tool_description, tool_kind, \
    tool_name
from core.roles import Permission
from core.services import Services

from ._base import PageContext, community_page


def register(services: Services) -> None:
    nav.provide('ittools')
    install_css()
    ittools = services.ittools
    catalogue = services.content.ittools

    def actor_of(ctx: PageContext) -> Actor:
        return ittools.user_actor(ctx.user, ctx.community.id)

    def load(ctx: PageContext, comparison_id: str) -> tuple[Actor, Comparison]:
        actor = actor_of(ctx)
        return actor, ittools.comparison(actor, ctx.community.id, comparison_id)

    # -- the list -------------------------------------------------------------------------------------------------------

    @community_page(services, '/c/{cid}/ittools')
    def comparisons_page(ctx: PageContext):
        t = ctx.t
        cid = ctx.community.id
        editable = ctx.can(Permission.EDIT)
        actor = actor_of(ctx)
        with ctx.frame(t('ittools.title'), active='ittools'):
            tx.p(t('ittools.intro'))
            tx.p(t('ittools.intro_meeting')).classes('cop-muted')
            if editable:
                ui.button(t('ittools.new.action'), icon='add',
                          on_click=lambda: ui.navigate.to(f'/c/{cid}/ittools/new')).mark('new-comparison')
            comparisons = ittools.comparisons(actor, cid)
            tx.h2(t('ittools.list.title'))
            if not comparisons:
                tx.p(t('ittools.list.empty' if editable else 'ittools.list.empty_coach')).mark('no-comparisons')
                return
            with html.ul().classes('w-full flex flex-col gap-2'):
                for comparison in comparisons:
                    meeting = ittools.meeting(cid, comparison.id)
                    with html.li(), ui.card().classes('w-full gap-1').props('flat bordered').mark('comparison-row'):
                        ui.link(comparison.title, f'/c/{cid}/ittools/{comparison.id}') \
                            .classes('text-lg font-semibold').mark('comparison-link')
                        tx.span(t('ittools.list.size', tools=len(comparison.tools), criteria=len(comparison.criteria),
                                  date=t.date(comparison.updated))).classes('text-sm cop-muted')
                        with ui.row().classes('gap-2 items-center'):
                            if meeting is not None:
                                ui.badge(t('ittools.list.meeting', code=display_code(meeting.code))) \
                                    .props('color=positive').mark('meeting-badge')
                            if comparison.decision is not None:
                                chosen = comparison.tool(comparison.decision.tool_id)
                                tool = t.pick(tool_name(catalogue, chosen)) if chosen \
                                    else comparison.decision.tool_name
                                tx.span(t('ittools.list.decided', tool=tool, date=t.date(comparison.decision.date))) \
                                    .classes('text-sm font-medium').mark('decision-badge')

    # -- a new comparison -------------------------------------------------------------------------------------------------

    @community_page(services, '/c/{cid}/ittools/new', Permission.EDIT)
    def new_page(ctx: PageContext):
        t = ctx.t
        cid = ctx.community.id
        actor = actor_of(ctx)
        with ctx.frame(t('ittools.new.title'), active='ittools'):
            tx.p(t('ittools.new.intro'))
            title = ui.input(t('ittools.field.title'), value=t('ittools.new.default_title')) \
                .props(f'outlined maxlength={LIMITS["title"]} counter').classes('w-full').mark('comparison-title')
            with html.fieldset().classes('w-full border rounded p-3'):
                tx.legend(t('ittools.new.start_from')).classes('px-1 font-medium')
                options = {tpl.id: f'{t.pick(tpl.title)} — {t.pick(tpl.description)}' for tpl in catalogue.templates}
                options[''] = t('ittools.new.own_choice')
                template = ui.radio(options, value=catalogue.templates[0].id).mark('template-choice')
            tx.p(t('ittools.new.adjust')).classes('cop-muted text-sm')
            tool_boxes: dict[str, ui.checkbox] = {}
            criterion_boxes: dict[str, ui.checkbox] = {}
            with ui.expansion(t('ittools.new.tools'), icon='apps').classes('w-full border rounded') \
                    .mark('tools-choice') as tools_panel:
                for tool in catalogue.tools:
                    with ui.row().classes('items-start gap-2 no-wrap'):
                        tool_boxes[tool.id] = ui.checkbox(f'{t.pick(tool.name)} ({t.pick(tool.kind)})') \
                            .mark(f'tool-{tool.id}')
                    tx.p(t.pick(tool.description)).classes('text-sm cop-muted ml-10 -mt-2')
            with ui.expansion(t('ittools.new.criteria'), icon='checklist').classes('w-full border rounded') \
                    .mark('criteria-choice'):
                for group in catalogue.groups:
                    tx.h3(t.pick(group.title))
                    for criterion in group.criteria:
                        criterion_boxes[criterion.id] = ui.checkbox(t.pick(criterion.title)) \
                            .mark(f'criterion-{criterion.id}')
                        tx.p(t.pick(criterion.explanation)).classes('text-sm cop-muted ml-10 -mt-2')
            summary = tx.p('').classes('font-medium').props('aria-live=polite').mark('choice-summary')

            def count() -> None:
                summary.set_text(t('ittools.new.summary', tools=sum(b.value for b in tool_boxes.values()),
                                   criteria=sum(b.value for b in criterion_boxes.values())))

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
                        actor, cid, title.value, template_id=template.value or None,
                        tool_ids=[i for i, b in tool_boxes.items() if b.value],
                        criterion_ids=[i for i, b in criterion_boxes.items() if b.value])
                except AppError as e:
                    show_field_error({'title': title}, e.field, ctx.error_text(e))
                    error.show(ctx.error_text(e))
                    return
                ctx.go(f'/c/{cid}/ittools/{comparison.id}', t('ittools.new.created', title=comparison.title))

            ui.button(t('ittools.new.submit'), icon='table_chart', on_click=create).mark('create-comparison')

    # -- the matrix, live ------------------------------------------------------------------------------------------------

    @community_page(services, '/c/{cid}/ittools/{comparison_id}')
    def matrix_page(ctx: PageContext, comparison_id: str):
        from pages import errors
        t = ctx.t
        cid = ctx.community.id
        try:
            actor, comparison = load(ctx, comparison_id)
        except NotFound:
            return errors.not_found_content(ctx)
        editable = ctx.can(Permission.EDIT)
        base = str(ctx.request.base_url).rstrip('/')
        with ctx.frame(comparison.title, active='ittools') as main:
            main.classes(remove='max-w-screen-lg').classes('max-w-screen-2xl')  # a wide matrix on a projector
            with ui.row().classes('gap-x-4 gap-y-1 items-center'):
                ui.link(t('ittools.nav.all'), f'/c/{cid}/ittools').mark('back-to-list')
                ui.link(t('ittools.nav.results'), f'/c/{cid}/ittools/{comparison_id}/results').mark('to-results')
                if editable:
                    ui.link(t('ittools.nav.setup'), f'/c/{cid}/ittools/{comparison_id}/setup').mark('to-setup')

            panel_box = ui.column().classes('w-full')
            mode_line = tx.p('').classes('font-medium').props('role=status').mark('mode-line')
            presence = PresenceList(t, show_progress=True)
            decision_box = ui.column().classes('w-full')
            score_legend(t)
            with ui.row().classes('w-full items-center gap-2'):
                undo_button = ui.button(t('ittools.undo'), icon='undo').props('outline').mark('undo')
                undo_button.disable()
            live = LiveMatrix(ittools, cid, comparison_id, actor, t,
                              on_undo_available=lambda available: undo_button.set_enabled(available))

            async def undo() -> None:
                problem = await live.undo()
                if problem:
                    ui.notify(problem, type='warning', multi_line=True)
                else:
                    ui.notify(t('ittools.undone'))

            undo_button.on_click(undo)

            def render_panel() -> None:
                panel_box.clear()
                meeting = ittools.meeting(cid, comparison_id)
                with panel_box:
                    _meeting_panel(ctx, actor, comparison_id, meeting, base, editable)
                mode_line.set_text(_mode_text(t, meeting, live.rights))

            def render_presence() -> None:
                presence.update(ittools.present(cid, comparison_id), len(live.room.comparison.criteria)
                                * len(live.room.comparison.tools))

            def render_decision() -> None:
                decision_box.clear()
                decision = live.room.comparison.decision
                if decision is None:
                    return
                chosen = live.room.comparison.tool(decision.tool_id)
                tool = t.pick(tool_name(catalogue, chosen)) if chosen else decision.tool_name
                with decision_box, ui.card().classes('w-full bg-green-50').props('flat bordered') \
                        .mark('decision-summary'):
                    tx.p(t('ittools.decision.summary', tool=tool, date=t.date(decision.date))).classes('font-semibold')
                    ui.link(t('ittools.decision.see'), f'/c/{cid}/ittools/{comparison_id}/results')

            def deleted() -> None:
                with main:
                    ui.notify(t('ittools.deleted_elsewhere'), type='warning')
                live.view.set_visibility(False)
                panel_box.clear()

            live.callbacks.update(meeting=render_panel, presence=render_presence, decision=render_decision,
                                  deleted=deleted)
            render_panel()
            render_presence()
            render_decision()

    def _meeting_panel(ctx: PageContext, actor: Actor, comparison_id: str, meeting, base: str,
                       editable: bool) -> None:
        t = ctx.t
        cid = ctx.community.id
        with ui.card().classes('w-full').props('flat bordered').mark('meeting-panel'):
            if meeting is None:
                tx.h2(t('meeting.panel.title')).classes('cop-h3')
                if not editable:
                    tx.p(t('meeting.panel.none_coach'))
                    return
                tx.p(t('meeting.panel.explain'))
                with html.fieldset().classes('w-full border rounded p-3'):
                    tx.legend(t('meeting.panel.mode')).classes('px-1 font-medium')
                    mode = ui.radio({'together': t('meeting.mode.together.choice'),
                                     'private': t('meeting.mode.private.choice')}, value='together') \
                        .mark('start-mode')

                async def start() -> None:
                    try:
                        await ittools.start_meeting(actor, cid, comparison_id, mode=mode.value)
                    except AppError as e:
                        ctx.notify_error(e)

                ui.button(t('meeting.panel.start'), icon='groups', on_click=start).mark('start-meeting')
                return
            link = f'{base}/m/{meeting.code}'
            with ui.row().classes('w-full items-start gap-6'):
                with ui.column().classes('gap-1 grow'):
                    tx.h2(t('meeting.panel.running')).classes('cop-h3')
                    tx.p(t('meeting.panel.join_at', host=f'{base}/m')).classes('text-sm')
                    tx.p(display_code(meeting.code)).classes('text-4xl font-bold tracking-widest') \
                        .mark('meeting-code')
                    copy_field(t('meeting.panel.link'), link, t, 'meeting-link')
                    if editable:
                        ui.button(t('meeting.panel.show_code'), icon='fullscreen',
                                  on_click=lambda: _show_code(t, meeting.code, link)).props('outline') \
                            .mark('show-code')
                qr_image(link, t('meeting.panel.qr_alt', code=display_code(meeting.code))).mark('meeting-qr')
            if not editable:
                return
            with ui.row().classes('w-full items-end gap-3'):
                if meeting.mode == 'private':
                    async def reveal() -> None:
                        await _act(ctx, ittools.set_mode(actor, cid, comparison_id, 'revealed'))
                    ui.button(t('meeting.panel.reveal'), icon='visibility', on_click=reveal).mark('reveal')
                    async def together_now() -> None:
                        await _act(ctx, ittools.set_mode(actor, cid, comparison_id, 'together'))
                    ui.button(t('meeting.panel.to_together'), on_click=together_now).props('outline') \
                        .mark('to-together')
                else:
                    async def private_round() -> None:
                        await _act(ctx, ittools.set_mode(actor, cid, comparison_id, 'private'))
                    ui.button(t('meeting.panel.private_round'), icon='visibility_off', on_click=private_round) \
                        .props('outline').mark('private-round')
                    if meeting.mode == 'revealed':
                        async def adopt() -> None:
                            try:
                                filled = await ittools.adopt_means(actor, cid, comparison_id)
                            except AppError as e:
                                ctx.notify_error(e)
                                return
                            ui.notify(t('meeting.panel.adopted', count=filled))
                        ui.button(t('meeting.panel.adopt'), icon='functions', on_click=adopt).props('outline') \
                            .mark('adopt-means')
                        async def together() -> None:
                            await _act(ctx, ittools.set_mode(actor, cid, comparison_id, 'together'))
                        ui.button(t('meeting.panel.to_together'), on_click=together).props('outline') \
                            .mark('to-together')
                weights = ui.select({p: t(f'meeting.weights.{p}') for p in ('locked', 'coordinator', 'everyone')},
                                    value=meeting.weights, label=t('meeting.panel.weights')) \
                    .props('outlined dense').classes('w-72').mark('weights-policy')

                async def change_policy(e) -> None:  # noqa: ANN001
                    await _act(ctx, ittools.set_weights_policy(actor, cid, comparison_id, e.value))

                weights.on_value_change(change_policy)
                ui.space()

                async def end() -> None:
                    if not await confirm(t, t('meeting.end.title'), t('meeting.end.text'), t('meeting.end.action')):
                        return
                    await _act(ctx, ittools.end_meeting(actor, cid, comparison_id), t('meeting.end.done'))

                danger_button(t('meeting.end.action'), 'stop_circle', end, 'end-meeting')

    async def _act(ctx: PageContext, action, done: str | None = None) -> None:  # noqa: ANN001
        try:
            await action
        except AppError as e:
            ctx.notify_error(e)
            return
        if done:
            ui.notify(done, type='positive')

    def _show_code(t, code: str, link: str) -> None:  # noqa: ANN001
        with ui.dialog().props('maximized') as dialog, ui.card().classes('w-full h-full items-center justify-center'):
            heading = tx.h2(t('meeting.big.title'))
            dialog.props['aria-labelledby'] = heading.html_id
            tx.p(t('meeting.big.go_to', host=link.rsplit('/', 1)[0])).classes('text-2xl')
            tx.p(display_code(code)).classes('text-8xl font-bold tracking-widest').mark('big-code')
            qr_image(link, t('meeting.panel.qr_alt', code=display_code(code)), size='18rem')
            ui.button(t('meeting.big.close'), on_click=dialog.close).mark('close-code')
        dialog.open()

    # -- tools and criteria ------------------------------------------------------------------------------------------------

    @community_page(services, '/c/{cid}/ittools/{comparison_id}/setup', Permission.EDIT)
    def setup_page(ctx: PageContext, comparison_id: str):
        from pages import errors
        t = ctx.t
        cid = ctx.community.id
        try:
            actor, comparison = load(ctx, comparison_id)
        except NotFound:
            return errors.not_found_content(ctx)
        here = f'/c/{cid}/ittools/{comparison_id}/setup'
        with ctx.frame(t('ittools.setup.title', title=comparison.title), active='ittools'):
            ui.link(t('ittools.nav.back_matrix'), f'/c/{cid}/ittools/{comparison_id}').mark('back-to-matrix')
            tx.h2(t('ittools.field.title'))
            with ui.row().classes('w-full items-start gap-2'):
                title = ui.input(t('ittools.field.title'), value=comparison.title) \
                    .props(f'outlined maxlength={LIMITS["title"]} counter').classes('grow').mark('rename-title')

                async def rename() -> None:
                    clear_field_errors({'title': title})
                    try:
                        await ittools.rename(actor, cid, comparison_id, title.value)
                    except AppError as e:
                        show_field_error({'title': title}, e.field, ctx.error_text(e))
                        return
                    ctx.go(here, t('common.saved'))

                ui.button(t('common.save'), on_click=rename).mark('rename-save')

            _tools_section(ctx, actor, comparison, here)
            _criteria_section(ctx, actor, comparison, here)

            tx.h2(t('ittools.delete.title')).classes('cop-h2 text-negative')
            tx.p(t('ittools.delete.text'))

            async def delete() -> None:
                if not await confirm(t, t('ittools.delete.confirm', title=comparison.title), t('ittools.delete.text'),
                                     t('ittools.delete.action'), danger=True):
                    return
                try:
                    await ittools.delete(actor, cid, comparison_id)
                except AppError as e:
                    ctx.notify_error(e)
                    return
                ctx.go(f'/c/{cid}/ittools', t('ittools.delete.done', title=comparison.title))

            ui.button(t('ittools.delete.action'), icon='delete', color='negative', on_click=delete) \
                .mark('delete-comparison')

    def _tools_section(ctx: PageContext, actor: Actor, comparison: Comparison, here: str) -> None:
        t = ctx.t
        cid = ctx.community.id
        tx.h2(t('ittools.setup.tools'))
        with html.ul().classes('w-full flex flex-col gap-1'):
            for tool in comparison.tools:
                label = t.pick(tool_name(catalogue, tool))
                with html.li().classes('flex items-start gap-2 border-b py-1').mark('setup-tool'):
                    with ui.column().classes('gap-0 grow'):
                        kind = tool_kind(catalogue, tool)
                        tx.span(label + (f' ({t.pick(kind)})' if kind else f' ({t("ittools.own")})')) \
                            .classes('font-medium')
                        description = tool_description(catalogue, tool)
                        if description:
                            tx.span(t.pick(description)).classes('text-sm cop-muted')

                    async def remove(tool_id: str = tool.id, label: str = label) -> None:
                        if not await confirm(t, t('ittools.setup.remove_tool', name=label),
                                             t('ittools.setup.remove_tool_text'), t('ittools.setup.remove'),
                                             danger=True):
                            return
                        await _then(ctx, ittools.remove_tool(actor, cid, comparison.id, tool_id), here)

                    aria(ui.button(icon='delete', on_click=remove).props('flat round'),
                         t('ittools.setup.remove_tool', name=label)).mark('remove-tool')
        present = {tool.id for tool in comparison.tools}
        remaining = {tool.id: t.pick(tool.name) for tool in catalogue.tools if tool.id not in present}
        with ui.row().classes('w-full items-end gap-2'):
            if remaining:
                choice = ui.select(remaining, label=t('ittools.setup.add_catalogue_tool')) \
                    .props('outlined dense').classes('w-72').mark('add-tool-choice')

                async def add_catalogue() -> None:
                    if not choice.value:
                        return
                    await _then(ctx, ittools.add_tool(actor, cid, comparison.id, choice.value), here)

                ui.button(t('ittools.setup.add'), on_click=add_catalogue).props('outline').mark('add-tool')
        tx.h3(t('ittools.setup.own_tool'))
        own_name = ui.input(t('ittools.field.tool_name')).props(f'outlined dense maxlength={LIMITS["tool_name"]}') \
            .classes('w-full').mark('own-tool-name')
        own_text = ui.textarea(t('ittools.field.description')) \
            .props(f'outlined dense autogrow maxlength={LIMITS["explanation"]}').classes('w-full') \
            .mark('own-tool-description')

        async def add_own() -> None:
            clear_field_errors({'name': own_name})
            try:
                await ittools.add_tool(actor, cid, comparison.id, name=own_name.value, description=own_text.value)
            except AppError as e:
                if not show_field_error({'name': own_name}, e.field, ctx.error_text(e)):
                    ctx.notify_error(e)
                return
            ctx.go(here, t('ittools.setup.added'))

        ui.button(t('ittools.setup.add_own_tool'), icon='add', on_click=add_own).props('outline').mark('add-own-tool')

    def _criteria_section(ctx: PageContext, actor: Actor, comparison: Comparison, here: str) -> None:
        t = ctx.t
        cid = ctx.community.id
        tx.h2(t('ittools.setup.criteria'))
        tx.p(t('ittools.setup.criteria_help')).classes('text-sm cop-muted')
        with html.ul().classes('w-full flex flex-col gap-1'):
            for criterion in comparison.criteria:
                label = t.pick(criterion_title(catalogue, criterion))
                with html.li().classes('flex items-start gap-2 border-b py-1').mark('setup-criterion'):
                    with ui.column().classes('gap-0 grow'):
                        group = criterion_group(catalogue, criterion)
                        tx.span(label + (f' ({t.pick(group)})' if group else f' ({t("ittools.own")})')) \
                            .classes('font-medium')
                        explanation = criterion_explanation(catalogue, criterion)
                        if explanation:
                            tx.span(t.pick(explanation)).classes('text-sm cop-muted')

                    async def remove(criterion_id: str = criterion.id, label: str = label) -> None:
                        if not await confirm(t, t('ittools.setup.remove_criterion', name=label),
                                             t('ittools.setup.remove_criterion_text'), t('ittools.setup.remove'),
                                             danger=True):
                            return
                        await _then(ctx, ittools.remove_criterion(actor, cid, comparison.id, criterion_id), here)

                    aria(ui.button(icon='delete', on_click=remove).props('flat round'),
                         t('ittools.setup.remove_criterion', name=label)).mark('remove-criterion')
        present = {c.id for c in comparison.criteria}
        remaining = {c.id: f'{t.pick(c.title)} ({t.pick(g.title)})' for g in catalogue.groups for c in g.criteria
                     if c.id not in present}
        with ui.row().classes('w-full items-end gap-2'):
            if remaining:
                choice = ui.select(remaining, label=t('ittools.setup.add_catalogue_criterion')) \
                    .props('outlined dense').classes('w-96 max-w-full').mark('add-criterion-choice')

                async def add_catalogue() -> None:
                    if not choice.value:
                        return
                    await _then(ctx, ittools.add_criterion(actor, cid, comparison.id, choice.value), here)

                ui.button(t('ittools.setup.add'), on_click=add_catalogue).props('outline').mark('add-criterion')
        tx.h3(t('ittools.setup.own_criterion'))
        own_title = ui.input(t('ittools.field.criterion_title')) \
            .props(f'outlined dense maxlength={LIMITS["criterion_title"]}').classes('w-full').mark('own-criterion-title')
        own_text = ui.textarea(t('ittools.field.explanation')) \
            .props(f'outlined dense autogrow maxlength={LIMITS["explanation"]}').classes('w-full') \
            .mark('own-criterion-explanation')

        async def add_own() -> None:
            clear_field_errors({'title': own_title})
            try:
                await ittools.add_criterion(actor, cid, comparison.id, title=own_title.value,
                                            explanation=own_text.value)
            except AppError as e:
                if not show_field_error({'title': own_title}, e.field, ctx.error_text(e)):
                    ctx.notify_error(e)
                return
            ctx.go(here, t('ittools.setup.added'))

        ui.button(t('ittools.setup.add_own_criterion'), icon='add', on_click=add_own).props('outline') \
            .mark('add-own-criterion')

    async def _then(ctx: PageContext, action, here: str) -> None:  # noqa: ANN001
        try:
            await action
        except AppError as e:
            ctx.notify_error(e)
            return
        ctx.go(here, ctx.t('common.saved'))

    # -- results and the decision --------------------------------------------------------------------------------------------

    @community_page(services, '/c/{cid}/ittools/{comparison_id}/results')
    def results_page(ctx: PageContext, comparison_id: str):
        from pages import errors
        t = ctx.t
        cid = ctx.community.id
        try:
            actor, comparison = load(ctx, comparison_id)
        except NotFound:
            return errors.not_found_content(ctx)
        editable = ctx.can(Permission.EDIT)
        meeting = ittools.meeting(cid, comparison_id)
        hidden = meeting is not None and meeting.mode == 'private'
        results = ittools.results(cid, comparison_id)
        names = {tool.id: t.pick(tool_name(catalogue, tool)) for tool in comparison.tools}
        titles = {c.id: t.pick(criterion_title(catalogue, c)) for c in comparison.criteria}
        with ctx.frame(t('ittools.results.title', title=comparison.title), active='ittools'):
            ui.link(t('ittools.nav.back_matrix'), f'/c/{cid}/ittools/{comparison_id}').mark('back-to-matrix')
            if hidden:
                tx.p(t('ittools.results.hidden')).classes('font-medium').mark('results-hidden')
                return
            tx.h2(t('ittools.results.ranking'))
            tx.p(t('ittools.results.how')).classes('text-sm cop-muted')
            rows = [RankRow(rank=r.rank, name=names[r.tool_id], percent_text=t.percent(r.percent),
                            width=r.percent * 100, excluded=r.excluded,
                            failed=', '.join(titles[f] for f in r.failed),
                            detail=t('ittools.results.detail', points=r.points, max=r.max_points, scored=r.scored,
                                     cells=r.cells)) for r in results]
            ranking_chart(t, rows)
            tx.h2(t('ittools.results.matrix'))
            shares = weight_shares(comparison.criteria)
            table_rows = []
            for criterion in comparison.criteria:
                cells = []
                for tool in comparison.tools:
                    key = cell_key(tool.id, criterion.id)
                    score = comparison.score(key)
                    note = comparison.notes.get(key)
                    cells.append((t('ittools.score.none') if score is None
                                   else f'{score} · {t(f"ittools.score.{score}")}', note.value if note else ''))
                table_rows.append({'title': titles[criterion.id], 'weight': criterion.weight,
                                   'share': t.percent(shares[criterion.id]), 'must': criterion.must, 'cells': cells})
            by_tool = {r.tool_id: r for r in results}
            totals = [f'{t.percent(by_tool[tool.id].percent)} · {t("matrix.rank", rank=by_tool[tool.id].rank)}'
                      + (f' · {t("matrix.excluded")}' if by_tool[tool.id].excluded else '') for tool in comparison.tools]
            results_table(t, t('ittools.results.caption', title=comparison.title),
                          [names[tool.id] for tool in comparison.tools], table_rows, totals)

            def download() -> None:
                payload = export_csv(catalogue, ittools.comparison(actor, cid, comparison_id), t)
                ui.download.content(payload, f'{_slug(comparison.title)}.csv', 'text/csv; charset=utf-8')

            ui.button(t('ittools.results.csv'), icon='download', on_click=download).props('outline') \
                .mark('export-csv')
            _decision_section(ctx, actor, comparison, results, names, editable)

    def _decision_section(ctx: PageContext, actor: Actor, comparison: Comparison, results, names: dict[str, str],
                          editable: bool) -> None:
        t = ctx.t
        cid = ctx.community.id
        here = f'/c/{cid}/ittools/{comparison.id}/results'
        tx.h2(t('ittools.decision.title'))
        decision = comparison.decision
        if decision is not None:
            with ui.card().classes('w-full').props('flat bordered').mark('decision-record'):
                tool = names.get(decision.tool_id, decision.tool_name)
                with html.dl().classes('grid grid-cols-[auto_1fr] gap-x-4 gap-y-1'):
                    for term, value in ((t('ittools.decision.tool'), tool),
                                        (t('ittools.decision.date'), t.date(decision.date)),
                                        (t('ittools.decision.rationale'), decision.rationale),
                                        (t('ittools.decision.recorded'),
                                         t('ittools.decision.recorded_by', name=decision.recorded_by,
                                           date=t.date(decision.recorded_at)))):
                        tx.dt(term).classes('font-medium')
                        tx.dd(value).classes('whitespace-pre-wrap')
        elif not editable:
            tx.p(t('ittools.decision.none')).mark('no-decision')
        if not editable:
            return
        tx.h3(t('ittools.decision.change' if decision else 'ittools.decision.record'))
        by_tool = {r.tool_id: r for r in results}
        options = {}
        for tool_id, name in names.items():
            result = by_tool[tool_id]
            label = t('ittools.decision.option', name=name, rank=result.rank, pct=t.percent(result.percent))
            options[tool_id] = label + (f' — {t("matrix.excluded")}' if result.excluded else '')
        first = results[0].tool_id if results else None
        tool = ui.select(options, value=decision.tool_id if decision else first, label=t('ittools.decision.tool')) \
            .props('outlined').classes('w-full max-w-xl').mark('decision-tool')
        warning = tx.p('').classes('text-sm text-negative').props('aria-live=polite').mark('decision-warning')

        def check_excluded() -> None:
            result = by_tool.get(tool.value or '')
            warning.set_text(t('ittools.decision.excluded_warning') if result and result.excluded else '')

        tool.on_value_change(check_excluded)
        check_excluded()
        day = ui.input(t('ittools.decision.date'), value=decision.date if decision else date.today().isoformat()) \
            .props('outlined type=date').classes('w-56').mark('decision-date')
        rationale = ui.textarea(t('ittools.decision.rationale'), value=decision.rationale if decision else '') \
            .props(f'outlined autogrow maxlength={LIMITS["rationale"]} counter').classes('w-full') \
            .mark('decision-rationale')
        rationale.props['hint'] = t('ittools.decision.rationale_hint')
        fields = {'tool': tool, 'date': day, 'rationale': rationale}

        async def save() -> None:
            clear_field_errors(fields)
            try:
                await ittools.record_decision(actor, cid, comparison.id, tool.value, rationale.value, day.value)
            except AppError as e:
                if not show_field_error(fields, e.field, ctx.error_text(e)):
                    ctx.notify_error(e)
                return
            ctx.go(here, t('ittools.decision.saved'))

        with ui.row().classes('gap-2'):
            ui.button(t('ittools.decision.save'), icon='gavel', on_click=save).mark('decision-save')
            if decision is not None:
                async def clear() -> None:
                    if not await confirm(t, t('ittools.decision.clear_title'), t('ittools.decision.clear_text'),
                                         t('ittools.decision.clear'), danger=True):
                        return
                    await _then(ctx, ittools.clear_decision(actor, cid, comparison.id), here)

                ui.button(t('ittools.decision.clear'), on_click=clear).props('flat color=negative') \
                    .mark('decision-clear')


def _mode_text(t, meeting, rights) -> str:  # noqa: ANN001
    if meeting is None:
        return t('meeting.mode.none')
    if meeting.mode == 'private':
        return t('meeting.mode.private.status' if rights.cells else 'meeting.mode.private.status_viewer')
    if meeting.mode == 'revealed':
        return t('meeting.mode.revealed.status')
    return t('meeting.mode.together.status')


def _slug(name: str) -> str:
    return re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')[:60] or 'comparison'
