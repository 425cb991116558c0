"""The parts of the toolbox, in the order a coordinator meets them. A part's page module calls `provide(key)` when
it registers its pages; a part nobody provides is shown honestly as coming."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Part:
    key: str            # UI string nav.<key> and part.<key>.summary
    icon: str
    path: str           # under /c/{cid}, or absolute when `public`
    public: bool = False
    group: str = 'tools'  # 'tools' or 'helpkit'


PARTS: tuple[Part, ...] = (
    Part('guide', 'menu_book', '/guide', public=True),
    Part('wizard', 'route', '/start'),
    Part('kompas', 'explore', '/kompas'),
    Part('survey', 'forum', '/survey'),
    Part('profile', 'person_search', '/profile', group='helpkit'),
    Part('animation', 'record_voice_over', '/animation', group='helpkit'),
    Part('ittools', 'table_chart', '/ittools', group='helpkit'),
    Part('kickoff', 'event', '/kickoff', group='helpkit'),
    Part('actionplan', 'checklist', '/plan'),
)

_provided: set[str] = set()
_status: dict[str, Callable[[Any], str | None]] = {}


def provide(key: str, status: Callable[[Any], str | None] | None = None) -> None:
    """Called by a part's page module when it registers: the navigation then links to it. `status(ctx)` gives the
    one-line state of the part that the community dashboard shows."""
    if key not in {p.key for p in PARTS}:
        raise KeyError(key)
    _provided.add(key)
    if status is not None:
        _status[key] = status


def part_status(key: str, ctx: Any) -> str | None:
    status = _status.get(key)
    return status(ctx) if status is not None else None


def part_href(part: Part, cid: str | None) -> str | None:
    if part.key not in _provided:
        return None
    if cid:
        return f'/c/{cid}{part.path}'
    return part.path if part.public else None
