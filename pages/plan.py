"""The action plan: the plan-level fields, the suggestions sent by the tools, the actions (filter, sort, edit,
delete with undo), the guide answers, and the way to the dossier."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.action_form import action_fields, action_summary, action_values, due_field, owner_field
from components.context import PageContext
from components.forms import ErrorLine, form_values
from components.frame import aria
from components.live import follow
from components.nav import provide
from components.undo import UndoBar
from core.changes import Changed
from core.guide import answered_by_phase
from core.plan import HORIZONS, PLAN_LIMITS, SORTS, STATUSES, Action, effective_plan, filter_and_sort
from core.roles import Permission
from core.services import Services
from core.suggestions import Suggestion

from ._base import community_page

PLAN_TOPICS = frozenset({'plan'})  # the changes the plan page follows


def register(services: Services) -> None:
    plan = services.plan

    def status(ctx: PageContext) -> str:
        actions = plan.actions(ctx.user.id, ctx.community.id)
        waiting = len(plan.inbox(ctx.user.id, ctx.community.id))
        done = sum(1 for a in actions if a.status == 'done')
        return ctx.t('plan.dashboard', actions=len(actions), done=done, waiting=waiting)

    provide('plan', status)

    @community_page(services, '/c/{cid}/plan')
    def plan_page(ctx: PageContext, status: str = '', horizon: str = '', owner: str = '', sort: str = 'due'):
        t = ctx.t
        with ctx.frame(t('plan.title'), active='plan'):
            tx.p(t('plan.intro'))
            PlanView(ctx, services, status=status, horizon=horizon, owner=owner, sort=sort)


class PlanView:
    """The plan page as a small controller: state, handlers, and the pieces they redraw."""

    def __init__(
        self, ctx: PageContext, services: Services, *, status: str, horizon: str, owner: str, sort: str
    ) -> None:
        self.ctx, self.t, self.services = ctx, ctx.t, services
        self.plan = services.plan
        self.cid, self.me = ctx.community.id, ctx.user.id
        self.editable = ctx.can(Permission.EDIT)
        self.filters = {
            'status': status if status in STATUSES else '',
            'horizon': horizon if horizon in HORIZONS else '',
            'owner': owner,
            'sort': sort if sort in SORTS else SORTS[0],
        }
        self._render_fields()
        self._render_dossier()
        tx.h2(self.t('plan.inbox.title'))
        self.inbox = ui.column().classes('w-full gap-2').mark('inbox')
        self._render_inbox()
        tx.h2(self.t('plan.actions.title'))
        if self.editable:
            ui.button(self.t('plan.add'), icon='add', on_click=lambda: self._edit(None)).mark('action-add')
        self._syncing = False
        self.selects = self._render_filters()
        self.list = ui.column().classes('w-full gap-2').mark('action-list')
        self.undo = UndoBar(self.t)
        self._render_list()
        self._render_guide_answers()
        self.overlays = ui.element('div')  # the dialogs: outside the lists, which are drawn again on a change
        follow(services.changes, self.cid, self.list, self._on_changed, PLAN_TOPICS)

    def _on_changed(self, change: Changed) -> None:
        """Someone else changed the plan (this visitor's own changes are drawn by their handlers)."""
        if change.actor != self.me:
            self._render_inbox()
            self._render_list()

    # -- plan-level fields --------------------------------------------------------------------------------------

    def _render_fields(self) -> None:
        t, ctx = self.t, self.ctx
        community = ctx.community
        stage = self.services.content.stage(community.stage)
        view = effective_plan(
            self.plan.plan(self.me, self.cid), community, self.services.ittools.latest_decision(self.cid)
        )
        fields = view.fields
        with ui.card().classes('w-full gap-2').props('flat bordered').mark('plan-fields'):
            tx.h2(t('plan.fields.title'))
            with html.dl().classes('grid grid-cols-[auto_1fr] gap-x-4 gap-y-1'):
                tx.dt(t('community.field.stage')).classes('font-medium')
                tx.dd(t.pick(stage.title) if stage else community.stage)
                tx.dt(t('community.field.sponsor')).classes('font-medium')
                tx.dd(community.sponsor or t('plan.fields.unknown'))
            readonly = not self.editable
            inputs = {
                'purpose': ui.textarea(t('plan.fields.purpose'), value=view.purpose),
                'core_group': ui.textarea(t('plan.fields.core_group'), value=fields.core_group),
                'rhythm': ui.textarea(t('plan.fields.rhythm'), value=fields.rhythm),
                'digital_space': ui.input(t('plan.fields.digital_space'), value=t.pick(view.digital_space)),
                'next_review': ui.input(t('plan.fields.next_review'), value=fields.next_review or ''),
            }
            for name, element in inputs.items():
                element.classes('w-full').props(
                    'outlined autogrow' if isinstance(element, ui.textarea) else 'outlined'
                ).mark(f'plan-{name}')
                if name in PLAN_LIMITS:
                    element.props['maxlength'] = PLAN_LIMITS[name]
                if readonly:
                    element.props('readonly')
            inputs['next_review'].props('type=date stack-label')
            inputs['core_group'].props['hint'] = t('plan.fields.core_group_hint')
            inputs['next_review'].props['hint'] = t('plan.fields.next_review_hint')
            if view.digital_space_decided:
                inputs['digital_space'].props['hint'] = t('plan.fields.from_decision', tool=t.pick(view.digital_space))
            if readonly:
                return
            error = ErrorLine()

            async def save() -> None:
                values = {k: v.value for k, v in inputs.items()}
                if await ctx.attempt(self.plan.save_plan(self.me, self.cid, values), fields=inputs, line=error):
                    ui.notify(t('common.saved'), type='positive')

            ui.button(t('common.save'), on_click=save).mark('plan-save')

    # -- suggestions --------------------------------------------------------------------------------------------

    def _render_inbox(self) -> None:
        t = self.t
        self.inbox.clear()
        waiting = self.plan.inbox(self.me, self.cid)
        with self.inbox:
            if not waiting:
                tx.p(t('plan.inbox.empty')).classes('cop-muted').mark('inbox-empty')
                return
            tx.p(t('plan.inbox.help', count=len(waiting)))
            for suggestion in waiting:
                with ui.card().classes('w-full').props('flat bordered').mark('suggestion'):
                    with ui.row().classes('w-full items-center gap-3'):
                        ui.badge(t(f'plan.source.{suggestion.source}')).props('outline')
                        tx.span(t.pick(suggestion.text)).classes('grow basis-64')
                        if self.editable:
                            aria(
                                ui.button(
                                    t('plan.inbox.accept'),
                                    icon='check',
                                    on_click=lambda s=suggestion: self._accept(s),
                                ).props('dense'),
                                t('plan.inbox.accept_named', text=t.pick(suggestion.text)),
                            ).mark('suggestion-accept')
                            aria(
                                ui.button(
                                    t('plan.inbox.discard'),
                                    icon='close',
                                    on_click=lambda s=suggestion: self._discard(s.id),
                                ).props('dense flat'),
                                t('plan.inbox.discard_named', text=t.pick(suggestion.text)),
                            ).mark('suggestion-discard')

    async def _accept(self, suggestion: Suggestion) -> None:
        """Take an idea over as an action, asking who carries it and by when (both may be left for later)."""
        t = self.t
        owners = sorted({a.owner for a in self.plan.actions(self.me, self.cid) if a.owner}, key=str.casefold)
        with (
            self.overlays,
            ui.dialog().props('transition-show=fade transition-hide=fade') as dialog,
            ui.card().classes('w-full max-w-xl gap-2') as card,
        ):
            heading = tx.h2(t('plan.take.title'))
            for element in (dialog, card):
                element.props['aria-labelledby'] = heading.html_id
            tx.p(t.pick(suggestion.text)).classes('font-medium')
            tx.p(t('plan.take.text')).classes('text-sm cop-muted')
            fields = {'owner': owner_field(t, '', owners).classes('w-full')}
            fields['due'] = due_field(t).mark('action-due')
            error = ErrorLine()

            async def save(complete: bool) -> None:
                values = form_values(fields) if complete else None
                accepted = self.plan.accept(self.me, self.cid, suggestion.id, t.lang, values)
                if await self.ctx.attempt(accepted, fields=fields, line=error):
                    dialog.submit(True)

            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('plan.take.later'), on_click=lambda: save(False)).props('flat').mark('take-later')
                ui.button(t('plan.take.save'), icon='check', on_click=lambda: save(True)).mark('take-save')
        taken = await dialog  # None when the dialog went with its card or page
        if not dialog.is_deleted:
            dialog.delete()  # before the inbox is redrawn: the dialog sits in the suggestion's card
        if taken:
            ui.notify(t('plan.inbox.accepted'), type='positive')
            self._render_inbox()
            self._render_list()

    async def _discard(self, suggestion_id: str) -> None:
        if await self.ctx.attempt(self.plan.discard(self.me, self.cid, suggestion_id)):
            self._render_inbox()
            self.undo.offer(self.t('plan.inbox.discarded'), lambda: self._undiscard(suggestion_id))

    async def _undiscard(self, suggestion_id: str) -> None:
        if await self.ctx.attempt(self.plan.discard(self.me, self.cid, suggestion_id, undo=True)):
            self._render_inbox()

    # -- actions ------------------------------------------------------------------------------------------------

    def _render_filters(self) -> dict[str, ui.select]:
        """The filter bar, built once: a filter change redraws the list only, so keyboard focus stays put."""
        t = self.t
        every = {'': t('plan.filter.all')}
        with ui.row().classes('w-full items-end gap-3'):
            return {
                'status': self._select(
                    'status', t('plan.filter.status'), {**every, **{s: t(f'plan.status.{s}') for s in STATUSES}}
                ),
                'horizon': self._select(
                    'horizon',
                    t('plan.filter.horizon'),
                    {**every, **{h: t('plan.filter.within', days=h) for h in HORIZONS}},
                ),
                'owner': self._select('owner', t('plan.filter.owner'), every),  # filled in by _render_list
                'sort': self._select('sort', t('plan.filter.sort'), {k: t(f'plan.sort.{k}') for k in SORTS}),
            }

    def _select(self, name: str, label: str, options: dict) -> ui.select:
        value = self.filters[name] if self.filters[name] in options else next(iter(options))

        def changed(e, name=name) -> None:
            if self._syncing:
                return
            self.filters[name] = e.value if isinstance(e.value, str) else ''  # a forged value filters nothing
            self._render_list()

        return (
            ui.select(options, value=value, label=label, on_change=changed)
            .props('outlined dense')
            .classes('w-44')
            .mark(f'filter-{name}')
        )

    def _sync_owners(self, actions: list[Action]) -> None:
        """The owner filter offers the owners the plan has now; an owner it no longer has (or a link's unknown
        ?owner=) filters nothing, as the select then shows."""
        owners = sorted({a.owner for a in actions if a.owner}, key=str.casefold)
        wanted = next((o for o in owners if o.casefold() == self.filters['owner'].casefold()), '')
        self.filters['owner'] = wanted
        select = self.selects['owner']
        options = {'': self.t('plan.filter.all'), **{o: o for o in owners}}
        self._syncing = True
        try:
            if select.options != options:
                select.set_options(options, value=wanted)
            elif select.value != wanted:
                select.value = wanted
        finally:
            self._syncing = False

    def _render_list(self) -> None:
        t = self.t
        actions = self.plan.actions(self.me, self.cid)
        self._sync_owners(actions)
        shown = filter_and_sort(
            actions,
            status=self.filters['status'] or None,
            horizon=self.filters['horizon'] or None,
            owner=self.filters['owner'] or None,
            sort=self.filters['sort'],
        )
        self.list.clear()
        with self.list:
            tx.p(t('plan.actions.count', shown=len(shown), total=len(actions))).classes('text-sm cop-muted').props(
                'aria-live=polite'
            ).mark('action-count')
            if not actions:
                tx.p(t('plan.actions.empty')).mark('actions-empty')
            for action in shown:
                self._render_action(action)

    def _render_action(self, action: Action) -> None:
        t = self.t
        with ui.card().classes('w-full gap-1').props('flat bordered').mark('action'):
            with ui.row().classes('w-full items-start gap-2'):
                with ui.column().classes('grow gap-1 basis-64'):
                    tx.h3(action.title)
                    if action.description:
                        tx.p(action.description).classes('whitespace-pre-line')
                    action_summary(t, action)
                    if action.source != 'own':
                        tx.p(t('plan.from_source', source=t(f'plan.source.{action.source}'))).classes(
                            'text-xs cop-muted'
                        )
                if self.editable:
                    if action.status not in ('done', 'dropped'):
                        aria(
                            ui.button(
                                t('plan.mark_done'), icon='task_alt', on_click=lambda a=action: self._mark_done(a)
                            ).props('flat dense no-caps color=positive'),
                            t('plan.mark_done_named', title=action.title),
                        ).mark('action-done')
                    aria(
                        ui.button(icon='edit', on_click=lambda a=action: self._edit(a)).props('flat round'),
                        t('plan.edit_named', title=action.title),
                    ).mark('action-edit')
                    aria(
                        ui.button(icon='delete', on_click=lambda a=action: self._remove(a)).props(
                            'flat round color=negative'
                        ),
                        t('plan.delete_named', title=action.title),
                    ).mark('action-delete')

    async def _edit(self, action: Action | None) -> None:
        t = self.t
        owners = sorted({a.owner for a in self.plan.actions(self.me, self.cid) if a.owner}, key=str.casefold)
        with (
            self.overlays,
            ui.dialog().props('transition-show=fade transition-hide=fade') as dialog,
            ui.card().classes('w-full max-w-2xl') as card,
        ):
            heading = tx.h2(t('plan.edit') if action else t('plan.add'))
            for element in (dialog, card):
                element.props['aria-labelledby'] = heading.html_id
            fields = action_fields(t, action, owners)
            error = ErrorLine()

            async def save() -> None:
                values = action_values(fields)
                saved = (
                    self.plan.add(self.me, self.cid, values)
                    if action is None
                    else self.plan.update(self.me, self.cid, action.id, values)
                )
                if await self.ctx.attempt(saved, fields=fields, line=error):
                    dialog.submit(True)

            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('dialog.cancel'), on_click=lambda: dialog.submit(False)).props('flat')
                ui.button(t('common.save'), on_click=save).mark('action-save')
        if await dialog:
            ui.notify(t('common.saved'), type='positive')
            self._render_list()
        if not dialog.is_deleted:  # it goes with its page
            dialog.delete()

    async def _mark_done(self, action: Action) -> None:
        """One click: the action is done (with undo, back to its earlier status)."""
        if not await self.ctx.attempt(self.plan.update(self.me, self.cid, action.id, {'status': 'done'})):
            return
        self._render_list()
        self.undo.offer(
            self.t('plan.marked_done', title=action.title), lambda: self._set_status(action.id, action.status)
        )

    async def _set_status(self, action_id: str, status: str) -> None:
        if await self.ctx.attempt(self.plan.update(self.me, self.cid, action_id, {'status': status})):
            self._render_list()

    async def _remove(self, action: Action) -> None:
        removed = await self.ctx.attempt(self.plan.remove(self.me, self.cid, action.id))
        if removed:
            self._render_list()
            self.undo.offer(self.t('plan.deleted', title=action.title), lambda: self._restore(removed.value))

    async def _restore(self, action: Action) -> None:
        if await self.ctx.attempt(self.plan.restore(self.me, self.cid, action)):
            self._render_list()

    # -- guide answers and dossier ------------------------------------------------------------------------------

    def _render_guide_answers(self) -> None:
        t = self.t
        answers = self.services.guide.answers(self.me, self.cid)
        guide = self.services.content.guide
        tx.h2(t('plan.guide.title'))
        if not answers:
            with html.p():
                tx.span(t('plan.guide.empty') + ' ')
                ui.link(t('plan.guide.open'), f'/c/{self.cid}/guide')
            return
        with html.dl().classes('flex flex-col gap-1').mark('guide-answers'):
            for _, answered in answered_by_phase(guide, answers):
                for question, answer in answered:
                    tx.dt(t.pick(question.question)).classes('font-medium')
                    tx.dd(answer.text).classes('whitespace-pre-line pl-4')

    def _render_dossier(self) -> None:
        t = self.t
        with ui.card().classes('w-full gap-2').props('flat bordered').mark('dossier-card'):
            tx.h2(t('plan.dossier.title'))
            tx.p(t('plan.dossier.text'))
            ui.button(
                t('plan.dossier.open'), icon='picture_as_pdf', on_click=lambda: ui.navigate.to(f'/c/{self.cid}/dossier')
            ).props('outline').mark('dossier-link')
