"""What one person's screen shows of a comparison, as plain data: the matrix component renders it.

Built per viewer and per language (their own scores are marked as theirs, private scores are theirs only, texts
and numbers are in their language). No actor ids leave the server: a cell says who changed it by name and whether
it was the viewer.
"""

from __future__ import annotations

from typing import Any

from core.i18n import Translator

from .live import Actor, Room
from .meetings import Rights
from .model import Entry
from .scoring import weight_shares
from .texts import criterion_explanation, criterion_group, criterion_title, tool_description, tool_kind, tool_name


def entry_payload(entry: Entry | None, actor: Actor) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {'v': entry.value, 'by': entry.by, 'mine': entry.by_id == actor.id, 'rev': entry.rev}


def tools_payload(room: Room, t: Translator) -> list[dict[str, Any]]:
    catalogue = room.catalogue
    out = []
    for tool in room.comparison.tools:
        kind = tool_kind(catalogue, tool)
        description = tool_description(catalogue, tool)
        out.append(
            {
                'id': tool.id,
                'name': t.pick(tool_name(catalogue, tool)),
                'kind': t.pick(kind) if kind else '',
                'description': t.pick(description) if description else '',
            }
        )
    return out


def criteria_payload(room: Room, t: Translator) -> list[dict[str, Any]]:
    return _cached(room, 'criteria', t, lambda: _criteria(room, t))


def _criteria(room: Room, t: Translator) -> list[dict[str, Any]]:
    catalogue = room.catalogue
    shares = weight_shares(room.comparison.criteria)
    out = []
    for criterion in room.comparison.criteria:
        explanation = criterion_explanation(catalogue, criterion)
        group = criterion_group(catalogue, criterion)
        out.append(
            {
                'id': criterion.id,
                'title': t.pick(criterion_title(catalogue, criterion)),
                'explanation': t.pick(explanation) if explanation else '',
                'group': t.pick(group) if group else '',
                'weight': criterion.weight,
                'share': t.percent(shares[criterion.id]),
                'must': criterion.must,
                'rev': criterion.rev,
            }
        )
    return out


def _cached(room: Room, name: str, t: Translator, build) -> Any:
    """Build a view once per state and language: thirty screens in one language share one copy."""
    return room.cached((name, t.lang), build)


def totals_payload(room: Room, t: Translator) -> dict[str, Any]:
    return _cached(room, 'totals', t, lambda: _totals(room, t))


def _totals(room: Room, t: Translator) -> dict[str, Any]:
    catalogue = room.catalogue
    titles = {c.id: t.pick(criterion_title(catalogue, c)) for c in room.comparison.criteria}
    return {
        r.tool_id: {
            'pct': t.percent(r.percent),
            'width': round(r.percent * 100, 1),
            'rank': r.rank,
            'excluded': r.excluded,
            'failed': ', '.join(titles[f] for f in r.failed),
            'points': r.points,
            'max': r.max_points,
            'scored': r.scored,
            'cells': r.cells,
        }
        for r in room.results()
    }


def stats_payload(room: Room, t: Translator) -> dict[str, Any]:
    return {
        key: {
            'n': s.n,
            'mean': t.number(s.mean, 1),
            'low': s.low,
            'high': s.high,
            'disagree': s.disagreement,
            'rounded': s.rounded,
        }
        for key, s in room.stats().items()
    }


def editing_payload(room: Room, actor: Actor) -> dict[str, str]:
    """Cells others are editing now, with their names (the viewer's own marks are left out)."""
    return {key: name for key, (actor_id, name) in room.editors().items() if actor_id != actor.id}


def rights_payload(rights: Rights) -> dict[str, bool]:
    return {
        'cells': rights.cells,
        'notes': rights.notes,
        'weights': rights.weights,
        'private': rights.private,
        'totals': rights.totals,
        'stats': rights.stats,
    }


def hides_shared(room: Room, rights: Rights) -> bool:
    """While private scoring runs, nobody (scorer, coordinator, coach) sees the shared cells, the totals, or who is
    editing which cell: the one rule for the first view of the matrix and for every live change after it."""
    meeting = room.active_meeting
    return rights.private or (meeting is not None and meeting.mode == 'private')


def matrix_state(room: Room, actor: Actor, rights: Rights, t: Translator) -> dict[str, Any]:
    """Everything the matrix component shows to `actor`."""
    comparison = room.comparison
    meeting = room.active_meeting
    hidden = hides_shared(room, rights)
    state: dict[str, Any] = {
        'tools': tools_payload(room, t),
        'criteria': criteria_payload(room, t),
        'scores': {} if hidden else {k: entry_payload(e, actor) for k, e in comparison.scores.items()},
        'notes': {} if hidden else {k: entry_payload(e, actor) for k, e in comparison.notes.items() if e.value},
        'private': dict(meeting.private.get(actor.id, {})) if meeting is not None and rights.private else {},
        'stats': stats_payload(room, t) if rights.stats else {},
        'totals': totals_payload(room, t) if rights.totals and not hidden else {},
        'editing': {} if hidden else editing_payload(room, actor),
        'rights': rights_payload(rights),
    }
    return state
