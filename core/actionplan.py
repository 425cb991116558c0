"""The action plan: actions (from the tools' suggestions or the coordinator's own), and the plan-level fields a
sponsor asks about (purpose, stage, core group, rhythm, digital space, next review)."""
from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tinydb import Query

from .communities import Communities, register_table
from .errors import NotFound, ValidationError
from .i18n import LANGUAGES
from .roles import Permission
from .suggestions import TABLE as SUGGESTIONS
from .suggestions import Suggestion, to_suggestion

ACTIONS = 'actions'
PLAN = 'plan'
STATUSES = ('planned', 'doing', 'done', 'dropped')
HORIZONS = ('30', '60', '90')
SOURCES = ('own', 'kompas', 'profile', 'survey', 'animation', 'guide')
LIMITS = {'title': 200, 'description': 2000, 'owner': 120, 'indicator': 500, 'dimension': 60}
PLAN_LIMITS = {'purpose': 500, 'core_group': 1000, 'rhythm': 500, 'digital_space': 300}
MAX_ACTIONS = 500


@dataclass(frozen=True)
class Action:
    id: str
    title: str
    description: str = ''
    source: str = 'own'
    dimension: str = ''
    owner: str = ''
    due: str | None = None        # a day (ISO)
    horizon: str | None = None    # '30' | '60' | '90' days
    status: str = 'planned'
    indicator: str = ''           # how we will know it worked
    created: str = ''
    updated: str = ''


@dataclass(frozen=True)
class PlanFields:
    purpose: str = ''
    core_group: str = ''
    rhythm: str = ''
    digital_space: str = ''
    next_review: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def clean_action(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, limit in LIMITS.items():
        value = str(raw.get(name) or '').strip()
        if name != 'description':
            value = ' '.join(value.split())
        if len(value) > limit:
            raise ValidationError('error.too_long', name, max=limit)
        out[name] = value
    if not out['title']:
        raise ValidationError('plan.error.title', 'title')
    source = raw.get('source') or 'own'
    if source not in SOURCES:
        raise ValidationError('error.invalid', 'source')
    out['source'] = source
    status = raw.get('status') or 'planned'
    if status not in STATUSES:
        raise ValidationError('error.invalid', 'status')
    out['status'] = status
    horizon = raw.get('horizon') or None
    if horizon is not None and str(horizon) not in HORIZONS:
        raise ValidationError('error.invalid', 'horizon')
    out['horizon'] = None if horizon is None else str(horizon)
    out['due'] = _day(raw.get('due'), 'due')
    return out


def _day(value: Any, name: str) -> str | None:
    if value in (None, ''):
        return None
    try:
        day = date.fromisoformat(str(value))
    except ValueError as e:
        raise ValidationError('plan.error.date', name) from e
    if not 2000 <= day.year <= 2100:
        raise ValidationError('plan.error.date', name)
    return day.isoformat()


def clean_plan(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, limit in PLAN_LIMITS.items():
        value = str(raw.get(name) or '').strip()
        if len(value) > limit:
            raise ValidationError('error.too_long', name, max=limit)
        out[name] = value
    out['next_review'] = _day(raw.get('next_review'), 'next_review')
    return out


def _validate_actions(docs: list[dict[str, Any]]) -> None:
    if len(docs) > MAX_ACTIONS:
        raise ValidationError('error.invalid')
    for doc in docs:
        if not isinstance(doc.get('id'), str):
            raise ValidationError('error.invalid')
        clean_action(doc)


def _validate_plan(docs: list[dict[str, Any]]) -> None:
    for doc in docs:
        clean_plan(doc)


class ActionPlan:
    def __init__(self, communities: Communities) -> None:
        self.communities = communities
        register_table(ACTIONS, _validate_actions)
        register_table(PLAN, _validate_plan)

    def _db(self, cid: str):
        return self.communities.store.community(cid)

    # -- actions ------------------------------------------------------------------------------------------------

    def actions(self, actor: str, cid: str) -> list[Action]:
        self.communities.get(actor, cid, Permission.VIEW)
        return [_action(d) for d in self._db(cid).table(ACTIONS).all()]

    def action(self, actor: str, cid: str, action_id: str) -> Action:
        self.communities.get(actor, cid, Permission.VIEW)
        doc = self._db(cid).table(ACTIONS).get(Query()['id'] == action_id) if isinstance(action_id, str) else None
        if doc is None:
            raise NotFound()
        return _action(doc)

    async def add(self, actor: str, cid: str, fields: dict[str, Any]) -> Action:
        self.communities.get(actor, cid, Permission.EDIT)
        clean = clean_action(fields)
        table = self._db(cid).table(ACTIONS)
        if len(table) >= MAX_ACTIONS:
            raise ValidationError('plan.error.too_many', max=MAX_ACTIONS)
        now = _today()
        doc = {'id': secrets.token_hex(6), **clean, 'created': now, 'updated': now}
        table.insert(doc)
        await self._db(cid).commit()
        return _action(doc)

    async def update(self, actor: str, cid: str, action_id: str, fields: dict[str, Any]) -> Action:
        current = self.action(actor, cid, action_id)
        self.communities.get(actor, cid, Permission.EDIT)
        clean = clean_action({**asdict(current), **fields})
        self._db(cid).table(ACTIONS).update({**clean, 'updated': _today()}, Query()['id'] == action_id)
        await self._db(cid).commit()
        return self.action(actor, cid, action_id)

    async def remove(self, actor: str, cid: str, action_id: str) -> Action:
        """Delete an action; returns it, so the page can offer to put it back (undo)."""
        current = self.action(actor, cid, action_id)
        self.communities.get(actor, cid, Permission.EDIT)
        self._db(cid).table(ACTIONS).remove(Query()['id'] == action_id)
        await self._db(cid).commit()
        return current

    async def restore(self, actor: str, cid: str, action: Action) -> Action:
        """Put a just-deleted action back with its id (undo)."""
        self.communities.get(actor, cid, Permission.EDIT)
        table = self._db(cid).table(ACTIONS)
        if table.contains(Query()['id'] == action.id):
            return action
        table.insert({**asdict(action), **clean_action(asdict(action))})
        await self._db(cid).commit()
        return action

    # -- suggestions from the tools -----------------------------------------------------------------------------

    def inbox(self, actor: str, cid: str) -> list[Suggestion]:
        """Suggestions still waiting for a decision."""
        self.communities.get(actor, cid, Permission.VIEW)
        docs = self._db(cid).table(SUGGESTIONS).search(Query()['status'] == 'new')
        return [to_suggestion(d) for d in docs]

    async def accept(self, actor: str, cid: str, suggestion_id: str, lang: str, fields: dict[str, Any] | None = None
                     ) -> Action:
        """Turn a suggestion into an action (in the accepting user's language, editable afterwards)."""
        self.communities.get(actor, cid, Permission.EDIT)
        table = self._db(cid).table(SUGGESTIONS)
        doc = table.get((Query()['id'] == suggestion_id) & (Query()['status'] == 'new'))
        if doc is None:
            raise NotFound()
        text = doc['text'].get(lang if lang in LANGUAGES else 'nl') or doc['text']['nl']
        title = text if len(text) <= LIMITS['title'] else text[:LIMITS['title'] - 1].rstrip() + '…'
        action = await self.add(actor, cid, {'title': title, 'description': text if text != title else '',
                                             'source': doc['source'], 'dimension': doc.get('dimension', ''),
                                             **(fields or {})})
        table.update({'status': 'accepted'}, Query()['id'] == suggestion_id)
        await self._db(cid).commit()
        return action

    async def discard(self, actor: str, cid: str, suggestion_id: str, undo: bool = False) -> None:
        self.communities.get(actor, cid, Permission.EDIT)
        table = self._db(cid).table(SUGGESTIONS)
        updated = table.update({'status': 'new' if undo else 'discarded'}, Query()['id'] == suggestion_id)
        if not updated:
            raise NotFound()
        await self._db(cid).commit()

    # -- plan-level fields --------------------------------------------------------------------------------------

    def plan(self, actor: str, cid: str) -> PlanFields:
        self.communities.get(actor, cid, Permission.VIEW)
        doc = self._db(cid).table(PLAN).get(doc_id=1) or {}
        return PlanFields(purpose=doc.get('purpose', ''), core_group=doc.get('core_group', ''),
                          rhythm=doc.get('rhythm', ''), digital_space=doc.get('digital_space', ''),
                          next_review=doc.get('next_review'))

    async def save_plan(self, actor: str, cid: str, fields: dict[str, Any]) -> PlanFields:
        self.communities.get(actor, cid, Permission.EDIT)
        clean = clean_plan(fields)
        table = self._db(cid).table(PLAN)
        if table.get(doc_id=1) is None:
            table.insert(clean)
        else:
            table.update(clean, doc_ids=[1])
        await self._db(cid).commit()
        return self.plan(actor, cid)


def filter_and_sort(actions: list[Action], *, status: str | None = None, horizon: str | None = None,
                    owner: str | None = None, sort: str = 'due') -> list[Action]:
    """The plan's list as the user asks for it: filtered by status, horizon or owner; sorted by due date (with the
    horizon as an estimate), status, owner or title."""
    chosen = [a for a in actions if (not status or a.status == status) and (not horizon or a.horizon == horizon)
              and (not owner or a.owner.casefold() == owner.casefold())]
    order = {s: i for i, s in enumerate(STATUSES)}
    keys = {
        'due': lambda a: (a.due is None and a.horizon is None, a.due or _horizon_day(a), a.title.casefold()),
        'status': lambda a: (order[a.status], a.due or '9999', a.title.casefold()),
        'owner': lambda a: (not a.owner, a.owner.casefold(), a.due or '9999'),
        'title': lambda a: a.title.casefold(),
    }
    return sorted(chosen, key=keys.get(sort, keys['due']))


def _horizon_day(action: Action) -> str:
    if action.horizon is None:
        return '9999'
    created = date.fromisoformat(action.created) if action.created else datetime.now(UTC).date()
    return date.fromordinal(created.toordinal() + int(action.horizon)).isoformat()


def _action(doc: dict[str, Any]) -> Action:
    return Action(id=doc['id'], title=doc.get('title', ''), description=doc.get('description', ''),
                  source=doc.get('source', 'own'), dimension=doc.get('dimension', ''), owner=doc.get('owner', ''),
                  due=doc.get('due'), horizon=doc.get('horizon'), status=doc.get('status', 'planned'),
                  indicator=doc.get('indicator', ''), created=doc.get('created', ''), updated=doc.get('updated', ''))


def _today() -> str:
    return datetime.now(UTC).date().isoformat()
