"""The parts of the toolbox, in the order a coordinator meets them. A part's page module calls `provide(key)` when
it registers its pages, with the one-line status the community dashboard shows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.errors import AppError
from core.store import StoreError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Part:
    key: str  # UI string nav.<key> and part.<key>.summary
    icon: str
    path: str  # under /c/{cid}, or absolute when `public`
    public: bool = False
    group: str = 'tools'  # 'tools' or 'helpkit'


PARTS: tuple[Part, ...] = (
    Part('guide', 'menu_book', '/guide', public=True),
    Part('journey', 'route', '/journey'),
    Part('kompas', 'explore', '/kompas'),
    Part('survey', 'forum', '/survey'),
    Part('needs', 'how_to_vote', '/needs'),
    Part('profile', 'person_search', '/profile', group='helpkit'),
    Part('facilitation', 'record_voice_over', '/facilitation', group='helpkit'),
    Part('ittools', 'table_chart', '/ittools', group='helpkit'),
    Part('kickoff', 'event', '/kickoff', group='helpkit'),
    Part('plan', 'checklist', '/plan'),
    Part('stories', 'auto_stories', '/stories'),
)

_status: dict[str, Callable[[Any], str | None]] = {}


def provide(key: str, status: Callable[[Any], str | None] | None = None) -> None:
    """Called by a part's page module when it registers: `status(ctx)` gives the one-line state of the part that
    the community dashboard shows."""
    if key not in {p.key for p in PARTS}:
        raise KeyError(key)
    if status is not None:
        _status[key] = status


def part_status(key: str, ctx: Any) -> str | None:
    """The part's one-line status; None when it has none, or when its data cannot be read just now (a damaged
    file, an instrument version gone): the dashboard then shows the part without a status, the part's own page
    says what is wrong."""
    status = _status.get(key)
    if status is None:
        return None
    try:
        return status(ctx)
    except (AppError, StoreError):
        log.warning(
            'status of %s for community %s not available', key, getattr(ctx.community, 'id', '?'), exc_info=True
        )
        return None


def part_href(part: Part, cid: str | None) -> str | None:
    """Where the part lives: in the current community, or (a public part) without one."""
    if cid:
        return f'/c/{cid}{part.path}'
    return part.path if part.public else None
