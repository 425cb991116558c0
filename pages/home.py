"""The start page: a welcome for visitors, the list of one's communities for a logged-in user."""

from __future__ import annotations

from nicegui import html, ui

from components import typography as tx
from components.context import PageContext
from components.meeting_code import join_box
from components.sign_in import login_form
from core.roles import Role
from core.services import Services

from ._base import page


def register(services: Services) -> None:
    @page(services, '/')
    def home(ctx: PageContext):
        if ctx.user is None:
            welcome(ctx)
        else:
            communities(ctx)


def welcome(ctx: PageContext) -> None:
    """The doors come first: a member with a meeting code (on a phone, in the first screen), a new coordinator's
    sign-up and the login (on a laptop, beside the introduction); what the toolbox does comes after."""
    t = ctx.t
    with ctx.frame(t('home.welcome.title')):
        tx.p(t('home.welcome.lead')).classes('text-lg')
        with ui.element('div').classes('w-full grid gap-4 md:grid-cols-5 items-start'):
            with ui.column().classes('w-full gap-3 md:col-span-2 md:order-last'):
                with ui.card().classes('w-full gap-1').props('flat bordered').mark('home-join'):
                    join_box(ctx)  # members with a meeting code (IT-tools comparison) need no account
                    tx.p(t('home.welcome.members')).classes('cop-muted text-sm')
                if ctx.services.accounts.password_login:  # no sign-up with --no-local-login
                    with ui.card().classes('w-full gap-2 bg-blue-50').props('flat bordered').mark('home-signup'):
                        tx.h2(t('home.welcome.new_title'))
                        tx.p(t('home.welcome.new_text'))
                        ui.button(
                            t('auth.signup.action'), icon='person_add', on_click=lambda: ui.navigate.to('/signup')
                        ).mark('home-signup-button')
            with ui.column().classes('w-full gap-3 md:col-span-3'):
                tx.h2(t('home.welcome.what'))
                with html.ul().classes('list-disc pl-6 flex flex-col gap-1'):
                    for key in ('onboarding', 'kompas', 'survey', 'ittools', 'plan'):
                        tx.li(t(f'home.welcome.point_{key}'))
                tx.h2(t('auth.login.title'))
                login_form(ctx, '/')


def communities(ctx: PageContext) -> None:
    t = ctx.t
    with ctx.frame(t('home.title'), active='communities'):
        with ui.row().classes('gap-3'):
            ui.button(t('community.new.action'), icon='add', on_click=lambda: ui.navigate.to('/c/new')).mark(
                'new-community'
            )
            ui.button(t('import.action'), icon='upload_file', on_click=lambda: ui.navigate.to('/import')).props(
                'outline'
            ).mark('import-community')
        if not ctx.memberships:
            with ui.card().classes('w-full').props('flat bordered'):
                tx.h2(t('home.empty.title'))
                tx.p(t('home.empty.text'))
            return
        with html.ul().classes('grid gap-3 w-full sm:grid-cols-2'):
            for m in ctx.memberships:
                with html.li(), ui.card().classes('w-full h-full').props('flat bordered').mark('community-card'):
                    if m.community is None:
                        with ui.link(target=f'/c/{m.community_id}').classes('text-lg font-semibold'):
                            tx.span(m.name or t('damaged.unnamed'))
                        tx.p(t('home.damaged')).classes('text-negative font-medium').mark('card-damaged')
                        continue
                    ui.link(m.community.name, f'/c/{m.community_id}').classes('text-lg font-semibold').mark(
                        'community-link'
                    )
                    if m.community.purpose:
                        tx.p(m.community.purpose).classes('cop-muted')
                    stage = ctx.services.content.stage(m.community.stage)
                    with ui.row().classes('gap-2 items-center text-sm'):
                        ui.badge(
                            t(f'role.{m.role.value}'), color='primary' if m.role == Role.COORDINATOR else 'secondary'
                        ).props('outline')
                        if stage:
                            tx.span(t('community.stage_is', stage=t.pick(stage.title)))
