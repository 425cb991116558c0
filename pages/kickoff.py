"""Kick-off scenario builder: the community's scenarios, the editor, the print views and the PDFs.

/c/{cid}/kickoff                      scenarios, new from a template or empty
/c/{cid}/kickoff/{sid}                the editor (co-)coordinators; a read-only script for coaches
/c/{cid}/kickoff/{sid}/print?version=script|agenda   a clean page for the browser's print
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from nicegui import background_tasks, html, run, ui

from components import nav
from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.error_pages import not_found_content
from components.frame import aria
from components.kickoff_blocks import BlockCard, set_field_error
from components.kickoff_blocks import install_css as install_block_css
from components.kickoff_checklist import ChecklistEditor
from components.kickoff_library import END, START, MethodLibrary
from components.kickoff_view import install_view_css, scenario_view
from components.needs_results import needs_results
from components.undo import UndoBar
from core.communities import file_slug
from core.errors import AppError, NotFound
from core.kickoff import LIMITS, MODES, CheckItem, Scenario, scenario_data
from core.kickoff.texts import duration_text, timing_text, when_text
from core.needs import for_script as needs_for_script
from core.roles import Permission
from core.services import Services

from ._base import community_page
from ._kickoff_invite import KickoffInviteView

log = logging.getLogger(__name__)
VERSIONS = ('script', 'agenda')
SAVE_DELAY = 0.8  # seconds of quiet typing before a field is saved (and at once when it loses focus)


def register(services: Services) -> None:
    install_block_css()
    install_view_css()
    nav.provide('kickoff', lambda ctx: _status(services, ctx))

    @community_page(services, '/c/{cid}/kickoff')
    def scenarios_page(ctx: PageContext):
        ScenarioList(ctx, services)

    @community_page(services, '/c/{cid}/kickoff/{sid}')
    def editor_page(ctx: PageContext, sid: str):
        _editor_page(ctx, services, sid)

    @community_page(services, '/c/{cid}/kickoff/{sid}/print')
    def print_page(ctx: PageContext, sid: str, version: str = 'script'):
        _print_page(ctx, services, sid, version)


def _status(services: Services, ctx: PageContext) -> str:
    """The kick-off's line on the community dashboard."""
    plan = services.kickoff.current(ctx.user.id, ctx.community.id)
    if plan is None:
        return ctx.t('kickoff.dashboard.none')
    if plan.date:
        return ctx.t('kickoff.dashboard.dated', title=plan.title, date=ctx.t.date(plan.date))
    return ctx.t('kickoff.dashboard.plan', title=plan.title)


class ScenarioList:
    """The community's scenarios (make one the plan, duplicate, delete with undo) and the ways to start a new one."""

    def __init__(self, ctx: PageContext, services: Services) -> None:
        self.ctx, self.t = ctx, ctx.t
        self.kickoff, self.catalogue = services.kickoff, services.content.kickoff
        self.uid, self.cid = ctx.user.id, ctx.community.id
        self.editable = ctx.can(Permission.EDIT)
        with ctx.frame(self.t('kickoff.title'), active='kickoff'):
            tx.p(self.t('kickoff.intro'))
            self.undo = UndoBar(self.t)
            tx.h2(self.t('kickoff.list.title'))
            self.listing = ui.element('div').classes('w-full')
            self._render_list()
            if self.editable:
                self._render_new()

    # -- the list ---------------------------------------------------------------------------------------------------

    def _render_list(self) -> None:
        self.listing.clear()
        with self.listing:
            scenarios = self.kickoff.scenarios(self.uid, self.cid)
            if not scenarios:
                empty = 'kickoff.list.empty' if self.editable else 'kickoff.list.empty_coach'
                tx.p(self.t(empty)).mark('no-scenarios')
                return
            with html.ul().classes('w-full flex flex-col gap-2'):
                for scenario in scenarios:
                    with html.li():
                        self._render_row(scenario)

    def _render_row(self, scenario: Scenario) -> None:
        t = self.t
        data = scenario_data(scenario, self.catalogue, self.ctx.lang)
        with ui.card().classes('w-full gap-1').props('flat bordered').mark('scenario-row'):
            with ui.row().classes('w-full items-center gap-2'):
                ui.link(scenario.title, f'/c/{self.cid}/kickoff/{scenario.id}').classes('text-lg font-semibold').mark(
                    'scenario-link'
                )
                if scenario.current:
                    ui.badge(t('kickoff.plan_badge')).props('color=positive').mark('plan-badge')
            tx.span(
                f'{when_text(t, data)} · {duration_text(t, data["total"])} · '
                f'{t("kickoff.blocks_count", n=len(data["blocks"]))}'
            ).classes('text-sm cop-muted')
            if self.editable:
                self._render_row_actions(scenario)

    def _render_row_actions(self, scenario: Scenario) -> None:
        t, sid, title = self.t, scenario.id, scenario.title
        with ui.row().classes('gap-2'):
            if not scenario.current:
                ui.button(t('kickoff.make_plan'), icon='star', on_click=lambda: self._on_make_plan(scenario)).props(
                    'flat dense no-caps'
                ).mark('scenario-make-plan', f'make-plan-{sid}')
            for action, icon, handler, props in (
                ('duplicate', 'content_copy', self._on_duplicate, 'flat dense no-caps'),
                ('delete', 'delete', self._on_delete, 'flat dense no-caps color=negative'),
            ):
                button = ui.button(t(f'kickoff.{action}_scenario'), icon=icon, on_click=partial(handler, scenario))
                aria(button.props(props), t(f'kickoff.{action}_named', title=title)).mark(
                    f'scenario-{action}', f'scenario-{action}-{sid}'
                )

    async def _on_make_plan(self, scenario: Scenario) -> None:
        if await self.ctx.attempt(self.kickoff.set_current(self.uid, self.cid, scenario.id)):
            ui.notify(self.t('kickoff.made_plan', title=scenario.title), type='positive')
            self._render_list()

    async def _on_duplicate(self, scenario: Scenario) -> None:
        title = self.t('kickoff.copy_title', title=scenario.title)
        copy = await self.ctx.attempt(self.kickoff.duplicate(self.uid, self.cid, scenario.id, title))
        if copy:
            ui.notify(self.t('kickoff.duplicated', title=copy.value.title), type='positive')
            self._render_list()

    async def _on_delete(self, scenario: Scenario) -> None:
        t = self.t
        if not await confirm(
            t,
            t('kickoff.delete.confirm_title', title=scenario.title),
            t('kickoff.delete.confirm_text'),
            t('kickoff.delete_scenario'),
            danger=True,
        ):
            return
        removed = await self.ctx.attempt(self.kickoff.delete(self.uid, self.cid, scenario.id))
        if not removed:
            return
        self._render_list()

        async def restore() -> str:
            await self.kickoff.restore(self.uid, self.cid, removed.value)
            self._render_list()
            return t('kickoff.restored', title=removed.value.title)

        self.undo.offer(t('kickoff.delete.done', title=removed.value.title), restore)

    # -- a new scenario ---------------------------------------------------------------------------------------------

    def _render_new(self) -> None:
        t = self.t
        tx.h2(t('kickoff.new.title'))
        tx.p(t('kickoff.new.help'))
        with html.ul().classes('grid gap-3 w-full sm:grid-cols-2'):
            for template in self.catalogue.templates:
                self._render_template(template)
            with html.li(), ui.card().classes('w-full h-full').props('flat bordered').mark('template-blank'):
                tx.h3(t('kickoff.new.blank'))
                tx.p(t('kickoff.new.blank_text')).classes('text-sm grow')
                ui.button(
                    t('kickoff.new.blank_action'),
                    icon='add',
                    on_click=lambda: self._on_create(None, t('kickoff.new.blank_title')),
                ).props('outline no-caps').mark('template-use-blank')

    def _render_template(self, template: Any) -> None:
        t = self.t
        title = t.pick(template.title)
        with html.li(), ui.card().classes('w-full h-full').props('flat bordered').mark(f'template-{template.id}'):
            tx.h3(title)
            tx.span(
                t(
                    'kickoff.template.meta',
                    duration=duration_text(t, template.total),
                    mode=t(f'kickoff.mode.{template.mode}'),
                    blocks=len(template.blocks),
                )
            ).classes('text-sm cop-muted')
            tx.p(t.pick(template.description)).classes('text-sm grow')
            aria(
                ui.button(t('kickoff.new.use_short'), icon='add', on_click=lambda: self._on_create(template.id, title)),
                t('kickoff.new.use', title=title),
            ).props('no-caps').mark('template-use', f'use-{template.id}')

    async def _on_create(self, template_id: str | None, title: str) -> None:
        created = await self.ctx.attempt(
            self.kickoff.create(self.uid, self.cid, title=title, lang=self.ctx.lang, template_id=template_id)
        )
        if created:
            scenario = created.value
            self.ctx.go(f'/c/{self.cid}/kickoff/{scenario.id}', self.t('kickoff.new.created', title=scenario.title))


def _editor_page(ctx: PageContext, services: Services, sid: str) -> None:
    """The editor for those who may edit; the script, read-only, for the others."""
    try:
        scenario = services.kickoff.get(ctx.user.id, ctx.community.id, sid)
    except NotFound:
        not_found_content(ctx)
        return
    if ctx.can(Permission.EDIT):
        Editor(ctx, services, scenario).render()
        return
    t = ctx.t
    with ctx.frame(scenario.title, active='kickoff'):
        ui.link(t('kickoff.to_list'), f'/c/{ctx.community.id}/kickoff').classes('cop-noprint')
        tx.p(t('kickoff.read_only')).classes('cop-muted').mark('read-only-note')
        _output(ctx, services, scenario)
        scenario_view(t, scenario_data(scenario, services.content.kickoff, ctx.lang), 'script')


def _print_page(ctx: PageContext, services: Services, sid: str, version: str) -> None:
    """A clean page for the browser's print: the script or the agenda."""
    try:
        scenario = services.kickoff.get(ctx.user.id, ctx.community.id, sid)
    except NotFound:
        not_found_content(ctx)
        return
    version = version if version in VERSIONS else 'script'
    t = ctx.t
    cid = ctx.community.id
    other = 'agenda' if version == 'script' else 'script'
    with ctx.frame(scenario.title, active='kickoff'):
        with ui.row().classes('cop-noprint items-center gap-3 wrap'):
            ui.button(t('kickoff.print.now'), icon='print', on_click=lambda: ui.run_javascript('window.print()')).mark(
                'print-now'
            )
            _pdf_button(ctx, services, scenario.id, version)
            ui.link(t(f'kickoff.print.other_{other}'), f'/c/{cid}/kickoff/{sid}/print?version={other}').mark(
                'print-other'
            )
            ui.link(t('kickoff.print.back'), f'/c/{cid}/kickoff/{sid}').mark('print-back')
        scenario_view(t, scenario_data(scenario, services.content.kickoff, ctx.lang), version, ctx.community.name)


def _output(ctx: PageContext, services: Services, scenario: Scenario) -> None:
    """The print views (new tab) and the PDFs of a scenario."""
    t = ctx.t
    base = f'/c/{ctx.community.id}/kickoff/{scenario.id}/print'
    with ui.card().classes('w-full gap-2 cop-noprint').props('flat bordered').mark('kickoff-output'):
        tx.h2(t('kickoff.output.title'))
        with ui.row().classes('items-center gap-x-4 gap-y-2 wrap'):
            for version in VERSIONS:
                with (
                    ui.link(target=f'{base}?version={version}', new_tab=True)
                    .classes('flex items-center gap-1')
                    .mark(f'print-{version}')
                ):
                    ui.icon('print').props('aria-hidden=true')
                    tx.span(t(f'kickoff.print.{version}'))
            for version in VERSIONS:
                _pdf_button(ctx, services, scenario.id, version)


def _pdf_button(ctx: PageContext, services: Services, sid: str, version: str) -> None:
    t = ctx.t

    async def download() -> None:
        found = ctx.attempt_now(lambda: services.kickoff.get(ctx.user.id, ctx.community.id, sid))
        if not found:
            return
        scenario = found.value
        data = scenario_data(scenario, services.content.kickoff, ctx.lang)
        data['needs'] = needs_for_script(services.needs.latest(ctx.user.id, ctx.community.id), t)
        from core.pdf.kickoff import agenda_pdf, script_pdf  # ReportLab on the first PDF, not at start-up

        builder = script_pdf if version == 'script' else agenda_pdf
        button.props('loading')
        try:
            pdf = await run.io_bound(builder, data, t, community=ctx.community.name, author=ctx.user.name)
        except Exception:  # a bug in a document must not cost the user the page: say so, log it
            log.warning('PDF %s of scenario %s failed', version, sid, exc_info=True)
            ui.notify(t('kickoff.pdf.failed'), type='negative')
            return
        finally:
            button.props(remove='loading')
        if pdf is None:  # the server is stopping: nothing to hand over
            return
        ui.download.content(
            pdf, f'{file_slug(scenario.title, "kick-off")}-{t(f"kickoff.file.{version}")}.pdf', 'application/pdf'
        )

    button = (
        ui.button(t(f'kickoff.pdf.{version}'), icon='picture_as_pdf', on_click=download)
        .props('outline no-caps')
        .mark(f'pdf-{version}')
    )


class Editor:
    """The editor of one scenario: every change saved through core, every update made in place."""

    def __init__(self, ctx: PageContext, services: Services, scenario: Scenario) -> None:
        self.ctx, self.t, self.services = ctx, ctx.t, services
        self.kickoff, self.catalogue = services.kickoff, services.content.kickoff
        self.uid, self.cid, self.sid = ctx.user.id, ctx.community.id, scenario.id
        self.scenario = scenario
        self.cards: dict[str, BlockCard] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.settings: dict[str, ui.element] = {}
        self.checklists: dict[str, ChecklistEditor] = {}
        self.needs = services.needs.latest(self.uid, self.cid)  # released results only, for the 'needs' blocks

    # -- building ---------------------------------------------------------------------------------------------------

    def render(self) -> None:
        t, scenario = self.t, self.scenario
        with self.ctx.frame(scenario.title, active='kickoff', heading=False):
            ui.link(t('kickoff.to_list'), f'/c/{self.cid}/kickoff')
            self.h1 = tx.h1(scenario.title).mark('scenario-title')
            self.status = (
                tx.p(t('kickoff.saved'))
                .classes('text-sm cop-muted')
                .props('role=status aria-live=polite')
                .mark('save-status')
            )
            with ui.row().classes('items-center gap-2'):
                self.plan_note = tx.p(t('kickoff.is_plan')).classes('text-sm').mark('plan-note')
                self.plan_button = (
                    ui.button(t('kickoff.make_plan'), icon='star', on_click=self._make_plan)
                    .props('outline dense no-caps')
                    .mark('make-plan')
                )
            self._show_plan(scenario.current)
            self._settings()
            _output(self.ctx, self.services, scenario)
            KickoffInviteView(self.ctx, self.services, scenario.id)  # the participants, by mail with an .ics
            self._blocks()
            for name in ('preparation', 'follow_up'):
                tx.h2(t(f'kickoff.{name}.title'))
                self.checklists[name] = ChecklistEditor(
                    t,
                    name,
                    scenario.checklist(name),
                    on_toggle=self._toggle_check,
                    on_add=self._add_check,
                    on_remove=self._remove_check,
                )
        self.apply(scenario)

    def _settings(self) -> None:
        t, s = self.t, self.scenario
        with ui.card().classes('w-full gap-2').props('flat bordered').mark('scenario-settings'):
            tx.h2(t('kickoff.editor.settings'))
            with ui.element('div').classes('w-full grid gap-2 sm:grid-cols-2 lg:grid-cols-4'):
                self._setting(
                    'title',
                    ui.input(t('kickoff.field.title'), value=s.title).props(f'maxlength={LIMITS["title"]} counter'),
                    wide=True,
                )
                self._setting('date', ui.input(t('kickoff.field.date'), value=s.date).props('type=date'))
                self._setting('start', ui.input(t('kickoff.field.start'), value=s.start).props('type=time'))
                self._setting(
                    'planned_end',
                    ui.input(t('kickoff.field.planned_end'), value=s.planned_end).props('type=time clearable'),
                )
                mode = (
                    ui.select({m: t(f'kickoff.mode.{m}') for m in MODES}, value=s.mode, label=t('kickoff.field.mode'))
                    .props('outlined dense')
                    .mark('scenario-mode')
                )
                mode.on_value_change(lambda e: self._debounce('mode', e.value, 'set'))
                self.settings['mode'] = mode
                self._setting(
                    'location',
                    ui.input(t('kickoff.field.location'), value=s.location).props(f'maxlength={LIMITS["location"]}'),
                    wide=True,
                )
            self.timing = tx.p('').classes('font-medium').props('role=status aria-live=polite').mark('timing-summary')
            with ui.expansion(t('kickoff.people.title')).classes('w-full').props('dense').mark('people'):
                tx.p(t('kickoff.people.help')).classes('text-sm')
                with ui.element('div').classes('w-full grid gap-2 sm:grid-cols-2'):
                    for role in self.catalogue.roles:
                        field = (
                            ui.input(
                                t('kickoff.people.field', role=t.pick(role.label)), value=s.people.get(role.id, '')
                            )
                            .props(f'outlined dense maxlength={LIMITS["person"]}')
                            .mark(f'person-{role.id}')
                        )
                        key = f'person_{role.id}'
                        self.settings[key] = field
                        field.on_value_change(lambda e, k=key: self._debounce(k, e.value, 'type'))
                        field.on('blur', lambda f=field, k=key: self._debounce(k, f.value, 'blur'))

    def _setting(self, name: str, field: ui.input, wide: bool = False) -> None:
        field.props('outlined dense').mark(f'scenario-{name}')
        if wide:
            field.classes('sm:col-span-2')
        self.settings[name] = field
        field.on_value_change(lambda e: self._debounce(name, e.value, 'type'))
        field.on('blur', lambda: self._debounce(name, field.value, 'blur'))

    def _blocks(self) -> None:
        t = self.t
        tx.h2(t('kickoff.blocks.title'))
        tx.p(t('kickoff.blocks.help')).classes('text-sm cop-muted')
        self.announcer = tx.p('').classes('text-sm font-medium').props('role=status aria-live=polite').mark('announcer')
        self.undo = UndoBar(t)
        self.container = ui.column().classes('w-full gap-2').mark('blocks')
        with self.container:
            for block in self.scenario.blocks:
                self._card(block)
        self.empty = tx.p(t('kickoff.blocks.empty')).classes('cop-muted').mark('blocks-empty')
        ui.button(t('kickoff.block.add'), icon='add', on_click=self._add_block).props('outline no-caps').mark(
            'block-add'
        )
        with (
            ui.expansion(t('kickoff.library.title'), icon='menu_book')
            .classes('w-full')
            .props('header-class="text-lg font-semibold"')
            .mark('library')
        ):
            self.library = MethodLibrary(t, self.catalogue, self._insert_method)

    def _card(self, block: Any, index: int | None = None, expanded: bool = False) -> BlockCard:
        with self.container:
            card = BlockCard(
                self.t,
                self.catalogue,
                block,
                on_field=self._block_field,
                on_move=self._move,
                on_duplicate=self._duplicate,
                on_delete=self._delete,
                on_drop=self._drop,
                expanded=expanded,
                source=self._source(block),
            )
            if block.kind == 'needs':
                with card.card:
                    needs_results(self.t, self.needs, self.cid)
        if index is not None:
            card.card.move(target_index=index)
        self.cards[block.id] = card
        return card

    def _source(self, block: Any) -> str:
        return self.catalogue.block_source(self.scenario.template, block.kind, block.method)

    # -- showing state ----------------------------------------------------------------------------------------------

    def apply(self, scenario: Scenario) -> None:
        """Bring clock times, positions, titles and the timing summary up to date, in place."""
        self.scenario = scenario
        timing = scenario.timing
        count = len(scenario.blocks)
        for position, (block, slot) in enumerate(zip(scenario.blocks, timing.slots, strict=True), 1):
            card = self.cards.get(block.id)
            if card is None:
                continue
            card.set_source(self._source(block))
            if card.title != block.title:
                card.set_title(block.title)
            card.set_slot(slot, position, count)
        self.timing.set_text(timing_text(self.t, timing))
        self.timing.classes(replace='font-medium' + (' text-negative' if timing.overrun else ''))
        self.empty.set_visibility(count == 0)
        self.library.set_blocks([(b.id, b.title) for b in scenario.blocks])

    def _status(self, key: str, **params: Any) -> None:
        self.status.set_text(self.t(key, **params))
        self.status.classes(
            replace='text-sm ' + ('text-negative font-medium' if key == 'kickoff.not_saved' else 'cop-muted')
        )

    def _failed(self, error: AppError) -> None:
        self._status('kickoff.not_saved', error=self.ctx.error_text(error))

    def _announce(self, text: str) -> None:
        self.announcer.set_text(text)

    def _show_plan(self, current: bool) -> None:
        self.plan_note.set_visibility(current)
        self.plan_button.set_visibility(not current)

    # -- saving fields ----------------------------------------------------------------------------------------------

    def _debounce(self, key: str, value: Any, mode: str) -> Awaitable[None] | None:
        """mode 'type': save after a pause in typing; 'blur': save now what is still waiting; 'set': save now
        (select, checkbox). Typed text stays in the field whatever happens: a refused value is shown with its
        reason and kept for the user to fix."""
        task = self.pending.pop(key, None)
        if task is not None:
            task.cancel()
        if mode == 'blur' and task is None:
            return None
        if mode in ('blur', 'set'):
            return self._save(key, value)

        async def later() -> None:
            await asyncio.sleep(SAVE_DELAY)
            self.pending.pop(key, None)
            await self._save(key, value)

        self._status('kickoff.saving')
        self.pending[key] = background_tasks.create(later(), name=f'save {key}')
        return None

    async def _save(self, key: str, value: Any) -> None:
        if ':' in key:
            bid, name = key.split(':', 1)
            await self._save_block(bid, name, value)
        elif key.startswith('person_'):
            await self._save_person(key, value)
        else:
            await self._save_setting(key, value)

    async def _save_setting(self, name: str, value: Any) -> None:
        field = self.settings[name]
        saved = await self.ctx.attempt(
            self.kickoff.update(self.uid, self.cid, self.sid, {name: value}),
            **self._refusal(lambda text: set_field_error(field, text)),
        )
        if not saved:
            return
        scenario = saved.value
        set_field_error(field, None)
        if name == 'title':
            self.h1.set_text(scenario.title)
        self.apply(scenario)
        self._status('kickoff.saved')

    async def _save_person(self, key: str, value: Any) -> None:
        field = self.settings[key]
        saved = await self.ctx.attempt(
            self.kickoff.set_person(self.uid, self.cid, self.sid, key.removeprefix('person_'), value or ''),
            **self._refusal(lambda text: set_field_error(field, text)),
        )
        if not saved:
            return
        set_field_error(field, None)
        self.scenario = saved.value
        self._status('kickoff.saved')

    def _block_field(self, bid: str, name: str, value: Any, mode: str) -> Awaitable[None] | None:
        return self._debounce(f'{bid}:{name}', value, mode)

    async def _save_block(self, bid: str, name: str, value: Any) -> None:
        card = self.cards.get(bid)
        if card is None:
            return
        saved = await self.ctx.attempt(
            self.kickoff.update_block(self.uid, self.cid, self.sid, bid, {name: value}),
            notify=False,
            on_error=lambda e: (card.show_error(e.field or name, self.ctx.error_text(e)), self._failed(e)),
        )
        if not saved:
            return
        card.clear_error(name)
        self.apply(saved.value)
        self._status('kickoff.saved')

    # -- blocks -----------------------------------------------------------------------------------------------------

    def _index(self, bid: str) -> int:
        return next((i for i, b in enumerate(self.scenario.blocks) if b.id == bid), -1)

    def _refusal(self, show: Callable[[str], Any] | None = None) -> dict[str, Any]:
        """How the editor shows a refusal (`ctx.attempt`'s keywords): at `show` (under a field, in a checklist), or
        as a notification; and in the save status."""

        def on_error(error: AppError) -> None:
            if show is not None:
                show(self.ctx.error_text(error))
            self._failed(error)

        return {'on_error': on_error, 'notify': show is None}

    async def _call(self, action: Callable[[], Awaitable[Any]]) -> Any:
        done = await self.ctx.attempt(action, **self._refusal())
        if not done:
            return None
        self._status('kickoff.saved')
        return done.value

    async def _move(self, bid: str, direction: int) -> None:
        index = self._index(bid)
        target = index + direction
        if index < 0 or not 0 <= target < len(self.scenario.blocks):
            return
        await self._move_to(bid, target)
        self.cards[bid].focus_move_button(direction)

    async def _move_to(self, bid: str, target: int) -> None:
        scenario = await self._call(lambda: self.kickoff.move_block(self.uid, self.cid, self.sid, bid, target))
        if scenario is None:
            return
        self.cards[bid].card.move(target_index=target)
        self.apply(scenario)
        self._announce_at('kickoff.block.moved', bid)

    def _announce_at(self, key: str, bid: str) -> None:
        index = self._index(bid)
        if index < 0:
            return
        block, slot = self.scenario.blocks[index], self.scenario.timing.slots[index]
        self._announce(
            self.t(
                key,
                title=block.title,
                position=index + 1,
                count=len(self.scenario.blocks),
                start=slot.start_text,
                end=slot.end_text,
            )
        )

    async def _drop(self, dragged: str, target: str) -> None:
        if dragged == target or dragged not in self.cards or target not in self.cards:
            return
        await self._move_to(dragged, self._index(target))

    async def _duplicate(self, bid: str) -> None:
        result = await self._call(lambda: self.kickoff.duplicate_block(self.uid, self.cid, self.sid, bid))
        if result is None:
            return
        scenario, block = result
        self._card(block, scenario.blocks.index(block))
        self.apply(scenario)
        self._announce_at('kickoff.block.added', block.id)

    async def _delete(self, bid: str) -> None:
        result = await self._call(lambda: self.kickoff.delete_block(self.uid, self.cid, self.sid, bid))
        if result is None:
            return
        scenario, block, index = result
        card = self.cards.pop(bid)
        card.card.delete()
        self.apply(scenario)

        async def restore() -> str:
            restored = await self.kickoff.restore_block(self.uid, self.cid, self.sid, block, index)
            self._card(block, restored.blocks.index(restored.block(block.id)))
            self.apply(restored)
            return self.t('kickoff.block.restored', title=block.title, position=self._index(block.id) + 1)

        self.undo.offer(self.t('kickoff.block.deleted', title=block.title), restore)
        self._announce(self.t('kickoff.block.deleted', title=block.title))

    async def _add_block(self) -> None:
        result = await self._call(
            lambda: self.kickoff.add_block(self.uid, self.cid, self.sid, {'title': self.t('kickoff.block.new_title')})
        )
        if result is None:
            return
        scenario, block = result
        card = self._card(block, expanded=True)
        self.apply(scenario)
        self._announce_at('kickoff.block.added', block.id)
        card.fields['title'].run_method('focus')

    async def _insert_method(self, method_id: str, position: str) -> None:
        index = 0 if position == START else None if position == END else self._index(position) + 1
        result = await self._call(
            lambda: self.kickoff.insert_method(self.uid, self.cid, self.sid, method_id, self.ctx.lang, index)
        )
        if result is None:
            return
        scenario, block = result
        card = self._card(block, scenario.blocks.index(block))
        self.apply(scenario)
        self._announce_at('kickoff.block.added', block.id)
        card.card.client.run_javascript(
            f'document.getElementById("{card.card.html_id}")?.scrollIntoView({{block: "center"}})'
        )

    async def _make_plan(self) -> None:
        scenario = await self._call(lambda: self.kickoff.set_current(self.uid, self.cid, self.sid))
        if scenario is not None:
            self._show_plan(True)
            ui.notify(self.t('kickoff.made_plan', title=scenario.title), type='positive')

    # -- checklists -------------------------------------------------------------------------------------------------

    async def _toggle_check(self, name: str, item_id: str, done: bool) -> bool:
        """False when the tick was not saved: the checklist sets it back."""
        return (
            await self._call(lambda: self.kickoff.set_check(self.uid, self.cid, self.sid, name, item_id, done))
            is not None
        )

    async def _add_check(self, name: str, text: str) -> CheckItem | None:
        added = await self.ctx.attempt(
            self.kickoff.add_check(self.uid, self.cid, self.sid, name, text),
            **self._refusal(self.checklists[name].show_error),
        )
        if not added:
            return None
        self._status('kickoff.saved')
        return added.value[1]

    async def _remove_check(self, name: str, item_id: str) -> None:
        result = await self._call(lambda: self.kickoff.delete_check(self.uid, self.cid, self.sid, name, item_id))
        if result is None:
            return
        _, item, index = result
        self.checklists[name].remove_row(item_id)

        async def restore() -> str:
            scenario, restored = await self.kickoff.restore_check(self.uid, self.cid, self.sid, name, item, index)
            self.scenario = scenario
            self.checklists[name].insert_row(restored, scenario.checklist(name).index(restored))
            return self.t('kickoff.saved')

        self.undo.offer(self.t('kickoff.check.removed', text=item.text[:60]), restore)
