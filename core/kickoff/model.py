"""Kick-off scenarios as stored in a community's file: records, field rules and the check an imported table must pass.

One document per scenario in the table `kickoff_scenarios`, blocks and checklists embedded, every record referenced
by its own string id (never a TinyDB doc id).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from .. import clean, schema
from ..agenda import MAX_DURATION, MIN_DURATION, Timing, check_duration, format_clock, parse_clock, schedule
from ..dates import optional_day
from ..errors import ValidationError
from ..i18n import LANGUAGES
from .terms import KINDS, LIMITS, MODES

TABLE = 'kickoff_scenarios'
MAX_SCENARIOS = 30
MAX_BLOCKS = 40
MAX_CHECK_ITEMS = 40
NEW_BLOCK_DURATION = 10  # minutes of a block added by hand, before the coordinator sets its own
CHECKLISTS = ('preparation', 'follow_up')
SINGLE_LINE = {'title', 'location', 'person', 'block_title', 'method_text', 'check'}
BLOCK_TEXTS = {
    'title': 'block_title',
    'goal': 'goal',
    'method_text': 'method_text',
    'instructions': 'instructions',
    'materials': 'materials',
    'notes': 'notes',
}
ID = re.compile(r'^[0-9a-f]{16}$')


_ID = schema.Str(16, pattern=ID.pattern.strip('^$'))
_CLOCK = schema.Str(5, pattern=r'\d{2}:\d{2}')
_CHECK_ITEM = schema.Record({'id': _ID, 'text': schema.Str(LIMITS['check']), 'done': schema.Bool()})
BLOCK_RECORD = schema.Record(
    {
        'id': _ID,
        'kind': schema.Choice(*KINDS),
        'title': schema.Str(LIMITS['block_title']),
        'duration': schema.Int(MIN_DURATION, MAX_DURATION),
        'goal': schema.Str(LIMITS['goal']),
        'method': schema.Str(60),
        'method_text': schema.Str(LIMITS['method_text']),
        'instructions': schema.Str(LIMITS['instructions']),
        'roles': schema.ListOf(schema.Str(40), 40),
        'materials': schema.Str(LIMITS['materials']),
        'notes': schema.Str(LIMITS['notes']),
    }
)
RECORD = schema.Record(
    {
        'id': _ID,
        'title': schema.Str(LIMITS['title']),
        'start': _CLOCK,
        'planned_end': schema.OneOf(schema.Str(0), _CLOCK),
        'date': schema.Day(blank=True),
        'mode': schema.Choice(*MODES),
        'location': schema.Str(LIMITS['location']),
        'template': schema.optional(schema.Str(60)),
        'lang': schema.Choice(*LANGUAGES),
        'current': schema.Bool(),
        'people': schema.optional(schema.MapOf(schema.Str(40), schema.Str(LIMITS['person']), 40)),
        'blocks': schema.ListOf(BLOCK_RECORD, MAX_BLOCKS),
        'preparation': schema.ListOf(_CHECK_ITEM, MAX_CHECK_ITEMS),
        'follow_up': schema.ListOf(_CHECK_ITEM, MAX_CHECK_ITEMS),
        'created': schema.Stamp(blank=True),
        'updated': schema.Stamp(blank=True),
    }
)


def new_id() -> str:
    return secrets.token_hex(8)


def clean_field(value: Any, kind: str, field_name: str | None = None) -> str:
    """A kick-off text of `kind` (a key of LIMITS) cleaned by core.clean.clean_text: one line for SINGLE_LINE
    kinds, several lines otherwise."""
    return clean.clean_text(value, LIMITS[kind], field_name or kind, multiline=kind not in SINGLE_LINE)


def clean_date(value: Any) -> str:
    day = optional_day(value, 'kickoff.error.date', 'date')
    return day.isoformat() if day else ''


def clean_clock(value: Any, field_name: str, *, optional: bool = False) -> str:
    if optional and value in (None, ''):
        return ''
    return format_clock(parse_clock(value, field_name))


@dataclass(frozen=True)
class Block:
    id: str
    kind: str
    title: str
    duration: int
    goal: str = ''
    method: str = ''  # a method id of the library, or '' (then method_text may name one freely)
    method_text: str = ''
    instructions: str = ''
    roles: tuple[str, ...] = ()
    materials: str = ''
    notes: str = ''


@dataclass(frozen=True)
class CheckItem:
    id: str
    text: str
    done: bool = False


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    start: str
    planned_end: str = ''
    date: str = ''
    mode: str = 'onsite'
    location: str = ''
    template: str = ''
    lang: str = 'nl'
    current: bool = False
    people: dict[str, str] = field(default_factory=dict)  # role id -> who plays it
    blocks: tuple[Block, ...] = ()
    preparation: tuple[CheckItem, ...] = ()
    follow_up: tuple[CheckItem, ...] = ()
    created: str = ''
    updated: str = ''

    @property
    def timing(self) -> Timing:
        return schedule(self.start, [b.duration for b in self.blocks], self.planned_end or None)

    def block(self, block_id: str) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def checklist(self, name: str) -> tuple[CheckItem, ...]:
        return self.preparation if name == 'preparation' else self.follow_up


def block_from_doc(doc: dict[str, Any]) -> Block:
    return Block(
        id=doc['id'],
        kind=doc.get('kind', 'custom'),
        title=doc.get('title', ''),
        duration=int(doc.get('duration', 1)),
        goal=doc.get('goal', ''),
        method=doc.get('method', ''),
        method_text=doc.get('method_text', ''),
        instructions=doc.get('instructions', ''),
        roles=tuple(doc.get('roles', ())),
        materials=doc.get('materials', ''),
        notes=doc.get('notes', ''),
    )


def block_to_doc(block: Block) -> dict[str, Any]:
    return {
        'id': block.id,
        'kind': block.kind,
        'title': block.title,
        'duration': block.duration,
        'goal': block.goal,
        'method': block.method,
        'method_text': block.method_text,
        'instructions': block.instructions,
        'roles': list(block.roles),
        'materials': block.materials,
        'notes': block.notes,
    }


def scenario_from_doc(doc: dict[str, Any]) -> Scenario:
    return Scenario(
        id=doc['id'],
        title=doc.get('title', ''),
        start=doc.get('start', '09:00'),
        planned_end=doc.get('planned_end', ''),
        date=doc.get('date', ''),
        mode=doc.get('mode', 'onsite'),
        location=doc.get('location', ''),
        template=doc.get('template', ''),
        lang=doc.get('lang', 'nl'),
        current=bool(doc.get('current')),
        people=dict(doc.get('people', {})),
        blocks=tuple(block_from_doc(b) for b in doc.get('blocks', ())),
        preparation=_items(doc.get('preparation', ())),
        follow_up=_items(doc.get('follow_up', ())),
        created=doc.get('created', ''),
        updated=doc.get('updated', ''),
    )


def _items(docs: Any) -> tuple[CheckItem, ...]:
    return tuple(CheckItem(c['id'], c.get('text', ''), bool(c.get('done'))) for c in docs)


def scenario_to_doc(scenario: Scenario) -> dict[str, Any]:
    return {
        'id': scenario.id,
        'title': scenario.title,
        'start': scenario.start,
        'planned_end': scenario.planned_end,
        'date': scenario.date,
        'mode': scenario.mode,
        'location': scenario.location,
        'template': scenario.template,
        'lang': scenario.lang,
        'current': scenario.current,
        'people': dict(scenario.people),
        'blocks': [block_to_doc(b) for b in scenario.blocks],
        'preparation': [{'id': c.id, 'text': c.text, 'done': c.done} for c in scenario.preparation],
        'follow_up': [{'id': c.id, 'text': c.text, 'done': c.done} for c in scenario.follow_up],
        'created': scenario.created,
        'updated': scenario.updated,
    }


def clean_block_fields(raw: dict[str, Any], role_ids: tuple[str, ...], method_ids: set[str]) -> dict[str, Any]:
    """Check the given fields of a block (any subset); returns them cleaned. ValidationError names the field."""
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if name in BLOCK_TEXTS:
            out[name] = clean_field(value, BLOCK_TEXTS[name], name)
            if name == 'title' and not out[name]:
                raise ValidationError('kickoff.error.title_required', 'title')
        elif name == 'duration':
            out[name] = check_duration(value, 'duration')
        elif name == 'method':
            value = value or ''
            if not isinstance(value, str) or (value and value not in method_ids):  # a list is no method id
                raise ValidationError('kickoff.error.method', 'method')
            out[name] = value
        elif name == 'roles':
            if not isinstance(value, list | tuple) or any(r not in role_ids for r in value):
                raise ValidationError('error.invalid', 'roles')
            out[name] = [r for r in role_ids if r in value]  # catalogue order, no duplicates
        elif name == 'kind':
            if not isinstance(value, str) or value not in KINDS:
                raise ValidationError('error.invalid', 'kind')
            out[name] = value
        else:
            raise ValidationError('error.invalid', name)
    return out


def clean_scenario_fields(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if name in ('title', 'location'):
            out[name] = clean_field(value, name, name)
            if name == 'title' and not out[name]:
                raise ValidationError('kickoff.error.title_required', 'title')
        elif name == 'start':
            out[name] = clean_clock(value, 'start')
        elif name == 'planned_end':
            out[name] = clean_clock(value, 'planned_end', optional=True)
        elif name == 'date':
            out[name] = clean_date(value)
        elif name == 'mode':
            if value not in MODES:
                raise ValidationError('error.invalid', 'mode')
            out[name] = value
        else:
            raise ValidationError('error.invalid', name)
    return out


def validate_docs(docs: list[dict[str, Any]], role_ids: tuple[str, ...], method_ids: set[str]) -> None:
    """The check of an imported `kickoff_scenarios` table: every record complete, within the rules, ids unique."""
    if len(docs) > MAX_SCENARIOS:
        raise ValidationError('error.invalid', TABLE)
    seen: set[str] = set()
    for doc in docs:
        try:
            _validate_doc(doc, role_ids, method_ids, seen)
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ValidationError('error.invalid', TABLE) from e


BLOCK_FIELDS = (
    'kind',
    'title',
    'duration',
    'goal',
    'method',
    'method_text',
    'instructions',
    'roles',
    'materials',
    'notes',
)


def _validate_doc(doc: dict[str, Any], role_ids: tuple[str, ...], method_ids: set[str], seen: set[str]) -> None:
    def fresh(value: Any) -> None:
        if not isinstance(value, str) or not ID.match(value) or value in seen:
            raise ValidationError('error.invalid', 'id')
        seen.add(value)

    fresh(doc['id'])
    _validate_scenario_fields(doc, role_ids)
    blocks = doc['blocks']
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        raise ValidationError('error.invalid', 'blocks')
    for block in blocks:
        fresh(block['id'])
        fields = {k: block[k] for k in BLOCK_FIELDS}
        if clean_block_fields(fields, role_ids, method_ids) != fields:
            raise ValidationError('error.invalid', 'block')
    for name in CHECKLISTS:
        items = doc[name]
        if not isinstance(items, list) or len(items) > MAX_CHECK_ITEMS:
            raise ValidationError('error.invalid', name)
        for item in items:
            fresh(item['id'])
            text = item['text']
            if not isinstance(item['done'], bool) or not text or clean_field(text, 'check') != text:
                raise ValidationError('error.invalid', name)
    schedule(doc['start'], [b['duration'] for b in blocks], doc['planned_end'] or None)


def _validate_scenario_fields(doc: dict[str, Any], role_ids: tuple[str, ...]) -> None:
    """The scenario's own fields and its people, each as the editor would have stored it."""
    fields = {k: doc[k] for k in ('title', 'location', 'start', 'planned_end', 'date', 'mode')}
    if clean_scenario_fields(fields) != fields:
        raise ValidationError('error.invalid', 'scenario')
    if (
        not isinstance(doc.get('current'), bool)
        or not isinstance(doc.get('template', ''), str)
        or doc.get('lang') not in LANGUAGES
    ):
        raise ValidationError('error.invalid', 'scenario')
    people = doc.get('people', {})
    if not isinstance(people, dict) or any(
        k not in role_ids or clean_field(v, 'person') != v for k, v in people.items()
    ):
        raise ValidationError('error.invalid', 'people')
