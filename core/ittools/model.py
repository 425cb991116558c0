"""The comparison and the meeting as records, their stored form, and the checks that input and stored data pass.

A comparison holds its tools (columns) and criteria (rows, each with a weight and a must-have flag), one score and
one note per cell, and the decision. Scores and notes are separate fields, each with its own author and revision,
so an edit of a cell's note never conflicts with an edit of its score. Every change takes the next revision number
of the comparison: the higher revision is the later one, on every screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core import clean
from core.errors import ValidationError

from .. import clock
from ..dates import parse_day
from .catalogue import MAX_WEIGHT, MIN_WEIGHT

SCORES = (0, 1, 2, 3)
MAX_SCORE = 3
DEFAULT_WEIGHT = 3
MAX_TOOLS = 12
MAX_CRITERIA = 30
LIMITS = {
    'title': 120,
    'tool_name': 60,
    'criterion_title': 100,
    'explanation': 400,
    'note': 500,
    'rationale': 2000,
    'display_name': 40,
}
MODES = ('together', 'private', 'revealed')  # private: each scores alone; revealed: the private scores are shown
WEIGHT_POLICIES = ('locked', 'coordinator', 'everyone')
ID_PATTERN = re.compile(r'^[a-z][a-z0-9_]{0,39}$')
DOC_VERSION = 1


def cell_key(tool_id: str, criterion_id: str) -> str:
    return f'{tool_id}:{criterion_id}'


# -- cleaning user input ---------------------------------------------------------------------------------------------


def clean_display_name(value: Any) -> str:
    """A participant's name as others will see it: short plain text, no markup."""
    if isinstance(value, str) and len(value) > 4 * LIMITS['display_name']:
        raise ValidationError('error.too_long', 'name', max=LIMITS['display_name'])
    name = clean.clean_text(value, LIMITS['display_name'], 'name', required='meeting.error.name_required')
    if '<' in name or '>' in name:
        raise ValidationError('meeting.error.name_markup', 'name')
    return name


def check_score(value: Any) -> int | None:
    """0..3, or None to clear the score. Booleans, floats and strings are refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
        raise ValidationError('ittools.error.score', 'score')
    return value


def check_weight(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_WEIGHT <= value <= MAX_WEIGHT:
        raise ValidationError('ittools.error.weight', 'weight', max=MAX_WEIGHT)
    return value


def check_date(value: Any) -> str:
    """An ISO date (YYYY-MM-DD) between 2000 and a year from now."""
    latest = clock.today() + timedelta(days=366)
    return parse_day(value, 'ittools.error.date', 'date', latest=latest).isoformat()


# -- records -----------------------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One field of one cell (its score or its note), with who set it last and when."""

    value: Any
    by: str  # display name of the author, as shown to others
    by_id: str  # the author's actor id ('u:<user id>' or 'p:<participant id>'), never shown
    at: str
    rev: int

    def to_doc(self) -> dict[str, Any]:
        return {'value': self.value, 'by': self.by, 'by_id': self.by_id, 'at': self.at, 'rev': self.rev}


@dataclass
class ToolRef:
    id: str
    catalogue: bool  # name and description come from the catalogue
    name: str = ''  # own tools only
    description: str = ''


@dataclass
class CriterionRef:
    id: str
    weight: int = DEFAULT_WEIGHT
    must: bool = False
    catalogue: bool = True
    title: str = ''  # own criteria only
    explanation: str = ''
    rev: int = 0  # of the last weight or must-have change


@dataclass
class Decision:
    tool_id: str
    tool_name: str
    rationale: str
    date: str  # the day the group decided (ISO)
    recorded_by: str
    recorded_at: str
    ranking: list[dict[str, Any]] = field(default_factory=list)  # the ranking as it was when recorded


@dataclass
class Comparison:
    id: str
    title: str
    created: str
    updated: str
    template: str = ''
    tools: list[ToolRef] = field(default_factory=list)
    criteria: list[CriterionRef] = field(default_factory=list)
    scores: dict[str, Entry] = field(default_factory=dict)
    notes: dict[str, Entry] = field(default_factory=dict)
    decision: Decision | None = None
    rev: int = 0

    def tool(self, tool_id: str) -> ToolRef | None:
        return next((t for t in self.tools if t.id == tool_id), None)

    def criterion(self, criterion_id: str) -> CriterionRef | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def split_key(self, key: Any) -> tuple[str, str]:
        """The tool and criterion of a cell key; ValidationError for a key that names no cell of this comparison."""
        if not isinstance(key, str) or key.count(':') != 1:
            raise ValidationError('ittools.error.cell', 'cell')
        tool_id, criterion_id = key.split(':')
        if self.tool(tool_id) is None or self.criterion(criterion_id) is None:
            raise ValidationError('ittools.error.cell', 'cell')
        return tool_id, criterion_id

    def keys(self) -> list[str]:
        return [cell_key(t.id, c.id) for c in self.criteria for t in self.tools]

    def score(self, key: str) -> int | None:
        entry = self.scores.get(key)
        return None if entry is None else entry.value

    def next_rev(self) -> int:
        self.rev += 1
        return self.rev

    def to_doc(self) -> dict[str, Any]:
        return {
            'v': DOC_VERSION,
            'id': self.id,
            'title': self.title,
            'created': self.created,
            'updated': self.updated,
            'template': self.template,
            'rev': self.rev,
            'tools': [
                {'id': t.id, 'catalogue': t.catalogue, 'name': t.name, 'description': t.description} for t in self.tools
            ],
            'criteria': [
                {
                    'id': c.id,
                    'weight': c.weight,
                    'must': c.must,
                    'catalogue': c.catalogue,
                    'title': c.title,
                    'explanation': c.explanation,
                    'rev': c.rev,
                }
                for c in self.criteria
            ],
            'scores': {k: e.to_doc() for k, e in self.scores.items()},
            'notes': {k: e.to_doc() for k, e in self.notes.items()},
            'decision': None
            if self.decision is None
            else {
                'tool_id': self.decision.tool_id,
                'tool_name': self.decision.tool_name,
                'rationale': self.decision.rationale,
                'date': self.decision.date,
                'recorded_by': self.decision.recorded_by,
                'recorded_at': self.decision.recorded_at,
                'ranking': [dict(r) for r in self.decision.ranking],
            },
        }


@dataclass
class Participant:
    id: str
    name: str
    joined: str


@dataclass
class Meeting:
    id: str
    comparison_id: str
    code: str
    mode: str  # together | private | revealed
    weights: str  # locked | coordinator | everyone: who may change weights during the meeting
    started: str
    started_by: str
    expires: str
    ended: str | None = None
    round: int = 0  # private scoring rounds started
    participants: dict[str, Participant] = field(default_factory=dict)
    private: dict[str, dict[str, int]] = field(default_factory=dict)  # actor id -> cell key -> score (this round)

    @property
    def active(self) -> bool:
        return self.ended is None and datetime.fromisoformat(self.expires) > clock.now()

    def to_doc(self) -> dict[str, Any]:
        return {
            'v': DOC_VERSION,
            'id': self.id,
            'comparison_id': self.comparison_id,
            'code': self.code,
            'mode': self.mode,
            'weights': self.weights,
            'started': self.started,
            'started_by': self.started_by,
            'expires': self.expires,
            'ended': self.ended,
            'round': self.round,
            'participants': {p.id: {'name': p.name, 'joined': p.joined} for p in self.participants.values()},
            'private': {a: dict(s) for a, s in self.private.items()},
        }


# -- reading stored documents (also the check an imported table must pass) ---------------------------------------------


def _str(doc: dict, name: str, limit: int = 200, *, optional: bool = False) -> str:
    value = doc.get(name, '' if optional else None)
    if value is None and optional:
        return ''
    if not isinstance(value, str) or len(value) > limit:
        raise ValidationError('error.invalid', name)
    return value


def _ident(value: Any, name: str) -> str:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise ValidationError('error.invalid', name)
    return value


def _stamp(value: Any, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValidationError('error.invalid', name)
    try:
        datetime.fromisoformat(value)
    except ValueError as e:
        raise ValidationError('error.invalid', name) from e
    return value


def _rev(value: Any, name: str = 'rev') -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError('error.invalid', name)
    return value


def _entry(raw: Any, check_value) -> Entry:
    if not isinstance(raw, dict):
        raise ValidationError('error.invalid', 'cell')
    return Entry(
        value=check_value(raw.get('value')),
        by=_str(raw, 'by', LIMITS['display_name'] + 20),
        by_id=_str(raw, 'by_id', 80),
        at=_stamp(raw.get('at'), 'at') or '',
        rev=_rev(raw.get('rev')),
    )


def comparison_from_doc(doc: Any) -> Comparison:
    """A stored comparison; ValidationError if anything in it is off (types, ranges, unknown cells, lengths)."""
    if not isinstance(doc, dict) or doc.get('v') != DOC_VERSION:
        raise ValidationError('error.invalid', 'comparison')
    tools_raw, criteria_raw = doc.get('tools'), doc.get('criteria')
    if (
        not isinstance(tools_raw, list)
        or not isinstance(criteria_raw, list)
        or len(tools_raw) > MAX_TOOLS
        or len(criteria_raw) > MAX_CRITERIA
    ):
        raise ValidationError('error.invalid', 'comparison')
    tools = [_tool_ref(raw) for raw in tools_raw]
    criteria = [_criterion_ref(raw) for raw in criteria_raw]
    comparison = Comparison(
        id=_ident(doc.get('id'), 'id'),
        title=_str(doc, 'title', LIMITS['title']),
        created=_stamp(doc.get('created'), 'created') or '',
        updated=_stamp(doc.get('updated'), 'updated') or '',
        template=_str(doc, 'template', 40, optional=True),
        tools=tools,
        criteria=criteria,
        rev=_rev(doc.get('rev')),
    )
    if len({t.id for t in tools}) != len(tools) or len({c.id for c in criteria}) != len(criteria):
        raise ValidationError('error.invalid', 'comparison')
    _load_cells(doc, 'scores', comparison.scores, comparison, check_score)
    _load_cells(doc, 'notes', comparison.notes, comparison, _check_note)
    if doc.get('decision') is not None:
        comparison.decision = _decision(doc['decision'])
    return comparison


def _tool_ref(raw: Any) -> ToolRef:
    if not isinstance(raw, dict) or not isinstance(raw.get('catalogue'), bool):
        raise ValidationError('error.invalid', 'tools')
    return ToolRef(
        id=_ident(raw.get('id'), 'tool'),
        catalogue=raw['catalogue'],
        name=_str(raw, 'name', LIMITS['tool_name'], optional=True),
        description=_str(raw, 'description', LIMITS['explanation'], optional=True),
    )


def _criterion_ref(raw: Any) -> CriterionRef:
    if not isinstance(raw, dict) or not isinstance(raw.get('catalogue'), bool) or not isinstance(raw.get('must'), bool):
        raise ValidationError('error.invalid', 'criteria')
    return CriterionRef(
        id=_ident(raw.get('id'), 'criterion'),
        weight=check_weight(raw.get('weight')),
        must=raw['must'],
        catalogue=raw['catalogue'],
        title=_str(raw, 'title', LIMITS['criterion_title'], optional=True),
        explanation=_str(raw, 'explanation', LIMITS['explanation'], optional=True),
        rev=_rev(raw.get('rev', 0)),
    )


def _check_note(value: Any) -> str:
    if not isinstance(value, str) or len(value) > LIMITS['note']:
        raise ValidationError('error.invalid', 'note')
    return value


def _load_cells(doc: dict[str, Any], name: str, target: dict[str, Any], comparison: Comparison, check: Any) -> None:
    """The stored cells of one kind (scores or notes): keys of known tools and criteria, revisions not ahead of
    the comparison's."""
    raw_cells = doc.get(name)
    if not isinstance(raw_cells, dict):
        raise ValidationError('error.invalid', name)
    for key, raw in raw_cells.items():
        comparison.split_key(key)
        entry = _entry(raw, check)
        if entry.rev > comparison.rev:
            raise ValidationError('error.invalid', name)
        target[key] = entry


def _decision(raw_decision: Any) -> Decision:
    if not isinstance(raw_decision, dict) or not isinstance(raw_decision.get('ranking'), list):
        raise ValidationError('error.invalid', 'decision')
    ranking = []
    for row in raw_decision['ranking'][:MAX_TOOLS]:
        if not isinstance(row, dict):
            raise ValidationError('error.invalid', 'decision')
        ranking.append(_ranking_row(row))
    return Decision(
        tool_id=_ident(raw_decision.get('tool_id'), 'tool'),
        tool_name=_str(raw_decision, 'tool_name', LIMITS['tool_name'] + 40),
        rationale=_str(raw_decision, 'rationale', LIMITS['rationale']),
        date=check_date(raw_decision.get('date')),
        recorded_by=_str(raw_decision, 'recorded_by', 120),
        recorded_at=_stamp(raw_decision.get('recorded_at'), 'recorded_at') or '',
        ranking=ranking,
    )


def _ranking_row(row: dict[str, Any]) -> dict[str, Any]:
    out = {
        'tool_id': _ident(row.get('tool_id'), 'tool'),
        'name': _str(row, 'name', LIMITS['tool_name'] + 40),
        'rank': row.get('rank'),
        'percent': row.get('percent'),
        'points': row.get('points'),
        'max_points': row.get('max_points'),
        'excluded': row.get('excluded'),
        'failed': row.get('failed', []),
    }
    numbers_ok = all(
        isinstance(out[k], int | float) and not isinstance(out[k], bool) and out[k] >= 0
        for k in ('rank', 'percent', 'points', 'max_points')
    )
    if (
        not numbers_ok
        or out['percent'] > 1
        or not isinstance(out['excluded'], bool)
        or not isinstance(out['failed'], list)
        or not all(isinstance(f, str) and ID_PATTERN.fullmatch(f) for f in out['failed'])
    ):
        raise ValidationError('error.invalid', 'decision')
    return out


def meeting_from_doc(doc: Any) -> Meeting:
    if not isinstance(doc, dict) or doc.get('v') != DOC_VERSION:
        raise ValidationError('error.invalid', 'meeting')
    mode, weights = doc.get('mode'), doc.get('weights')
    if mode not in MODES or weights not in WEIGHT_POLICIES:
        raise ValidationError('error.invalid', 'meeting')
    code = doc.get('code')
    if not isinstance(code, str) or not re.fullmatch(r'[A-Z0-9]{6}', code):
        raise ValidationError('error.invalid', 'code')
    meeting = Meeting(
        id=_ident(doc.get('id'), 'id'),
        comparison_id=_ident(doc.get('comparison_id'), 'comparison'),
        code=code,
        mode=mode,
        weights=weights,
        started=_stamp(doc.get('started'), 'started') or '',
        started_by=_str(doc, 'started_by', 120),
        expires=_stamp(doc.get('expires'), 'expires') or '',
        ended=_stamp(doc.get('ended'), 'ended', optional=True),
        round=_rev(doc.get('round', 0), 'round'),
    )
    participants = doc.get('participants')
    private = doc.get('private')  # older files also hold 'scorer_names': no longer used, so not read
    if not isinstance(participants, dict) or not isinstance(private, dict):
        raise ValidationError('error.invalid', 'meeting')
    for pid, raw in participants.items():
        if not isinstance(pid, str) or not re.fullmatch(r'[0-9a-f]{16}', pid) or not isinstance(raw, dict):
            raise ValidationError('error.invalid', 'participants')
        meeting.participants[pid] = Participant(
            pid, clean_display_name(raw.get('name')), _stamp(raw.get('joined'), 'joined') or ''
        )
    for actor_id, scores in private.items():
        if not isinstance(actor_id, str) or len(actor_id) > 80 or not isinstance(scores, dict):
            raise ValidationError('error.invalid', 'private')
        clean = {}
        for key, value in scores.items():
            if not isinstance(key, str) or key.count(':') != 1:
                raise ValidationError('error.invalid', 'private')
            score = check_score(value)
            if score is not None:
                clean[key] = score
        meeting.private[actor_id] = clean
    return meeting


def validate_comparisons(docs: list[dict[str, Any]]) -> None:
    """The check of an imported `ittools_comparisons` table."""
    ids = set()
    for doc in docs:
        comparison = comparison_from_doc(doc)
        if comparison.id in ids:
            raise ValidationError('error.invalid', 'id')
        ids.add(comparison.id)


def validate_meetings(docs: list[dict[str, Any]]) -> None:
    """The check of an imported `ittools_meetings` table."""
    ids = set()
    for doc in docs:
        meeting = meeting_from_doc(doc)
        if meeting.id in ids:
            raise ValidationError('error.invalid', 'id')
        ids.add(meeting.id)
