"""The IT-tools catalogues: criteria in groups, tools, and starting templates (content/catalogues/*.yaml).

Loaded and validated once at start-up; an invalid file stops start-up with a ContentError naming the file, the item
and the problem (a template that names an unknown tool, a weight off the scale, no template at all: a new comparison
starts from the first one...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.i18n import LANGUAGES, Text
from core.yamlcheck import Checker, read_yaml

MIN_WEIGHT, MAX_WEIGHT = 0, 5


@dataclass(frozen=True)
class Criterion:
    id: str
    group: str
    title: Text
    explanation: Text
    source: str = ''


@dataclass(frozen=True)
class CriterionGroup:
    id: str
    title: Text
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Tool:
    id: str
    name: Text  # a proper name is the same in every language; a generic one ("online whiteboard") is not
    kind: Text
    description: Text
    url: str = ''
    source: str = ''


@dataclass(frozen=True)
class Template:
    id: str
    title: Text
    description: Text
    tools: tuple[str, ...]
    criteria: tuple[str, ...]
    weights: dict[str, int]
    must: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    groups: tuple[CriterionGroup, ...]
    tools: tuple[Tool, ...]
    templates: tuple[Template, ...]
    _criteria: dict[str, Criterion] = field(default_factory=dict, repr=False)
    _tools: dict[str, Tool] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._criteria.update({c.id: c for g in self.groups for c in g.criteria})
        self._tools.update({t.id: t for t in self.tools})

    @property
    def criteria(self) -> list[Criterion]:
        return [c for g in self.groups for c in g.criteria]

    def criterion(self, criterion_id: str) -> Criterion | None:
        return self._criteria.get(criterion_id)

    def tool(self, tool_id: str) -> Tool | None:
        return self._tools.get(tool_id)

    def template(self, template_id: str) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None)

    def group(self, group_id: str) -> CriterionGroup | None:
        return next((g for g in self.groups if g.id == group_id), None)


def _name(check: Checker, value: Any, where: str) -> Text:
    """A tool name: a plain string (a proper name, the same in every language) or a text {nl, fr, en}."""
    if isinstance(value, str):
        if not value.strip():
            raise check.fail(where, 'must not be empty')
        return {lang: value.strip() for lang in LANGUAGES}
    return check.text(value, where)


def _url(check: Checker, value: Any, where: str) -> str:
    if value is None:
        return ''
    if not isinstance(value, str) or not value.startswith('https://'):
        raise check.fail(where, f'{value!r} must be an https:// address')
    return value


def load_criteria(path: Path) -> tuple[CriterionGroup, ...]:
    check = Checker(path)
    data = check.mapping(read_yaml(path), 'top level')
    groups = []
    for i, raw_group in enumerate(check.sequence(data.get('groups'), 'groups', min_len=1)):
        where = f'groups[{i}]'
        raw_group = check.mapping(raw_group, where)
        group_id = check.ident(raw_group.get('id'), f'{where}.id')
        where = f'group {group_id}'
        criteria = []
        for j, raw in enumerate(check.sequence(raw_group.get('criteria'), f'{where}.criteria', min_len=1)):
            item_where = f'{where}.criteria[{j}]'
            raw = check.mapping(raw, item_where)
            criterion_id = check.ident(raw.get('id'), f'{item_where}.id')
            item_where = f'criterion {criterion_id}'
            criteria.append(
                Criterion(
                    id=criterion_id,
                    group=group_id,
                    title=check.text(raw.get('title'), f'{item_where}.title'),
                    explanation=check.text(raw.get('explanation'), f'{item_where}.explanation'),
                    source=check.source(raw.get('source'), f'{item_where}.source'),
                )
            )
        groups.append(
            CriterionGroup(
                id=group_id, title=check.text(raw_group.get('title'), f'{where}.title'), criteria=tuple(criteria)
            )
        )
    check.unique([g.id for g in groups], 'groups')
    check.unique([c.id for g in groups for c in g.criteria], 'criteria')
    return tuple(groups)


def load_tools(path: Path, criteria_ids: set[str]) -> tuple[tuple[Tool, ...], tuple[Template, ...]]:
    check = Checker(path)
    data = check.mapping(read_yaml(path), 'top level')
    tools = []
    for i, raw in enumerate(check.sequence(data.get('tools'), 'tools', min_len=1)):
        where = f'tools[{i}]'
        raw = check.mapping(raw, where)
        tool_id = check.ident(raw.get('id'), f'{where}.id')
        where = f'tool {tool_id}'
        tools.append(
            Tool(
                id=tool_id,
                name=_name(check, raw.get('name'), f'{where}.name'),
                kind=check.text(raw.get('kind'), f'{where}.kind'),
                description=check.text(raw.get('description'), f'{where}.description'),
                url=_url(check, raw.get('url'), f'{where}.url'),
                source=check.optional_source(raw.get('source'), f'{where}.source'),
            )
        )
    check.unique([t.id for t in tools], 'tools')
    tool_ids = {t.id for t in tools}
    templates = []
    for i, raw in enumerate(check.sequence(data.get('templates'), 'templates', min_len=1)):
        where = f'templates[{i}]'
        raw = check.mapping(raw, where)
        template_id = check.ident(raw.get('id'), f'{where}.id')
        where = f'template {template_id}'
        template_tools = [
            check.ident(v, f'{where}.tools') for v in check.sequence(raw.get('tools'), f'{where}.tools', min_len=2)
        ]
        for tool_id in template_tools:
            if tool_id not in tool_ids:
                raise check.fail(f'{where}.tools', f'unknown tool {tool_id!r}')
        check.unique(template_tools, f'{where}.tools')
        template_criteria = [
            check.ident(v, f'{where}.criteria')
            for v in check.sequence(raw.get('criteria'), f'{where}.criteria', min_len=1)
        ]
        for criterion_id in template_criteria:
            if criterion_id not in criteria_ids:
                raise check.fail(f'{where}.criteria', f'unknown criterion {criterion_id!r} (not in criteria.yaml)')
        check.unique(template_criteria, f'{where}.criteria')
        weights: dict[str, int] = {}
        for criterion_id, weight in check.mapping(raw.get('weights', {}), f'{where}.weights').items():
            if criterion_id not in template_criteria:
                raise check.fail(f'{where}.weights', f'weight for {criterion_id!r}, which is not one of its criteria')
            weights[criterion_id] = check.integer(
                weight, f'{where}.weights.{criterion_id}', low=MIN_WEIGHT, high=MAX_WEIGHT
            )
        must = [check.ident(v, f'{where}.must') for v in check.sequence(raw.get('must', []), f'{where}.must')]
        for criterion_id in must:
            if criterion_id not in template_criteria:
                raise check.fail(f'{where}.must', f'must-have {criterion_id!r} is not one of its criteria')
        templates.append(
            Template(
                id=template_id,
                title=check.text(raw.get('title'), f'{where}.title'),
                description=check.text(raw.get('description'), f'{where}.description'),
                tools=tuple(template_tools),
                criteria=tuple(template_criteria),
                weights=weights,
                must=tuple(must),
            )
        )
    check.unique([t.id for t in templates], 'templates')
    return tuple(tools), tuple(templates)


def load_catalogue(folder: Path) -> Catalogue:
    """Criteria, tools and templates from `folder` (content/catalogues)."""
    groups = load_criteria(folder / 'criteria.yaml')
    tools, templates = load_tools(folder / 'tools.yaml', {c.id for g in groups for c in g.criteria})
    return Catalogue(groups=groups, tools=tools, templates=templates)
