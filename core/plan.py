"""The action plan: actions (from the tools' suggestions or the coordinator's own), and the plan-level fields a
sponsor asks about (purpose, stage, core group, rhythm, digital space, next review)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from tinydb import Query

from . import clock, schema
from .communities import Communities, Community, TableSpec
from .dates import optional_day
from .errors import NotFound, ValidationError
from .i18n import LANGUAGES, Catalog, Text, Translator
from .roles import Permission
from .suggestions import Suggestion, Suggestions

ACTIONS = 'actions'
PLAN = 'plan'
STATUSES = ('planned', 'doing', 'done', 'dropped')
HORIZONS = ('30', '60', '90')
SOURCES = ('own', 'kompas', 'profile', 'survey', 'animation', 'guide', 'needs')
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
    due: str | None = None  # a day (ISO)
    horizon: str | None = None  # '30' | '60' | '90' days
    status: str = 'planned'
    indicator: str = ''  # how we will know it worked
    created: str = ''
    updated: str = ''


@dataclass(frozen=True)
class PlanFields:
    purpose: str = ''
    core_group: str = ''
    rhythm: str = ''
    digital_space: str = ''
    next_review: str | None = None


@dataclass(frozen=True)
class EffectivePlan:
    """The plan as it reads (on the plan page and in the dossier): its own fields, with what it leaves empty filled
    in from the community's purpose and the IT-tools decision."""

    fields: PlanFields  # as stored
    purpose: str  # the plan's purpose, else the community's
    digital_space: Text  # {nl, fr, en}: the plan's own text, else the decided tool's name
    digital_space_decided: bool  # True when digital_space comes from the IT-tools decision


def effective_plan(fields: PlanFields, community: Community, decision: Mapping[str, Any] | None) -> EffectivePlan:
    """`decision`: the community's latest IT-tools decision (ITTools.latest_decision), or None."""
    if fields.digital_space or not decision:
        return EffectivePlan(
            fields, fields.purpose or community.purpose, dict.fromkeys(LANGUAGES, fields.digital_space), False
        )
    return EffectivePlan(fields, fields.purpose or community.purpose, dict(decision['tool_name']), True)


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
    day = optional_day(value, 'plan.error.date', name, latest=date(2100, 12, 31))
    return day.isoformat() if day else None


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
    """Imported actions: every field as `clean_action` wants it, and real days where the plan computes with them."""
    if len(docs) > MAX_ACTIONS:
        raise ValidationError('error.invalid')
    for doc in docs:
        if not isinstance(doc.get('id'), str):
            raise ValidationError('error.invalid')
        clean_action(doc)
        for name in ('created', 'updated'):
            _day(doc.get(name), name)


def _validate_plan(docs: list[dict[str, Any]]) -> None:
    for doc in docs:
        clean_plan(doc)


ACTION_RECORD = schema.Record(
    {
        'id': schema.Str(40, min=1),
        **{name: schema.Str(limit) for name, limit in LIMITS.items()},
        'source': schema.Choice(*SOURCES),
        'status': schema.Choice(*STATUSES),
        'horizon': schema.Nullable(schema.Choice(*HORIZONS)),
        'due': schema.Nullable(schema.Day()),
        'created': schema.Day(),
        'updated': schema.Day(),
    }
)
PLAN_RECORD = schema.Record(
    {
        **{name: schema.Str(limit) for name, limit in PLAN_LIMITS.items()},
        'next_review': schema.Nullable(schema.Day()),
    }
)


class ActionPlan:
    def __init__(self, communities: Communities, suggestions: Suggestions | None = None) -> None:
        self.communities = communities
        self.suggestions = suggestions or Suggestions(communities)
        communities.register_table(TableSpec(ACTIONS, ACTION_RECORD, _validate_actions, max_records=MAX_ACTIONS))
        communities.register_table(TableSpec(PLAN, PLAN_RECORD, _validate_plan, unique=None, max_records=1))

    def _db(self, cid: str):
        return self.communities.store.community(cid)

    async def _commit(self, cid: str, actor: str) -> None:
        """Write the community's file, then tell the pages that show the plan."""
        await self._db(cid).commit()
        self.communities.changes.publish(cid, 'plan', actor)

    # -- actions ------------------------------------------------------------------------------------------------

    def actions(self, actor: str, cid: str) -> list[Action]:
        self.communities.get(actor, cid, Permission.VIEW)
        return [_action(d) for d in self._db(cid).table(ACTIONS).all()]

    def action(self, actor: str, cid: str, action_id: str) -> Action:
        self.communities.get(actor, cid, Permission.VIEW)
        return self._find(cid, action_id)

    async def add(self, actor: str, cid: str, fields: dict[str, Any]) -> Action:
        self.communities.get(actor, cid, Permission.EDIT)
        doc = self._insert(cid, fields)
        await self._commit(cid, actor)
        return _action(doc)

    def _insert(self, cid: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Validate and insert a new action, in memory (the caller commits)."""
        clean = clean_action(fields)
        table = self._db(cid).table(ACTIONS)
        if len(table) >= MAX_ACTIONS:
            raise ValidationError('plan.error.too_many', max=MAX_ACTIONS)
        now = clock.today_iso()
        doc = {'id': secrets.token_hex(6), **clean, 'created': now, 'updated': now}
        table.insert(doc)
        return doc

    async def update(self, actor: str, cid: str, action_id: str, fields: dict[str, Any]) -> Action:
        self.communities.get(actor, cid, Permission.EDIT)
        current = self._find(cid, action_id)
        clean = clean_action({**asdict(current), **fields})
        self._db(cid).table(ACTIONS).update({**clean, 'updated': clock.today_iso()}, Query()['id'] == action_id)
        await self._commit(cid, actor)
        return self._find(cid, action_id)

    async def remove(self, actor: str, cid: str, action_id: str) -> Action:
        """Delete an action; returns it, so the page can offer to put it back (undo)."""
        self.communities.get(actor, cid, Permission.EDIT)
        current = self._find(cid, action_id)
        self._db(cid).table(ACTIONS).remove(Query()['id'] == action_id)
        await self._commit(cid, actor)
        return current

    async def restore(self, actor: str, cid: str, action: Action) -> Action:
        """Put a just-deleted action back with its id (undo)."""
        self.communities.get(actor, cid, Permission.EDIT)
        table = self._db(cid).table(ACTIONS)
        if table.contains(Query()['id'] == action.id):
            return action
        if len(table) >= MAX_ACTIONS:
            raise ValidationError('plan.error.too_many', max=MAX_ACTIONS)
        table.insert({**asdict(action), **clean_action(asdict(action))})
        await self._commit(cid, actor)
        return action

    def _find(self, cid: str, action_id: str) -> Action:
        doc = self._db(cid).table(ACTIONS).get(Query()['id'] == action_id) if isinstance(action_id, str) else None
        if doc is None:
            raise NotFound()
        return _action(doc)

    # -- suggestions from the tools -----------------------------------------------------------------------------

    def inbox(self, actor: str, cid: str) -> list[Suggestion]:
        """Suggestions still waiting for a decision."""
        return self.suggestions.waiting(actor, cid)

    async def accept(
        self, actor: str, cid: str, suggestion_id: str, lang: str, fields: dict[str, Any] | None = None
    ) -> Action:
        """Turn a suggestion into an action (in the accepting user's language, editable afterwards). The suggestion
        is marked accepted and the action inserted before the one commit: a second click finds nothing waiting."""
        self.communities.get(actor, cid, Permission.EDIT)
        waiting = {s.id: s for s in self.suggestions.waiting(actor, cid)}
        suggestion = waiting.get(suggestion_id) if isinstance(suggestion_id, str) else None
        if suggestion is None:
            raise NotFound()
        text = Translator(Catalog({}), lang).pick(suggestion.text)
        title = text if len(text) <= LIMITS['title'] else text[: LIMITS['title'] - 1].rstrip() + '…'
        values = {
            'title': title,
            'description': text if text != title else '',
            'source': suggestion.source,
            'dimension': suggestion.dimension,
            **(fields or {}),
        }
        clean_action(values)  # refuse before changing anything
        if len(self._db(cid).table(ACTIONS)) >= MAX_ACTIONS:
            raise ValidationError('plan.error.too_many', max=MAX_ACTIONS)
        self.suggestions.set_status(actor, cid, suggestion_id, 'accepted', was='new')
        doc = self._insert(cid, values)
        await self._commit(cid, actor)
        return _action(doc)

    async def discard(self, actor: str, cid: str, suggestion_id: str, undo: bool = False) -> None:
        self.suggestions.set_status(actor, cid, suggestion_id, 'new' if undo else 'discarded')
        await self._commit(cid, actor)

    # -- plan-level fields --------------------------------------------------------------------------------------

    def plan(self, actor: str, cid: str) -> PlanFields:
        self.communities.get(actor, cid, Permission.VIEW)
        doc = self._db(cid).table(PLAN).get(doc_id=1) or {}
        return PlanFields(
            purpose=doc.get('purpose', ''),
            core_group=doc.get('core_group', ''),
            rhythm=doc.get('rhythm', ''),
            digital_space=doc.get('digital_space', ''),
            next_review=doc.get('next_review'),
        )

    async def save_plan(self, actor: str, cid: str, fields: dict[str, Any]) -> PlanFields:
        self.communities.get(actor, cid, Permission.EDIT)
        clean = clean_plan(fields)
        table = self._db(cid).table(PLAN)
        if table.get(doc_id=1) is None:
            table.insert(clean)
        else:
            table.update(clean, doc_ids=[1])
        await self._commit(cid, actor)
        return self.plan(actor, cid)


def filter_and_sort(
    actions: list[Action],
    *,
    status: str | None = None,
    horizon: str | None = None,
    owner: str | None = None,
    sort: str = 'due',
) -> list[Action]:
    """The plan's list as the user asks for it: filtered by status, by horizon (meant to be done within that many
    days from today, late ones included) or by owner; sorted by due date (with the horizon as an estimate), status,
    owner or title."""
    chosen = [
        a
        for a in actions
        if (not status or a.status == status)
        and (horizon not in HORIZONS or _within(a, int(horizon)))  # an unknown horizon (a forged event) filters nothing
        and (not owner or a.owner.casefold() == owner.casefold())
    ]
    return sorted(chosen, key=_SORT_KEYS.get(sort, _SORT_KEYS['due']))


_STATUS_ORDER = {s: i for i, s in enumerate(STATUSES)}
_SORT_KEYS: dict[str, Callable[[Action], Any]] = {
    'due': lambda a: (a.due is None and a.horizon is None, a.due or _horizon_day(a), a.title.casefold()),
    'status': lambda a: (_STATUS_ORDER[a.status], a.due or '9999', a.title.casefold()),
    'owner': lambda a: (not a.owner, a.owner.casefold(), a.due or '9999'),
    'title': lambda a: a.title.casefold(),
}
SORTS = tuple(_SORT_KEYS)  # the orders the plan's list offers, the first one the default


def _within(action: Action, days: int) -> bool:
    left = days_until(target_day(action))
    return left is not None and left <= days


def target_day(action: Action) -> str | None:
    """The day an action is meant to be done: its due date, else the end of its horizon counted from the day it was
    made (an older action may have only a horizon); None when it has neither."""
    if action.due:
        return action.due
    return _horizon_day(action) if action.horizon is not None else None


def day_in(days: int, today: date | None = None) -> str:
    """The day (ISO) `days` from today: what a quick 'in 30 days' choice puts in a due-date field."""
    return ((today or clock.today()) + timedelta(days=days)).isoformat()


def days_until(day: str | None, today: date | None = None) -> int | None:
    """Days from today to `day` (negative: that many days ago); None without a day. What 'in 30 days' next to a
    real date is computed from."""
    if not day:
        return None
    try:
        return (date.fromisoformat(day) - (today or clock.today())).days
    except ValueError:
        return None


def _horizon_day(action: Action) -> str:
    if action.horizon is None:
        return '9999'
    created = date.fromisoformat(action.created) if action.created else clock.today()
    return date.fromordinal(created.toordinal() + int(action.horizon)).isoformat()


def _action(doc: dict[str, Any]) -> Action:
    return Action(
        id=doc['id'],
        title=doc.get('title', ''),
        description=doc.get('description', ''),
        source=doc.get('source', 'own'),
        dimension=doc.get('dimension', ''),
        owner=doc.get('owner', ''),
        due=doc.get('due'),
        horizon=doc.get('horizon'),
        status=doc.get('status', 'planned'),
        indicator=doc.get('indicator', ''),
        created=doc.get('created', ''),
        updated=doc.get('updated', ''),
    )
