"""The presence list of a meeting of 100 (issue #13): grouped, sorted by name, searchable, one text element however
many people join, in a box of fixed height (a joining participant never moves the matrix below it)."""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import app, ui
from nicegui.testing import User

from components.ittools_widgets import PresenceList
from core.i18n import Translator
from core.ittools.view import PresenceView, presence_lines


@dataclass
class Row:
    name: str
    kind: str
    connected: bool
    scored: int | None = None


def people(n: int) -> list[Row]:
    rows = [Row('Clara Coördinator', 'coordinator', True, 10)]
    rows += [Row(f'Deelnemer {i:03d}', 'participant', i % 40 != 7, i % 49) for i in range(n - 3, 0, -1)]
    rows += [Row('Walter Kijker', 'viewer', True), Row('Vera Kijker', 'viewer', True)]
    return rows


def view(rows: list[Row], t: Translator, version: int) -> PresenceView:
    """What the room hands every page (core/ittools/view.py presence_view), for these rows and 48 cells."""
    heading = t('meeting.presence.count', count=sum(1 for r in rows if r.connected))
    return PresenceView((version,), heading, presence_lines(rows, t, total=48), rows, 48)


async def test_a_hundred_names_are_grouped_sorted_searchable_and_cost_no_element_each(user: User):
    widgets: list[PresenceList] = []

    @ui.page('/presence-100')
    def page() -> None:
        widgets.append(PresenceList(Translator(app.state.services.content.ui, 'nl')))

    await user.open('/presence-100')
    (presence,) = widgets
    t = presence.t
    presence.update(view(people(5), t, 1))
    few = len(list(presence.box.descendants()))
    presence.update(view(people(100), t, 2))
    assert len(list(presence.box.descendants())) == few  # the names are text, not an element each
    assert presence.names._style.get('height') == '7.5rem'  # fixed: the matrix below never moves

    text = presence.names.text
    lines = text.split('\n')
    assert lines[0].startswith('Coördinatie: Clara Coördinator (coördinatie): 10/48')
    assert lines[1].startswith('Deelnemers (94): Deelnemer 001: 1/48 · Deelnemer 002: 2/48')
    assert lines[2] == 'Kijken mee (2): Vera Kijker (kijkt mee) · Walter Kijker (kijkt mee)'  # sorted by name
    assert lines[3].startswith('Verbinding weg (3): Deelnemer 007, verbinding weg')
    assert presence.heading.text == 'Aanwezig (97)'

    presence.search.set_value('deelnemer 04')
    await user.should_see('Deelnemers (9): Deelnemer 040')
    assert 'Clara' not in presence.names.text and 'Deelnemer 047, verbinding weg' in presence.names.text
    presence.update(view(people(100)[:-1], t, 3))  # someone leaves: the search stays applied
    assert 'Clara' not in presence.names.text and 'Deelnemers (9)' in presence.names.text
    presence.search.set_value('Zorro')
    await user.should_see('Niemand met die naam.')
    presence.search.set_value('')
    assert presence.names.text.startswith('Coördinatie:')
    presence.names.set_text('')
    presence.update(view(people(5), t, 3))  # a version the page shows already: nothing to do
    assert presence.names.text == ''
