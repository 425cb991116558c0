"""The kick-off scenario builder's rules: scenarios of a community, their blocks, checklists and the kick-off plan.

Every mutating method checks the actor's role (co-coordinators edit, coaches read), validates its input, checks the
timing (no block may end after midnight) and ends with `await db.commit()`, so the page confirms only what is on disk.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from tinydb import Query

from .. import clock
from ..agenda import format_clock, format_planned_end, parse_clock, schedule
from ..communities import Communities, TableSpec
from ..errors import NotFound, ValidationError
from ..i18n import LANGUAGES, Text
from ..roles import Permission
from ..store import Store
from .catalogue import KickoffCatalogue, Method
from .model import (
    CHECKLISTS,
    LIMITS,
    MAX_BLOCKS,
    MAX_CHECK_ITEMS,
    MAX_SCENARIOS,
    NEW_BLOCK_DURATION,
    RECORD,
    TABLE,
    Block,
    CheckItem,
    Scenario,
    block_from_doc,
    block_to_doc,
    clean_block_fields,
    clean_field,
    clean_scenario_fields,
    new_id,
    scenario_from_doc,
    scenario_to_doc,
    validate_docs,
)

T = TypeVar('T')


def _pick(text: Text | None, lang: str) -> str:
    if not text:
        return ''
    return text.get(lang) or text.get('nl') or ''


class Kickoff:
    def __init__(self, store: Store, communities: Communities, catalogue: KickoffCatalogue) -> None:
        self.store = store
        self.communities = communities
        self.catalogue = catalogue
        self._method_ids = {m.id for m in catalogue.methods}
        communities.register_table(
            TableSpec(
                TABLE,
                RECORD,
                lambda docs: validate_docs(docs, catalogue.role_ids, self._method_ids),
                max_records=MAX_SCENARIOS,
            )
        )

    # -- reading -----------------------------------------------------------------------------------------------

    def _table(self, cid: str):
        return self.store.community(cid).table(TABLE)

    def _require(self, user_id: str, cid: str, permission: Permission) -> None:
        self.communities.get(user_id, cid, permission)  # NotFound or PermissionDenied

    def scenarios(self, user_id: str, cid: str) -> list[Scenario]:
        """The community's scenarios: the kick-off plan first, then the most recently changed."""
        self._require(user_id, cid, Permission.VIEW)
        scenarios = [scenario_from_doc(d) for d in self._table(cid).all()]
        scenarios.sort(key=lambda s: s.updated, reverse=True)
        return sorted(scenarios, key=lambda s: not s.current)

    def get(self, user_id: str, cid: str, sid: str) -> Scenario:
        self._require(user_id, cid, Permission.VIEW)
        doc = self._table(cid).get(Query()['id'] == sid)
        if doc is None:
            raise NotFound('kickoff.error.gone')
        return scenario_from_doc(doc)

    def current(self, user_id: str, cid: str) -> Scenario | None:
        """The scenario marked as the community's kick-off plan (None if there is none)."""
        return next((s for s in self.scenarios(user_id, cid) if s.current), None)

    def plan_data(self, user_id: str, cid: str, lang: str) -> dict[str, Any] | None:
        """The kick-off plan as plain data (for the PDF dossier and other parts), None when there is none."""
        scenario = self.current(user_id, cid)
        return scenario_data(scenario, self.catalogue, lang) if scenario else None

    # -- scenarios ---------------------------------------------------------------------------------------------

    async def create(
        self, user_id: str, cid: str, *, title: str, lang: str, template_id: str | None = None, start: str = '09:30'
    ) -> Scenario:
        """A new scenario, from a template (texts in `lang`) or empty. The first one becomes the kick-off plan."""
        self._require(user_id, cid, Permission.EDIT)
        if lang not in LANGUAGES:
            raise ValidationError('error.invalid', 'lang')
        table = self._table(cid)
        if len(table) >= MAX_SCENARIOS:
            raise ValidationError('kickoff.error.too_many_scenarios', max=MAX_SCENARIOS)
        fields = clean_scenario_fields({'title': title, 'start': start})
        template = self.catalogue.template(template_id)
        if template_id and template is None:
            raise NotFound('kickoff.error.template')
        now = clock.now_iso()
        doc: dict[str, Any] = {
            'id': new_id(),
            'title': fields['title'],
            'start': fields['start'],
            'planned_end': '',
            'date': '',
            'mode': 'onsite',
            'location': '',
            'template': template_id or '',
            'lang': lang,
            'current': len(table) == 0,
            'people': {},
            'blocks': [],
            'preparation': [],
            'follow_up': [],
            'created': now,
            'updated': now,
        }
        if template is not None:
            start_minutes = parse_clock(template.start)
            doc.update(
                start=format_clock(start_minutes),
                mode=template.mode,
                planned_end=format_planned_end(start_minutes + template.total),
            )
            doc['blocks'] = [
                {
                    'id': new_id(),
                    **clean_block_fields(
                        {
                            'kind': b.kind,
                            'title': _pick(b.title, lang),
                            'duration': b.duration,
                            'goal': _pick(b.goal, lang),
                            'method': b.method or '',
                            'method_text': '',
                            'instructions': _pick(b.instructions, lang),
                            'roles': list(b.roles),
                            'materials': _pick(b.materials, lang),
                            'notes': _pick(b.notes, lang),
                        },
                        self.catalogue.role_ids,
                        self._method_ids,
                    ),
                }
                for b in template.blocks
            ]
            for name in CHECKLISTS:
                doc[name] = [
                    {'id': new_id(), 'text': clean_field(_pick(text, lang), 'check'), 'done': False}
                    for text in getattr(template, name)
                ]
        table.insert(doc)
        await self.store.community(cid).commit()
        return scenario_from_doc(doc)

    async def duplicate(self, user_id: str, cid: str, sid: str, title: str) -> Scenario:
        """A copy of the scenario (not the kick-off plan), named `title`, cut to the length a title may have."""
        original = self.get(user_id, cid, sid)
        self._require(user_id, cid, Permission.EDIT)
        table = self._table(cid)
        if len(table) >= MAX_SCENARIOS:
            raise ValidationError('kickoff.error.too_many_scenarios', max=MAX_SCENARIOS)
        now = clock.now_iso()
        title = clean_scenario_fields({'title': title[: LIMITS['title']]})['title']
        copy_ = replace(
            original,
            id=new_id(),
            title=title,
            current=False,
            blocks=tuple(replace(b, id=new_id()) for b in original.blocks),
            preparation=tuple(replace(c, id=new_id()) for c in original.preparation),
            follow_up=tuple(replace(c, id=new_id()) for c in original.follow_up),
            created=now,
            updated=now,
        )
        table.insert(scenario_to_doc(copy_))
        await self.store.community(cid).commit()
        return copy_

    async def delete(self, user_id: str, cid: str, sid: str) -> Scenario:
        """Remove a scenario; returns it so the page can offer to undo (`restore`)."""
        scenario = self.get(user_id, cid, sid)
        self._require(user_id, cid, Permission.EDIT)
        self._table(cid).remove(Query()['id'] == sid)
        await self.store.community(cid).commit()
        return scenario

    async def restore(self, user_id: str, cid: str, scenario: Scenario) -> Scenario:
        """Put back a scenario removed by `delete` (undo)."""
        self._require(user_id, cid, Permission.EDIT)
        table = self._table(cid)
        if table.get(Query()['id'] == scenario.id) is not None:
            return scenario
        if len(table) >= MAX_SCENARIOS:
            raise ValidationError('kickoff.error.too_many_scenarios', max=MAX_SCENARIOS)
        doc = scenario_to_doc(scenario)
        if doc['current'] and table.get(Query()['current'] == True) is not None:  # noqa: E712
            doc['current'] = False
        table.insert(doc)
        await self.store.community(cid).commit()
        return scenario_from_doc(doc)

    async def update(self, user_id: str, cid: str, sid: str, fields: dict[str, Any]) -> Scenario:
        """Change title, date, start, planned end, mode or location (any subset)."""
        clean = clean_scenario_fields(fields)

        def change(doc: dict[str, Any]) -> None:
            doc.update(clean)

        return await self._mutate(user_id, cid, sid, change)

    async def set_person(self, user_id: str, cid: str, sid: str, role_id: str, name: str) -> Scenario:
        """Who plays a role during the meeting ('' to clear)."""
        if role_id not in self.catalogue.role_ids:
            raise ValidationError('error.invalid', 'role')
        name = clean_field(name, 'person', f'person_{role_id}')

        def change(doc: dict[str, Any]) -> None:
            people = dict(doc.get('people', {}))
            if name:
                people[role_id] = name
            else:
                people.pop(role_id, None)
            doc['people'] = people

        return await self._mutate(user_id, cid, sid, change)

    async def set_current(self, user_id: str, cid: str, sid: str) -> Scenario:
        """Mark this scenario as the community's kick-off plan (and no other)."""
        self.get(user_id, cid, sid)
        self._require(user_id, cid, Permission.EDIT)
        table = self._table(cid)
        table.update({'current': False}, Query()['id'] != sid)
        table.update({'current': True, 'updated': clock.now_iso()}, Query()['id'] == sid)
        await self.store.community(cid).commit()
        self.communities.changes.publish(cid, 'kickoff', user_id)
        return self.get(user_id, cid, sid)

    # -- blocks ------------------------------------------------------------------------------------------------

    async def add_block(
        self, user_id: str, cid: str, sid: str, fields: dict[str, Any], index: int | None = None
    ) -> tuple[Scenario, Block]:
        """Insert a block at `index` (default: the end). `fields` must hold at least the title; the duration is
        NEW_BLOCK_DURATION unless given."""
        clean = clean_block_fields(
            {
                'kind': 'custom',
                'duration': NEW_BLOCK_DURATION,
                'goal': '',
                'method': '',
                'method_text': '',
                'instructions': '',
                'roles': [],
                'materials': '',
                'notes': '',
                **fields,
            },
            self.catalogue.role_ids,
            self._method_ids,
        )
        if 'title' not in clean:
            raise ValidationError('kickoff.error.title_required', 'title')
        block = {'id': new_id(), **clean}

        def change(doc: dict[str, Any]) -> Block:
            if len(doc['blocks']) >= MAX_BLOCKS:
                raise ValidationError('kickoff.error.too_many_blocks', max=MAX_BLOCKS)
            at = len(doc['blocks']) if index is None else max(0, min(index, len(doc['blocks'])))
            doc['blocks'].insert(at, block)
            return block_from_doc(block)

        return await self._mutate_with(user_id, cid, sid, change)

    def method_block(self, method: Method, lang: str, mode: str = 'onsite') -> dict[str, Any]:
        """The fields of a new block made from a library method, in `lang` (every text fits its field: the
        catalogue checks that when it loads)."""
        return {
            'kind': 'method',
            'title': _pick(method.title, lang),
            'duration': method.suggested_duration,
            'goal': _pick(method.purpose, lang),
            'method': method.id,
            'instructions': method.steps_text(lang),
            'roles': ['facilitator'] if 'facilitator' in self.catalogue.role_ids else [],
            'materials': _pick(method.materials, lang),
            'notes': _pick(method.online, lang) if mode == 'online' else '',
        }

    async def insert_method(
        self, user_id: str, cid: str, sid: str, method_id: str, lang: str, index: int | None = None
    ) -> tuple[Scenario, Block]:
        method = self.catalogue.method(method_id)
        if method is None:
            raise ValidationError('kickoff.error.method', 'method')
        scenario = self.get(user_id, cid, sid)
        return await self.add_block(user_id, cid, sid, self.method_block(method, lang, scenario.mode), index)

    async def update_block(self, user_id: str, cid: str, sid: str, bid: str, fields: dict[str, Any]) -> Scenario:
        """Change any fields of a block; a duration that pushes the day past midnight is refused."""
        clean = clean_block_fields(fields, self.catalogue.role_ids, self._method_ids)

        def change(doc: dict[str, Any]) -> None:
            _find_block(doc, bid).update(clean)

        return await self._mutate(user_id, cid, sid, change)

    async def move_block(self, user_id: str, cid: str, sid: str, bid: str, index: int) -> Scenario:
        """Move a block to position `index` (0-based, clamped)."""

        def change(doc: dict[str, Any]) -> None:
            block = _find_block(doc, bid)
            doc['blocks'].remove(block)
            doc['blocks'].insert(max(0, min(int(index), len(doc['blocks']))), block)

        return await self._mutate(user_id, cid, sid, change)

    async def duplicate_block(self, user_id: str, cid: str, sid: str, bid: str) -> tuple[Scenario, Block]:
        """A copy of the block, right after it."""

        def change(doc: dict[str, Any]) -> Block:
            if len(doc['blocks']) >= MAX_BLOCKS:
                raise ValidationError('kickoff.error.too_many_blocks', max=MAX_BLOCKS)
            block = _find_block(doc, bid)
            twin = {**copy.deepcopy(block), 'id': new_id()}
            doc['blocks'].insert(doc['blocks'].index(block) + 1, twin)
            return block_from_doc(twin)

        return await self._mutate_with(user_id, cid, sid, change)

    async def delete_block(self, user_id: str, cid: str, sid: str, bid: str) -> tuple[Scenario, Block, int]:
        """Remove a block; returns it and where it was, so the page can offer to undo (`restore_block`)."""

        def change(doc: dict[str, Any]) -> tuple[Block, int]:
            block = _find_block(doc, bid)
            at = doc['blocks'].index(block)
            doc['blocks'].remove(block)
            return block_from_doc(block), at

        scenario, (block, at) = await self._mutate_with(user_id, cid, sid, change)
        return scenario, block, at

    async def restore_block(self, user_id: str, cid: str, sid: str, block: Block, index: int) -> Scenario:
        """Put back a block removed by `delete_block` (undo) at `index`, with its own id; once only."""
        doc_block = block_to_doc(block)
        clean_block_fields({k: v for k, v in doc_block.items() if k != 'id'}, self.catalogue.role_ids, self._method_ids)

        def change(doc: dict[str, Any]) -> None:
            if any(b['id'] == block.id for b in doc['blocks']):
                return
            if len(doc['blocks']) >= MAX_BLOCKS:
                raise ValidationError('kickoff.error.too_many_blocks', max=MAX_BLOCKS)
            doc['blocks'].insert(max(0, min(index, len(doc['blocks']))), doc_block)

        return await self._mutate(user_id, cid, sid, change)

    # -- checklists --------------------------------------------------------------------------------------------

    async def add_check(
        self, user_id: str, cid: str, sid: str, checklist: str, text: str, index: int | None = None
    ) -> tuple[Scenario, CheckItem]:
        _check_list_name(checklist)
        text = clean_field(text, 'check', 'check')
        if not text:
            raise ValidationError('kickoff.error.check_required', 'check')
        item = {'id': new_id(), 'text': text, 'done': False}

        def change(doc: dict[str, Any]) -> CheckItem:
            if len(doc[checklist]) >= MAX_CHECK_ITEMS:
                raise ValidationError('kickoff.error.too_many_checks', max=MAX_CHECK_ITEMS)
            at = len(doc[checklist]) if index is None else max(0, min(index, len(doc[checklist])))
            doc[checklist].insert(at, item)
            return CheckItem(item['id'], text, False)

        return await self._mutate_with(user_id, cid, sid, change)

    async def set_check(self, user_id: str, cid: str, sid: str, checklist: str, item_id: str, done: bool) -> Scenario:
        _check_list_name(checklist)

        def change(doc: dict[str, Any]) -> None:
            _find_item(doc, checklist, item_id)['done'] = bool(done)

        return await self._mutate(user_id, cid, sid, change)

    async def delete_check(
        self, user_id: str, cid: str, sid: str, checklist: str, item_id: str
    ) -> tuple[Scenario, CheckItem, int]:
        _check_list_name(checklist)

        def change(doc: dict[str, Any]) -> tuple[CheckItem, int]:
            item = _find_item(doc, checklist, item_id)
            at = doc[checklist].index(item)
            doc[checklist].remove(item)
            return CheckItem(item['id'], item['text'], item['done']), at

        scenario, (item, at) = await self._mutate_with(user_id, cid, sid, change)
        return scenario, item, at

    async def restore_check(
        self, user_id: str, cid: str, sid: str, checklist: str, item: CheckItem, index: int
    ) -> tuple[Scenario, CheckItem]:
        """Put back an item removed by `delete_check` (undo) at `index`, with its own id and its tick; once only
        (an item already there is left as it is and returned)."""
        _check_list_name(checklist)
        text = clean_field(item.text, 'check', 'check')
        if not text:
            raise ValidationError('kickoff.error.check_required', 'check')
        doc_item = {'id': item.id, 'text': text, 'done': bool(item.done)}

        def change(doc: dict[str, Any]) -> CheckItem:
            present = next((c for c in doc[checklist] if c['id'] == item.id), None)
            if present is not None:
                return CheckItem(present['id'], present['text'], present['done'])
            if len(doc[checklist]) >= MAX_CHECK_ITEMS:
                raise ValidationError('kickoff.error.too_many_checks', max=MAX_CHECK_ITEMS)
            doc[checklist].insert(max(0, min(index, len(doc[checklist]))), doc_item)
            return CheckItem(item.id, text, doc_item['done'])

        return await self._mutate_with(user_id, cid, sid, change)

    # -- plumbing ----------------------------------------------------------------------------------------------

    async def _mutate(self, user_id: str, cid: str, sid: str, change: Callable[[dict[str, Any]], Any]) -> Scenario:
        scenario, _ = await self._mutate_with(user_id, cid, sid, change)
        return scenario

    async def _mutate_with(
        self, user_id: str, cid: str, sid: str, change: Callable[[dict[str, Any]], T]
    ) -> tuple[Scenario, T]:
        """Apply `change` to a copy of the scenario's document, check the timing, store it, commit."""
        self._require(user_id, cid, Permission.EDIT)
        table = self._table(cid)
        stored = table.get(Query()['id'] == sid)
        if stored is None:
            raise NotFound('kickoff.error.gone')
        doc = copy.deepcopy(dict(stored))
        result = change(doc)
        schedule(doc['start'], [b['duration'] for b in doc['blocks']], doc['planned_end'] or None)
        doc['updated'] = clock.now_iso()
        table.update(doc, Query()['id'] == sid)
        await self.store.community(cid).commit()
        return scenario_from_doc(doc), result


def _find_block(doc: dict[str, Any], bid: str) -> dict[str, Any]:
    for block in doc['blocks']:
        if block['id'] == bid:
            return block
    raise NotFound('kickoff.error.block_gone')


def _find_item(doc: dict[str, Any], checklist: str, item_id: str) -> dict[str, Any]:
    for item in doc[checklist]:
        if item['id'] == item_id:
            return item
    raise NotFound('kickoff.error.block_gone')


def _check_list_name(name: str) -> None:
    if name not in CHECKLISTS:
        raise ValidationError('error.invalid', 'checklist')


def scenario_data(scenario: Scenario, catalogue: KickoffCatalogue, lang: str) -> dict[str, Any]:
    """A scenario as plain data with every clock time computed and every id resolved to a label in `lang`: what
    the print views, the PDFs and the dossier show."""
    timing = scenario.timing
    blocks = []
    for block, slot in zip(scenario.blocks, timing.slots, strict=True):
        method = catalogue.method(block.method)
        blocks.append(
            {
                'kind': block.kind,
                'start': slot.start_text,
                'end': slot.end_text,
                'duration': block.duration,
                'title': block.title,
                'goal': block.goal,
                'method': _pick(method.title, lang) if method else block.method_text,
                'instructions': block.instructions,
                'roles': [_pick(r.label, lang) for r in catalogue.roles if r.id in block.roles],
                'materials': block.materials,
                'notes': block.notes,
                'source': catalogue.block_source(scenario.template, block.kind, block.method),
            }
        )
    return {
        'title': scenario.title,
        'date': scenario.date,
        'mode': scenario.mode,
        'location': scenario.location,
        'start': timing.start_text,
        'end': timing.end_text,
        'planned_end': timing.planned_end_text,
        'total': timing.total,
        'overrun': timing.overrun,
        'slack': timing.slack,
        'people': [
            {'role': _pick(r.label, lang), 'name': scenario.people[r.id]}
            for r in catalogue.roles
            if scenario.people.get(r.id)
        ],
        'blocks': blocks,
        'preparation': [{'text': c.text, 'done': c.done} for c in scenario.preparation],
        'follow_up': [{'text': c.text, 'done': c.done} for c in scenario.follow_up],
    }
