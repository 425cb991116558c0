"""The stored shapes of the IT-tools tables, for export and import (core/schema.py).

An export carries the comparison with its agreed scores and notes, but no author of a cell (a name next to a score
says who scored what; the actor id is an internal id) and no meeting at all: a meeting's private scores and its
participants' names stay on this server, before and after the reveal. An import still checks an older file's
meetings, then leaves them out: a copied meeting could never run again anyway (its code leads elsewhere).
"""

from __future__ import annotations

from core import schema

from .catalogue import MAX_WEIGHT, MIN_WEIGHT
from .model import LIMITS, MAX_CRITERIA, MAX_TOOLS, MODES, SCORES, WEIGHT_POLICIES

# the tables: comparisons and meetings in the community's file, the join-code index in the accounts file
COMPARISONS = 'ittools_comparisons'
MEETINGS = 'ittools_meetings'
CODES = 'ittools_codes'

_ID = schema.Str(40, pattern=r'[a-z][a-z0-9_]{0,39}')
_CELL = schema.Str(81, pattern=r'[a-z][a-z0-9_]{0,39}:[a-z][a-z0-9_]{0,39}')
_REV = schema.Int(0, 10**12)
_NAME = schema.Str(LIMITS['display_name'] + 20)


def _entry(value: schema.Schema) -> schema.Record:
    return schema.Record(
        {
            'value': value,
            'by': schema.private(_NAME, default=''),
            'by_id': schema.private(schema.Str(80), default=''),
            'at': schema.Stamp(),
            'rev': _REV,
        }
    )


_RANKING_ROW = schema.Record(
    {
        'tool_id': _ID,
        'name': schema.Str(LIMITS['tool_name'] + 40),
        'rank': schema.Num(0, 1000),
        'percent': schema.Num(0, 1),
        'points': schema.Num(0, 10**9),
        'max_points': schema.Num(0, 10**9),
        'excluded': schema.Bool(),
        'failed': schema.optional(schema.ListOf(_ID, MAX_CRITERIA)),
    }
)
COMPARISON = schema.Record(
    {
        'v': schema.Choice(1),
        'id': _ID,
        'title': schema.Str(LIMITS['title']),
        'created': schema.Stamp(blank=True),
        'updated': schema.Stamp(blank=True),
        'template': schema.optional(schema.Str(40)),
        'rev': _REV,
        'tools': schema.ListOf(
            schema.Record(
                {
                    'id': _ID,
                    'catalogue': schema.Bool(),
                    'name': schema.optional(schema.Str(LIMITS['tool_name'])),
                    'description': schema.optional(schema.Str(LIMITS['explanation'])),
                }
            ),
            MAX_TOOLS,
        ),
        'criteria': schema.ListOf(
            schema.Record(
                {
                    'id': _ID,
                    'weight': schema.Int(MIN_WEIGHT, MAX_WEIGHT),
                    'must': schema.Bool(),
                    'catalogue': schema.Bool(),
                    'title': schema.optional(schema.Str(LIMITS['criterion_title'])),
                    'explanation': schema.optional(schema.Str(LIMITS['explanation'])),
                    'rev': schema.optional(_REV),
                }
            ),
            MAX_CRITERIA,
        ),
        'scores': schema.MapOf(_CELL, _entry(schema.Nullable(schema.Choice(*SCORES))), MAX_TOOLS * MAX_CRITERIA),
        'notes': schema.MapOf(_CELL, _entry(schema.Str(LIMITS['note'])), MAX_TOOLS * MAX_CRITERIA),
        'decision': schema.Nullable(
            schema.Record(
                {
                    'tool_id': _ID,
                    'tool_name': schema.Str(LIMITS['tool_name'] + 40),
                    'rationale': schema.Str(LIMITS['rationale']),
                    'date': schema.Day(),
                    'recorded_by': schema.Str(120),
                    'recorded_at': schema.Stamp(),
                    'ranking': schema.ListOf(_RANKING_ROW, MAX_TOOLS),
                }
            )
        ),
    }
)
MEETING = schema.Record(
    {
        'v': schema.Choice(1),
        'id': schema.Str(40, min=1),
        'comparison_id': _ID,
        'code': schema.Str(6, pattern=r'[A-Z0-9]{6}'),
        'mode': schema.Choice(*MODES),
        'weights': schema.Choice(*WEIGHT_POLICIES),
        'started': schema.Stamp(),
        'started_by': schema.Str(120),
        'expires': schema.Stamp(),
        'ended': schema.optional(schema.Nullable(schema.Stamp())),
        'round': schema.optional(_REV),
        'participants': schema.MapOf(
            schema.Str(16, pattern=r'[0-9a-f]{16}'),
            schema.Record({'name': schema.Str(4 * LIMITS['display_name']), 'joined': schema.Stamp()}),
            1000,
        ),
        'private': schema.MapOf(
            schema.Str(80), schema.MapOf(_CELL, schema.Nullable(schema.Choice(*SCORES)), MAX_TOOLS * MAX_CRITERIA), 1000
        ),
        'scorer_names': schema.optional(schema.MapOf(schema.Str(80), _NAME, 1000)),  # older files
    }
)
