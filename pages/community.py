"""A community: creating one, its dashboard, its settings (edit, export, delete) and importing an export."""

from __future__ import annotations

from nicegui import events, html, ui

from components import typography as tx
from components.community_form import community_form
from components.context import PageContext
from components.dialogs import confirm
from components.forms import ErrorLine, form_values
from components.journey_banner import step_href
from components.nav import PARTS, part_href, part_status
from components.sign_in import unconfirmed_notice
from components.upload import file_picker
from core.communities import MAX_IMPORT_BYTES, Community, file_slug
from core.errors import ValidationError
from core.journey import STEPS, resume_at
from core.roles import Permission
from core.services import Services

from ._base import community_page, page


def register(services: Services) -> None:
    @page(services, '/c/new', login=True)
    def new_community(ctx: PageContext):
        _new_community(ctx, services)

    @community_page(services, '/c/{cid}')
    def dashboard(ctx: PageContext):
        _dashboard(ctx, services)

    @community_page(services, '/c/{cid}/settings')
    def settings(ctx: PageContext):
        SettingsView(ctx, services)

    @page(services, '/import', login=True)
    def import_page(ctx: PageContext):
        _import(ctx, services)


def _new_community(ctx: PageContext, services: Services) -> None:
    t = ctx.t
    with ctx.frame(t('community.new.title'), active='communities'):
        tx.p(t('community.new.intro'))
        if unconfirmed_notice(ctx):  # an address not confirmed yet: says why, and offers the link again
            return
        with ui.card().classes('w-full').props('flat bordered'):
            fields = community_form(t, services.content.stages)
            error = ErrorLine()

            async def create() -> None:
                created = services.communities.create(ctx.user.id, form_values(fields))
                if community := (await ctx.attempt(created, fields=fields, line=error)).value:
                    ctx.go(f'/c/{community.id}', t('community.new.created', name=community.name))

            ui.button(t('community.new.submit'), on_click=create).mark('create-community')


def _dashboard(ctx: PageContext, services: Services) -> None:
    """The community at a glance, the journey's next step while it is under way, and the parts with their state."""
    t = ctx.t
    community = ctx.community
    with ctx.frame(community.name, active='dashboard'):
        _summary(ctx, services)
        next_step = _next_step(ctx, services) if ctx.can(Permission.EDIT) else None
        if next_step is not None:
            _next_step_card(ctx, *next_step)
        tx.h2(t('dashboard.parts'))
        with html.ul().classes('grid gap-3 w-full sm:grid-cols-2 lg:grid-cols-3'):
            for part in PARTS:
                highlighted = next_step is not None and part.key == 'journey'
                classes = 'w-full h-full' + (' border-primary border-2' if highlighted else '')
                with html.li(), ui.card().classes(classes).props('flat bordered').mark(f'part-{part.key}'):
                    with ui.row().classes('items-center gap-2 no-wrap'):
                        ui.icon(part.icon, size='sm').props('aria-hidden=true').classes('text-primary')
                        ui.link(t(f'nav.{part.key}'), part_href(part, community.id)).classes('font-semibold')
                    tx.p(t(f'part.{part.key}.summary')).classes('text-sm cop-muted')
                    if (status := part_status(part.key, ctx)) is not None:
                        tx.span(status).classes('text-sm font-medium').mark(f'status-{part.key}')


def _summary(ctx: PageContext, services: Services) -> None:
    t, community = ctx.t, ctx.community
    with ui.card().classes('w-full').props('flat bordered').mark('community-summary'):
        if community.purpose:
            tx.p(community.purpose).classes('text-lg')
        stage = services.content.stage(community.stage)
        with html.dl().classes('grid grid-cols-[auto_1fr] gap-x-4 gap-y-1'):
            _term(
                t('community.field.stage'),
                f'{t.pick(stage.title)} — {t.pick(stage.explanation)}' if stage else community.stage,
            )
            if community.sponsor:
                _term(t('community.field.sponsor'), community.sponsor)
            if community.expected_members:
                _term(t('community.field.expected_members'), t.number(community.expected_members))
            _term(t('community.field.language'), t(f'lang.{community.language}'))
            _term(t('community.your_role'), t(f'role.{ctx.role.value}'))
        tx.p(t('dashboard.phase_vs_stage')).classes('text-sm cop-muted').mark('phase-stage-note')
        if ctx.can(Permission.EDIT):
            ui.link(t('community.edit'), f'/c/{community.id}/settings').mark('edit-community')


class SettingsView:
    """A community's settings: its fields, the export of its file, and deleting it."""

    def __init__(self, ctx: PageContext, services: Services) -> None:
        self.ctx, self.t, self.services = ctx, ctx.t, services
        self.communities = services.communities
        self.community = ctx.community
        t = self.t
        editable = ctx.can(Permission.EDIT)
        with ctx.frame(t('settings.title', name=self.community.name), active='settings'):
            if not editable:
                tx.p(t('settings.read_only')).classes('cop-muted').mark('read-only-note')
            with ui.card().classes('w-full').props('flat bordered'):
                self.fields = community_form(t, services.content.stages, self.community, readonly=not editable)
                self.error = ErrorLine()
                if editable:
                    ui.button(t('common.save'), on_click=self._on_save).mark('save-community')
            if editable:
                tx.h2(t('export.title'))
                tx.p(t('export.text'))
                ui.button(t('export.action'), icon='download', on_click=self._on_export).props('outline').mark(
                    'export-community'
                )
            if ctx.can(Permission.MANAGE):
                tx.h2(t('delete.title')).classes('cop-h2 text-negative')
                tx.p(t('delete.text'))
                ui.button(t('delete.action'), icon='delete_forever', color='negative', on_click=self._on_delete).mark(
                    'delete-community'
                )

    async def _on_save(self) -> None:
        saved = self.communities.update(self.ctx.user.id, self.community.id, form_values(self.fields))
        if await self.ctx.attempt(saved, fields=self.fields, line=self.error):
            self.ctx.go(f'/c/{self.community.id}/settings', self.t('common.saved'))

    def _on_export(self) -> None:
        uid, community = self.ctx.user.id, self.community
        exported = self.ctx.attempt_now(lambda: self.communities.export(uid, community.id))
        if exported:
            self.services.exportlog.note(uid, community.id, 'community_file')
            ui.download.content(exported.value, f'{file_slug(community.name)}.cop.json', 'application/json')

    async def _on_delete(self) -> None:
        t, name = self.t, self.community.name
        if not await confirm(
            t,
            t('delete.confirm_title', name=name),
            t('delete.confirm_text'),
            t('delete.action'),
            danger=True,
            type_to_confirm=name,
        ):
            return
        if await self.ctx.attempt(self.communities.delete(self.ctx.user.id, self.community.id)):
            self.ctx.go('/', t('delete.done', name=name))


def _import(ctx: PageContext, services: Services) -> None:
    """A community from an exported file."""
    t = ctx.t
    too_large = MAX_IMPORT_BYTES // (1024 * 1024)
    with ctx.frame(t('import.title'), active='communities'):
        tx.p(t('import.text'))
        error = ErrorLine().mark('import-error')

        async def received(e: events.UploadEventArguments) -> None:
            async def imported() -> Community:
                if e.file.size() > MAX_IMPORT_BYTES:
                    raise ValidationError('import.error.too_large', max=too_large)
                return await services.communities.import_(ctx.user.id, await e.file.read())

            done = await ctx.attempt(imported, line=error, on_error=lambda _: upload.reset())
            if community := done.value:
                ctx.go(f'/c/{community.id}', t('import.done', name=community.name))

        upload = file_picker(
            t('import.choose'),
            on_upload=received,
            accept='.json,application/json',
            max_file_size=MAX_IMPORT_BYTES,
            on_rejected=lambda: error.show(t('import.error.too_large', max=too_large)),
            on_failed=lambda: error.show(t('import.error.not_sent', max=too_large)),
        )
        upload.mark('import-upload')


def _next_step(ctx: PageContext, services: Services) -> tuple[str, int, int] | None:
    """The journey's next step for a community still on its way (None once every step is done or skipped):
    (step, its number, steps done)."""
    steps = services.journey.progress(ctx.user.id, ctx.community.id)
    if all(not s.open for s in steps):
        return None
    step = resume_at(steps)
    return step, STEPS.index(step) + 1, sum(s.done for s in steps)


def _next_step_card(ctx: PageContext, step: str, number: int, done: int) -> None:
    """What to do next, above the nine parts: a new community is not left to choose among equal cards."""
    t, cid = ctx.t, ctx.community.id
    with ui.card().classes('w-full gap-2 bg-blue-50 border-primary').props('flat bordered').mark('next-step'):
        tx.h2(t('dashboard.next.title'))
        tx.p(
            t('dashboard.next.text', number=number, total=len(STEPS), name=t(f'journey.step.{step}'), done=done)
        ).classes('text-lg')
        with ui.row().classes('items-center gap-3'):
            ui.button(
                t('dashboard.next.action', name=t(f'journey.step.{step}')),
                icon='arrow_forward',
                on_click=lambda: ui.navigate.to(f'{step_href(step, cid)}?journey={step}'),
            ).mark('next-step-open')
            ui.link(t('dashboard.next.all'), f'/c/{cid}/journey').mark('next-step-all')


def _term(term: str, value: str) -> None:
    tx.dt(term).classes('font-medium')
    tx.dd(value)
