"""What the IT-tools pages share: the viewer as an actor, loading a comparison, running an action with its error."""

from __future__ import annotations

from collections.abc import Awaitable

from nicegui import ui

from core.errors import AppError, NotFound
from core.ittools import Actor, ITTools
from core.ittools.model import Comparison
from core.store import DamagedFileError

from .._base import PageContext


def actor_of(ittools: ITTools, ctx: PageContext) -> Actor:
    return ittools.user_actor(ctx.user, ctx.community.id)


def load(ittools: ITTools, ctx: PageContext, comparison_id: str) -> tuple[Actor, Comparison]:
    """The viewer and the comparison (NotFound if it is not one of this community's)."""
    actor = actor_of(ittools, ctx)
    return actor, ittools.comparison(actor, ctx.community.id, comparison_id)


def load_or_error(ittools: ITTools, ctx: PageContext, comparison_id: str) -> tuple[Actor, Comparison] | None:
    """The viewer and the comparison; or None, after showing the page that says why not: "not found" (not one of
    this community's), or "damaged" (the comparison cannot be read from the community's file).
    """
    from pages import errors  # a sibling page module: imported late, as pages/_base does

    try:
        return load(ittools, ctx, comparison_id)
    except NotFound:
        errors.not_found_content(ctx)
    except DamagedFileError as e:
        errors.damaged_content(ctx, ctx.community.id, e.reason)
    return None


async def act(ctx: PageContext, action: Awaitable, done: str | None = None) -> None:
    """Run a service call; show its error, or `done` when it worked."""
    try:
        await action
    except AppError as e:
        ctx.notify_error(e)
        return
    if done:
        ui.notify(done, type='positive')


async def then(ctx: PageContext, action: Awaitable, here: str) -> None:
    """Run a service call, then reload `here` with a confirmation (the page shows the new state)."""
    try:
        await action
    except AppError as e:
        ctx.notify_error(e)
        return
    ctx.go(here, ctx.t('common.saved'))
