"""What the IT-tools screens share: the viewer as an actor, and loading a comparison or saying why it cannot be."""

from __future__ import annotations

from core.errors import NotFound
from core.ittools import Actor, ITTools
from core.ittools.model import Comparison
from core.store import DamagedFileError

from .context import PageContext
from .error_pages import damaged_content, not_found_content


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
    try:
        return load(ittools, ctx, comparison_id)
    except NotFound:
        not_found_content(ctx)
    except DamagedFileError as e:
        damaged_content(ctx, ctx.community.id, e.reason)
    return None
