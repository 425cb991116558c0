"""The tools and criteria of a comparison (from the catalogue or one's own), its title, and deleting it."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.dialogs import confirm
from components.forms import clear_field_errors, show_field_error
from components.frame import aria
from components.ittools_access import load_or_error
from core.errors import AppError
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
    ittools = services.ittools
    catalogue = services.content.ittools

    @community_page(services, '/c/{cid}/ittools/{comparison_id}/setup', Permission.EDIT)
    def setup_page(ctx: PageContext, comparison_id: str):
        t = ctx.t
        cid = ctx.community.id
        loaded = load_or_error(ittools, ctx, comparison_id)
        if loaded is None:
            return
        actor, comparison = loaded
        here = f'/c/{cid}/ittools/{comparison_id}/setup'
        with ctx.frame(t('ittools.setup.title', title=comparison.title), active='ittools'):
            ui.link(t('ittools.nav.back_matrix'), f'/c/{cid}/ittools/{comparison_id}').mark('back-to-matrix')
            tx.h2(t('ittools.field.title'))
            with ui.row().classes('w-full items-start gap-2'):
                title = (
                    ui.input(t('ittools.field.title'), value=comparison.title)
                    .props(f'outlined maxlength={LIMITS["title"]} counter')
                    .classes('grow')
                    .mark('rename-title')
                )

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
                if not await confirm(
                    t,
                    t('ittools.delete.confirm', title=comparison.title),
                    t('ittools.delete.text'),
                    t('ittools.delete.action'),
                    danger=True,
                ):
                    return
                try:
                    await ittools.delete(actor, cid, comparison_id)
                except AppError as e:
                    ctx.notify_error(e)
                    return
                ctx.go(f'/c/{cid}/ittools', t('ittools.delete.done', title=comparison.title))

            ui.button(t('ittools.delete.action'), icon='delete', color='negative', on_click=delete).mark(
                'delete-comparison'
            )

    def _tools_section(ctx: PageContext, actor: Actor, comparison: Comparison, here: str) -> None:
        t = ctx.t
        cid = ctx.community.id
        tx.h2(t('ittools.setup.tools'))
        with html.ul().classes('w-full flex flex-col gap-1'):
            for tool in comparison.tools:
                label = t.pick(tool_name(catalogue, tool))
                with (
                    html.li().classes('border-b py-1').mark('setup-tool'),
                    ui.row().classes('w-full items-start gap-2 no-wrap'),
                ):
                    with ui.column().classes('gap-0 grow min-w-0'):
                        kind = tool_kind(catalogue, tool)
                        tx.span(label + (f' ({t.pick(kind)})' if kind else f' ({t("ittools.own")})')).classes(
                            'font-medium'
                        )
                        description = tool_description(catalogue, tool)
                        if description:
                            tx.span(t.pick(description)).classes('text-sm cop-muted')

                    async def remove(tool_id: str = tool.id, label: str = label) -> None:
                        if not await confirm(
                            t,
                            t('ittools.setup.remove_tool', name=label),
                            t('ittools.setup.remove_tool_text'),
                            t('ittools.setup.remove'),
                            danger=True,
                        ):
                            return
                        if await ctx.attempt(ittools.remove_tool(actor, cid, comparison.id, tool_id)):
                            ctx.go(here, ctx.t('common.saved'))

                    aria(
                        ui.button(icon='delete', on_click=remove).props('flat round'),
                        t('ittools.setup.remove_tool', name=label),
                    ).mark('remove-tool')
        present = {tool.id for tool in comparison.tools}
        remaining = {tool.id: t.pick(tool.name) for tool in catalogue.tools if tool.id not in present}
        with ui.row().classes('w-full items-end gap-2'):
            if remaining:
                choice = (
                    ui.select(remaining, label=t('ittools.setup.add_catalogue_tool'))
                    .props('outlined dense')
                    .classes('w-72')
                    .mark('add-tool-choice')
                )

                async def add_catalogue() -> None:
                    if not choice.value:
                        return
                    if await ctx.attempt(ittools.add_tool(actor, cid, comparison.id, choice.value)):
                        ctx.go(here, ctx.t('common.saved'))

                ui.button(t('ittools.setup.add'), on_click=add_catalogue).props('outline').mark('add-tool')
        tx.h3(t('ittools.setup.own_tool'))
        own_name = (
            ui.input(t('ittools.field.tool_name'))
            .props(f'outlined dense maxlength={LIMITS["tool_name"]}')
            .classes('w-full')
            .mark('own-tool-name')
        )
        own_text = (
            ui.textarea(t('ittools.field.description'))
            .props(f'outlined dense autogrow maxlength={LIMITS["explanation"]}')
            .classes('w-full')
            .mark('own-tool-description')
        )

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
                with (
                    html.li().classes('border-b py-1').mark('setup-criterion'),
                    ui.row().classes('w-full items-start gap-2 no-wrap'),
                ):
                    with ui.column().classes('gap-0 grow min-w-0'):
                        group = criterion_group(catalogue, criterion)
                        tx.span(label + (f' ({t.pick(group)})' if group else f' ({t("ittools.own")})')).classes(
                            'font-medium'
                        )
                        explanation = criterion_explanation(catalogue, criterion)
                        if explanation:
                            tx.span(t.pick(explanation)).classes('text-sm cop-muted')

                    async def remove(criterion_id: str = criterion.id, label: str = label) -> None:
                        if not await confirm(
                            t,
                            t('ittools.setup.remove_criterion', name=label),
                            t('ittools.setup.remove_criterion_text'),
                            t('ittools.setup.remove'),
                            danger=True,
                        ):
                            return
                        if await ctx.attempt(ittools.remove_criterion(actor, cid, comparison.id, criterion_id)):
                            ctx.go(here, ctx.t('common.saved'))

                    aria(
                        ui.button(icon='delete', on_click=remove).props('flat round'),
                        t('ittools.setup.remove_criterion', name=label),
                    ).mark('remove-criterion')
        present = {c.id for c in comparison.criteria}
        remaining = {
            c.id: f'{t.pick(c.title)} ({t.pick(g.title)})'
            for g in catalogue.groups
            for c in g.criteria
            if c.id not in present
        }
        with ui.row().classes('w-full items-end gap-2'):
            if remaining:
                choice = (
                    ui.select(remaining, label=t('ittools.setup.add_catalogue_criterion'))
                    .props('outlined dense')
                    .classes('w-96 max-w-full')
                    .mark('add-criterion-choice')
                )

                async def add_catalogue() -> None:
                    if not choice.value:
                        return
                    if await ctx.attempt(ittools.add_criterion(actor, cid, comparison.id, choice.value)):
                        ctx.go(here, ctx.t('common.saved'))

                ui.button(t('ittools.setup.add'), on_click=add_catalogue).props('outline').mark('add-criterion')
        tx.h3(t('ittools.setup.own_criterion'))
        own_title = (
            ui.input(t('ittools.field.criterion_title'))
            .props(f'outlined dense maxlength={LIMITS["criterion_title"]}')
            .classes('w-full')
            .mark('own-criterion-title')
        )
        own_text = (
            ui.textarea(t('ittools.field.explanation'))
            .props(f'outlined dense autogrow maxlength={LIMITS["explanation"]}')
            .classes('w-full')
            .mark('own-criterion-explanation')
        )

        async def add_own() -> None:
            clear_field_errors({'title': own_title})
            try:
                await ittools.add_criterion(
                    actor, cid, comparison.id, title=own_title.value, explanation=own_text.value
                )
            except AppError as e:
                if not show_field_error({'title': own_title}, e.field, ctx.error_text(e)):
                    ctx.notify_error(e)
                return
            ctx.go(here, t('ittools.setup.added'))

        ui.button(t('ittools.setup.add_own_criterion'), icon='add', on_click=add_own).props('outline').mark(
            'add-own-criterion'
        )
