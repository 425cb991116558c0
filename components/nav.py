"""The parts of the toolbox, in the order a coordinator meets them. `path` None means the part is not built yet:
the navigation then shows it honestly as coming."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    key: str            # UI string nav.<key> and part.<key>.summary
    icon: str
    path: str | None    # under /c/{cid}, or absolute when `public`
    public: bool = False
    group: str = 'tools'  # 'tools' or 'helpkit'


PARTS: tuple[Part, ...] = (
    Part('guide', 'menu_book', None, public=True),
    Part('wizard', 'route', None),
    Part('kompas', 'explore', None),
    Part('survey', 'forum', None),
    Part('profile', 'person_search', None, group='helpkit'),
    Part('animation', 'record_voice_over', None, group='helpkit'),
    Part('ittools', 'table_chart', None, group='helpkit'),
    Part('kickoff', 'event', None, group='helpkit'),
    Part('actionplan', 'checklist', None),
)


def part_href(part: Part, cid: str | None) -> str | None:
    if part.path is None:
        return None
    if part.public:
        return part.path
    return f'/c/{cid}{part.path}' if cid else None
