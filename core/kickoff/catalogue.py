"""The kick-off content: the method library (content/catalogues/methods.yaml) and the scenario templates with their
roles and checklists (content/catalogues/kickoff.yaml), loaded and validated at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..agenda import MAX_DURATION, MIN_DURATION, MINUTES_PER_DAY, parse_clock
from ..cited import join_cited
from ..errors import ValidationError
from ..i18n import LANGUAGES, Text
from ..yamlcheck import Checker, read_yaml
from .terms import CATEGORIES, KINDS, LIMITS, MODES

MIN_METHODS = 12
MIN_TEMPLATES = 3


@dataclass(frozen=True)
class Method:
    id: str
    title: Text
    category: str
    purpose: Text
    group_min: int
    group_max: int
    duration_min: int
    duration_max: int
    steps: tuple[Text, ...]
    materials: Text
    online: Text
    source: str

    def steps_text(self, lang: str) -> str:
        """The steps as numbered lines in `lang` (Dutch when missing): the instructions of a block made from it."""
        return '\n'.join(f'{i}. {step.get(lang) or step.get("nl") or ""}' for i, step in enumerate(self.steps, 1))

    @property
    def suggested_duration(self) -> int:
        """The middle of the method's range, rounded to five minutes (never outside the range)."""
        middle = round((self.duration_min + self.duration_max) / 2 / 5) * 5
        return min(self.duration_max, max(self.duration_min, middle))


@dataclass(frozen=True)
class RoleDef:
    id: str
    label: Text


@dataclass(frozen=True)
class TemplateBlock:
    kind: str
    title: Text
    duration: int
    goal: Text
    method: str | None
    instructions: Text
    roles: tuple[str, ...]
    materials: Text
    notes: Text
    source: str  # what the block rests on, shown under "Why this block?" in the scenario editor


@dataclass(frozen=True)
class Template:
    id: str
    title: Text
    description: Text
    mode: str
    start: str
    blocks: tuple[TemplateBlock, ...]
    preparation: tuple[Text, ...]
    follow_up: tuple[Text, ...]

    @property
    def total(self) -> int:
        return sum(b.duration for b in self.blocks)


@dataclass(frozen=True)
class KickoffCatalogue:
    methods: tuple[Method, ...]
    roles: tuple[RoleDef, ...]
    templates: tuple[Template, ...]

    def method(self, method_id: str | None) -> Method | None:
        return next((m for m in self.methods if m.id == method_id), None) if method_id else None

    def template(self, template_id: str | None) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None) if template_id else None

    @property
    def role_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.roles)

    def method_named(self, name: str) -> Method | None:
        """The library method a free text names (its id, or its title in any language, case and spacing aside): how
        a facilitation session's method, typed or picked from the suggestions, finds what it is based on."""
        wanted = ' '.join(name.split()).casefold()
        if not wanted:
            return None
        return next(
            (
                m
                for m in self.methods
                if wanted == m.id or wanted in {' '.join(v.split()).casefold() for v in m.title.values()}
            ),
            None,
        )

    def block_source(self, template_id: str | None, kind: str, method_id: str | None = None) -> str:
        """What a scenario's block rests on: the source of the template block of its kind (in the scenario's own
        template first, then in any template), followed by its library method's source when it uses one; '' for a
        block the coordinator wrote without a library method (kind 'custom')."""
        own = self.template(template_id)
        templates = ([own] if own else []) + [t for t in self.templates if t is not own]
        by_kind = next((b.source for t in templates for b in t.blocks if b.kind == kind), '')
        method = self.method(method_id)
        return join_cited([by_kind, method.source if method else ''])


def _duration(check: Checker, value: Any, where: str) -> int:
    return check.integer(value, where, low=MIN_DURATION, high=MAX_DURATION)


def load_methods(path: Path) -> tuple[Method, ...]:
    check = Checker(path)
    data = check.mapping(read_yaml(path), 'top level')
    methods = []
    for i, raw in enumerate(check.sequence(data.get('methods'), 'methods', min_len=MIN_METHODS)):
        where = f'methods[{i}]'
        raw = check.mapping(raw, where)
        mid = check.ident(raw.get('id'), f'{where}.id')
        where = f'methods[{i}] ({mid})'
        category = raw.get('category')
        if category not in CATEGORIES:
            raise check.fail(f'{where}.category', f'{category!r} is not one of {", ".join(CATEGORIES)}')
        size = check.mapping(raw.get('group_size'), f'{where}.group_size')
        duration = check.mapping(raw.get('duration'), f'{where}.duration')
        group_min = check.integer(size.get('min'), f'{where}.group_size.min', low=1, high=10_000)
        group_max = check.integer(size.get('max'), f'{where}.group_size.max', low=group_min, high=10_000)
        duration_min = _duration(check, duration.get('min'), f'{where}.duration.min')
        duration_max = _duration(check, duration.get('max'), f'{where}.duration.max')
        if duration_max < duration_min:
            raise check.fail(f'{where}.duration', 'max is below min')
        methods.append(
            Method(
                id=mid,
                title=check.text(raw.get('title'), f'{where}.title'),
                category=category,
                purpose=check.text(raw.get('purpose'), f'{where}.purpose'),
                group_min=group_min,
                group_max=group_max,
                duration_min=duration_min,
                duration_max=duration_max,
                steps=tuple(check.texts(raw.get('steps'), f'{where}.steps', min_len=2)),
                materials=check.text(raw.get('materials'), f'{where}.materials'),
                online=check.text(raw.get('online'), f'{where}.online'),
                source=check.source(raw.get('source'), f'{where}.source'),
            )
        )
        _method_fits(check, methods[-1], LIMITS, where)
    check.unique([m.id for m in methods], 'methods')
    return tuple(methods)


def load_templates(path: Path, methods: tuple[Method, ...]) -> tuple[tuple[RoleDef, ...], tuple[Template, ...]]:
    check = Checker(path)
    data = check.mapping(read_yaml(path), 'top level')
    roles = []
    for i, raw in enumerate(check.sequence(data.get('roles'), 'roles', min_len=1)):
        raw = check.mapping(raw, f'roles[{i}]')
        roles.append(
            RoleDef(check.ident(raw.get('id'), f'roles[{i}].id'), check.text(raw.get('label'), f'roles[{i}].label'))
        )
    check.unique([r.id for r in roles], 'roles')
    known = ({r.id for r in roles}, {m.id for m in methods})
    templates = [
        _template(check, check.mapping(raw, f'templates[{i}]'), i, known)
        for i, raw in enumerate(check.sequence(data.get('templates'), 'templates', min_len=MIN_TEMPLATES))
    ]
    for template in templates:
        for name in ('preparation', 'follow_up'):
            for j, text in enumerate(getattr(template, name)):
                _fits(check, text, LIMITS['check'], f'templates ({template.id}).{name}[{j}]')
    check.unique([t.id for t in templates], 'templates')
    return tuple(roles), tuple(templates)


def _template(check: Checker, raw: dict[str, Any], i: int, known: tuple[set[str], set[str]]) -> Template:
    """One scenario template; `known` holds the role ids and the method ids its blocks may name."""
    tid = check.ident(raw.get('id'), f'templates[{i}].id')
    where = f'templates[{i}] ({tid})'
    mode = raw.get('mode')
    if mode not in MODES:
        raise check.fail(f'{where}.mode', f'{mode!r} is not one of {", ".join(MODES)}')
    try:
        start = parse_clock(raw.get('start'))
    except ValidationError as e:
        raise check.fail(f'{where}.start', f'{raw.get("start")!r} is not a time "HH:MM"') from e
    blocks = [
        _template_block(check, check.mapping(block, f'{where}.blocks[{j}]'), f'{where}.blocks[{j}]', known)
        for j, block in enumerate(check.sequence(raw.get('blocks'), f'{where}.blocks', min_len=1))
    ]
    if start + sum(b.duration for b in blocks) > MINUTES_PER_DAY:
        raise check.fail(f'{where}.blocks', 'the scenario runs past midnight')
    return Template(
        id=tid,
        title=check.text(raw.get('title'), f'{where}.title'),
        description=check.text(raw.get('description'), f'{where}.description'),
        mode=mode,
        start=raw['start'].strip(),
        blocks=tuple(blocks),
        preparation=tuple(check.texts(raw.get('preparation'), f'{where}.preparation', min_len=1)),
        follow_up=tuple(check.texts(raw.get('follow_up'), f'{where}.follow_up', min_len=1)),
    )


def _template_block(check: Checker, block: dict[str, Any], bw: str, known: tuple[set[str], set[str]]) -> TemplateBlock:
    role_ids, method_ids = known
    kind = block.get('kind')
    if kind not in KINDS:
        raise check.fail(f'{bw}.kind', f'{kind!r} is not one of {", ".join(KINDS)}')
    method = block.get('method')
    if method is not None and method not in method_ids:
        raise check.fail(f'{bw}.method', f'unknown method {method!r} (not in methods.yaml)')
    block_roles = check.sequence(block.get('roles'), f'{bw}.roles', min_len=1)
    for role in block_roles:
        if role not in role_ids:
            raise check.fail(f'{bw}.roles', f'unknown role {role!r}')
    made = TemplateBlock(
        kind=kind,
        title=check.text(block.get('title'), f'{bw}.title'),
        duration=_duration(check, block.get('duration'), f'{bw}.duration'),
        goal=check.text(block.get('goal'), f'{bw}.goal'),
        method=method,
        instructions=check.text(block.get('instructions'), f'{bw}.instructions'),
        roles=tuple(block_roles),
        materials=check.text(block.get('materials'), f'{bw}.materials'),
        notes=check.text(block.get('notes'), f'{bw}.notes'),
        source=check.source(block.get('source'), f'{bw}.source'),
    )
    for name, limit in (
        ('title', 'block_title'),
        ('goal', 'goal'),
        ('instructions', 'instructions'),
        ('materials', 'materials'),
        ('notes', 'notes'),
    ):
        _fits(check, getattr(made, name), LIMITS[limit], f'{bw}.{name}')
    return made


def _method_fits(check: Checker, method: Method, limits: dict[str, int], where: str) -> None:
    """A method's texts fill the fields of a block inserted from the library: each must fit its field."""
    for name, limit in (('title', 'block_title'), ('purpose', 'goal'), ('materials', 'materials'), ('online', 'notes')):
        _fits(check, getattr(method, name), limits[limit], f'{where}.{name}')
    _fits(check, {lang: method.steps_text(lang) for lang in LANGUAGES}, limits['instructions'], f'{where}.steps')


def _fits(check: Checker, text: Text, limit: int, where: str) -> None:
    """A content text must fit the field it fills, or a scenario or block made from it could not be saved."""
    for lang, value in text.items():
        if len(value) > limit:
            raise check.fail(where, f'{lang} text is {len(value)} characters, the field holds {limit}')


def load_catalogue(folder: Path) -> KickoffCatalogue:
    """Both files of content/catalogues; ContentError names the file, the item and the problem."""
    methods = load_methods(folder / 'methods.yaml')
    roles, templates = load_templates(folder / 'kickoff.yaml', methods)
    return KickoffCatalogue(methods=methods, roles=roles, templates=templates)
