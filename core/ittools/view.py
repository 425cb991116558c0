"""What one person's screen shows of a comparison, as plain data: the matrix component renders it.

Built per viewer and per language (their own scores are marked as theirs, private scores are theirs only, texts
and numbers are in their language). No actor ids leave the server: a cell says who changed it by name and whether
it was the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.i18n import Translator

from .catalogue import Catalogue
from .live import Actor, PresenceRow, Room
from .meetings import Rights
from .model import Comparison, Entry
from .scoring import CellStats, Completeness, completeness, weight_shares
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
    return _cached(room, 'stats', t, lambda: {key: stats_words(s, t) for key, s in room.stats().items()})


def stats_words(s: CellStats, t: Translator) -> dict[str, Any]:
    """The round's figures for one cell, in words a participant understands ('text', 'range'), with the precise
    figures for a tooltip and screen readers ('detail')."""
    label = t(f'ittools.score.{s.rounded}')
    if s.low == s.high:
        spread = t('matrix.stats.all_same', count=s.n, score=s.low, label=t(f'ittools.score.{s.low}'))
    else:
        spread = t('matrix.stats.range', count=s.n, low=s.low, high=s.high)
    return {
        'n': s.n,
        'mean': t.number(s.mean, 1),
        'low': s.low,
        'high': s.high,
        'disagree': s.disagreement,
        'rounded': s.rounded,
        'text': t('matrix.stats.proposal', score=s.rounded, label=label),
        'range': spread,
        'detail': t('matrix.stats.detail', mean=t.number(s.mean, 1), low=s.low, high=s.high, count=s.n),
    }


def completeness_lines(room_or_comparison: Room | Comparison, catalogue: Catalogue, t: Translator) -> list[str]:
    """How complete the matrix is, in one or two sentences: what a decision on it is worth."""
    comparison = room_or_comparison.comparison if isinstance(room_or_comparison, Room) else room_or_comparison
    done = completeness(comparison)
    return completeness_text(
        done, [t.pick(criterion_title(catalogue, c)) for c in comparison.criteria if c.id in done.must_unscored], t
    )


def completeness_text(done: Completeness, must_titles: list[str], t: Translator) -> list[str]:
    if done.complete:
        return [t('ittools.completeness.complete')]
    lines = [
        t(
            'ittools.completeness.summary',
            scored=done.scored_criteria,
            criteria=done.criteria,
            pct=t.percent(done.share),
        )
    ]
    if must_titles:
        lines.append(t('ittools.completeness.must', criteria=', '.join(must_titles)))
    return lines


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


# -- who is present ---------------------------------------------------------------------------------------------------

PRESENCE_GROUPS = ('coordinator', 'participant', 'viewer', 'away')


@dataclass(frozen=True)
class PresenceView:
    """The presence list as a page shows it, built once per version of the presence and language (`key` says
    which version: a page that shows it already has nothing to do)."""

    key: tuple[Any, ...]
    heading: str
    text: str  # one line per group of names
    rows: list[PresenceRow]  # for a page that filters the names
    total: int  # the cells, when private-scoring progress is shown (else 0)


def presence_view(room: Room, t: Translator, *, show_progress: bool = False) -> PresenceView:
    total = len(room.comparison.criteria) * len(room.comparison.tools) if show_progress else 0
    key = (*room.presence_key(), t.lang, show_progress, total)

    def build() -> PresenceView:
        rows = room.present()
        heading = t('meeting.presence.count', count=sum(1 for r in rows if r.connected))
        return PresenceView(key, heading, presence_lines(rows, t, total=total), rows, total)

    return room.presence_cached(('view', t.lang, show_progress, total), build)


def presence_lines(rows: list[PresenceRow], t: Translator, *, total: int = 0, query: str = '') -> str:
    """The names grouped (coordination, participants, watching, connection lost) and sorted, one line per group;
    only the names containing `query` (casefolded) when given. `total`: the cells, to show private-scoring progress."""
    groups: dict[str, list[str]] = {group: [] for group in PRESENCE_GROUPS}
    for row in sorted(rows, key=lambda r: str(r.name).casefold()):
        if query and query not in str(row.name).casefold():
            continue
        group = 'away' if not row.connected else row.kind if row.kind in ('coordinator', 'viewer') else 'participant'
        groups[group].append(_presence_label(row, t, total))
    lines = [
        t(f'meeting.presence.group.{group}', count=len(labels)) + ' ' + ' · '.join(labels)
        for group, labels in groups.items()
        if labels
    ]
    if not lines and query:
        lines = [t('meeting.presence.none_found')]
    return '\n'.join(lines)


def _presence_label(row: PresenceRow, t: Translator, total: int) -> str:
    label = row.name
    if row.kind == 'coordinator':
        label = t('meeting.presence.coordinator', name=row.name)
    elif row.kind == 'viewer':
        label = t('meeting.presence.viewer', name=row.name)
    if not row.connected:
        label = t('meeting.presence.away', name=label)
    if total and row.scored is not None:
        label = t('meeting.presence.progress', name=label, scored=row.scored, total=total)
    return label
