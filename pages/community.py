"""A community: creating one, its dashboard, its settings (edit, export, delete) and importing an export."""

from __future__ import annotations

from nicegui import events, html, ui

from components import typography as tx
from components.community_form import community_form
from components.context import PageContext
from components.dialogs import confirm
from components.forms import ErrorLine, clear_field_errors, form_values, show_field_error
from components.journey_banner import step_href
from components.nav import PARTS, part_href, part_status
from components.upload import file_picker
from core.communities import MAX_IMPORT_BYTES, file_slug
from core.errors import AppError, ValidationError
from core.journey import STEPS, resume_at
from core.roles import Permission
from core.services import Services

from ._base import community_page, page


def register(services: Services) -> None:
    communities = services.communities
    stages = services.content.stages

    @page(services, '/c/new', login=True)
    def new_community(ctx: PageContext):
        t = ctx.t
        with ctx.frame(t('community.new.title'), active='communities'):
            tx.p(t('community.new.intro'))
            with ui.card().classes('w-full').props('flat bordered'):
                fields = community_form(t, stages)
                error = ErrorLine()

                async def create() -> None:
                    error.clear_text()
                    clear_field_errors(fields)
                    try:
                        community = await communities.create(ctx.user.id, form_values(fields))
                    except AppError as e:
                        show_field_error(fields, e.field, ctx.error_text(e))
                        error.show(ctx.error_text(e))
                        return
                    ctx.go(f'/c/{community.id}', t('community.new.created', name=community.name))

                ui.button(t('community.new.submit'), on_click=create).mark('create-community')

    @community_page(services, '/c/{cid}')
    def dashboard(ctx: PageContext):
        t = ctx.t
        community = ctx.community
        with ctx.frame(community.name, active='dashboard'):
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

    @community_page(services, '/c/{cid}/settings')
    def settings(ctx: PageContext):
        t = ctx.t
        community = ctx.community
        editable = ctx.can(Permission.EDIT)
        with ctx.frame(t('settings.title', name=community.name), active='settings'):
            if not editable:
                tx.p(t('settings.read_only')).classes('cop-muted').mark('read-only-note')
            with ui.card().classes('w-full').props('flat bordered'):
                fields = community_form(t, stages, community, readonly=not editable)
                error = ErrorLine()
                if editable:

                    async def save() -> None:
                        error.clear_text()
                        clear_field_errors(fields)
                        try:
                            await communities.update(ctx.user.id, community.id, form_values(fields))
                        except AppError as e:
                            show_field_error(fields, e.field, ctx.error_text(e))
                            error.show(ctx.error_text(e))
                            return
                        ctx.go(f'/c/{community.id}/settings', t('common.saved'))

                    ui.button(t('common.save'), on_click=save).mark('save-community')

            if editable:
                tx.h2(t('export.title'))
                tx.p(t('export.text'))

                def export() -> None:
                    try:
                        payload = communities.export(ctx.user.id, community.id)
                    except AppError as e:
                        ctx.notify_error(e)
                        return
                    services.exportlog.note(ctx.user.id, community.id, 'community_file')
                    ui.download.content(payload, f'{file_slug(community.name)}.cop.json', 'application/json')

                ui.button(t('export.action'), icon='download', on_click=export).props('outline').mark(
                    'export-community'
                )

            if ctx.can(Permission.MANAGE):
                tx.h2(t('delete.title')).classes('cop-h2 text-negative')
                tx.p(t('delete.text'))

                async def delete() -> None:
                    if not await confirm(
                        t,
                        t('delete.confirm_title', name=community.name),
                        t('delete.confirm_text'),
                        t('delete.action'),
                        danger=True,
                        type_to_confirm=community.name,
                    ):
                        return
                    try:
                        await communities.delete(ctx.user.id, community.id)
                    except AppError as e:
                        ctx.notify_error(e)
                        return
                    ctx.go('/', t('delete.done', name=community.name))

                ui.button(t('delete.action'), icon='delete_forever', color='negative', on_click=delete).mark(
                    'delete-community'
                )

    @page(services, '/import', login=True)
    def import_page(ctx: PageContext):
        t = ctx.t
        with ctx.frame(t('import.title'), active='communities'):
            tx.p(t('import.text'))
            error = ErrorLine().mark('import-error')

            async def received(e: events.UploadEventArguments) -> None:
                error.clear_text()
                try:
                    if e.file.size() > MAX_IMPORT_BYTES:
                        raise ValidationError('import.error.too_large', max=MAX_IMPORT_BYTES // (1024 * 1024))
                    community = await communities.import_(ctx.user.id, await e.file.read())
                except AppError as err:
                    error.show(ctx.error_text(err))
                    upload.reset()
                    return
                ctx.go(f'/c/{community.id}', t('import.done', name=community.name))

            upload = file_picker(
                t('import.choose'),
                on_upload=received,
                accept='.json,application/json',
                max_file_size=MAX_IMPORT_BYTES,
                on_rejected=lambda: error.show(t('import.error.too_large', max=MAX_IMPORT_BYTES // (1024 * 1024))),
                on_failed=lambda: error.show(t('import.error.not_sent', max=MAX_IMPORT_BYTES // (1024 * 1024))),
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
