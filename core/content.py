"""Loading and validating content/: UI strings and the texts every part of the toolbox reads.

An invalid file stops start-up with a ContentError that names the file, the place in it and the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .i18n import LANGUAGES, Catalog, Text

# German is being added file by file: a text may carry it before every file does (issue 15). Once
# core/i18n.LANGUAGES holds 'de', this tuple only repeats it and can go.
LANGUAGES_BEING_ADDED = tuple(lang for lang in ('de',) if lang not in LANGUAGES)

if TYPE_CHECKING:
    from .guide import Guide
    from .ittools.catalogue import Catalogue as ITToolsCatalogue
    from .kickoff import KickoffCatalogue
    from .questionnaire import Instruments

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

CONTENT_DIR = Path(__file__).resolve().parent.parent / 'content'
ID_PATTERN = re.compile(r'^[a-z][a-z0-9_]*$')


class ContentError(Exception):
    """A content file breaks the format: the message names the file, the place and the problem."""

    def __init__(self, file: Path | str, where: str, problem: str) -> None:
        name = Path(file).relative_to(CONTENT_DIR) if Path(file).is_relative_to(CONTENT_DIR) else file
        super().__init__(f'content/{name}: {where}: {problem}' if where else f'content/{name}: {problem}')
        self.file, self.where, self.problem = str(file), where, problem


def read_yaml(path: Path) -> Any:
    try:
        with open(path, encoding='utf-8') as f:
            return yaml.load(f, Loader=_Loader)
    except FileNotFoundError as e:
        raise ContentError(path, '', 'file is missing') from e
    except yaml.YAMLError as e:
        mark = getattr(e, 'problem_mark', None)
        where = f'line {mark.line + 1}' if mark else ''
        raise ContentError(path, where, f'is not valid YAML ({getattr(e, "problem", e)})') from e


class Checker:
    """Validation helpers bound to one file, raising ContentError with the path inside the file."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def fail(self, where: str, problem: str) -> ContentError:
        return ContentError(self.file, where, problem)

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, 'must be a mapping')
        return value

    def sequence(self, value: Any, where: str, *, min_len: int = 0) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, 'must be a list')
        if len(value) < min_len:
            raise self.fail(where, f'needs at least {min_len} entries, has {len(value)}')
        return value

    def text(self, value: Any, where: str) -> Text:
        """A {nl, fr, en} mapping of non-empty strings."""
        if not isinstance(value, dict):
            raise self.fail(where, 'must be a text with nl, fr and en')
        missing = [lang for lang in LANGUAGES if not isinstance(value.get(lang), str) or not value[lang].strip()]
        if missing:
            raise self.fail(where, f'missing or empty language {", ".join(missing)}')
        extra = set(value) - set(LANGUAGES) - set(LANGUAGES_BEING_ADDED)
        if extra:
            raise self.fail(where, f'unknown language {", ".join(sorted(extra))}')
        return {lang: value[lang].strip() for lang in (*LANGUAGES, *LANGUAGES_BEING_ADDED) if lang in value}

    def optional_text(self, value: Any, where: str) -> Text | None:
        return None if value is None else self.text(value, where)

    def texts(self, value: Any, where: str, *, min_len: int = 0) -> list[Text]:
        return [self.text(v, f'{where}[{i}]') for i, v in enumerate(self.sequence(value, where, min_len=min_len))]

    def ident(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            raise self.fail(where, f'id {value!r} must be lower-case snake_case')
        return value

    def number(self, value: Any, where: str, *, low: float | None = None, high: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, f'must be a number, not {value!r}')
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(where, f'{value} is outside {low}..{high}')
        return value

    def integer(self, value: Any, where: str, *, low: int | None = None, high: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f'must be a whole number, not {value!r}')
        self.number(value, where, low=low, high=high)
        return value

    def unique(self, ids: list[str], where: str) -> None:
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                raise self.fail(where, f'id {i!r} is used twice')
            seen.add(i)


def load_ui_strings(folder: Path) -> Catalog:
    entries: dict[str, Text] = {}
    origin: dict[str, Path] = {}
    files = sorted(folder.glob('*.yaml'))
    if not files:
        raise ContentError(folder, '', 'holds no UI string file')
    for path in files:
        check = Checker(path)
        data = check.mapping(read_yaml(path) or {}, 'top level')
        for key, value in data.items():
            if not isinstance(key, str) or not re.match(r'^[a-z0-9_]+(\.[a-z0-9_]+)+(#one)?$', key):
                raise check.fail(str(key), 'key must be dotted lower-case words, optionally ending in #one')
            if key in entries:
                raise check.fail(key, f'key is defined in {origin[key].name} already')
            entries[key] = check.text(value, key)
            origin[key] = path
    catalog = Catalog(entries)
    problems = catalog.problems()
    if problems:
        raise ContentError(folder, problems[0].split(':')[0], problems[0].split(':', 1)[1].strip())
    return catalog


@dataclass(frozen=True)
class Stage:
    id: str
    title: Text
    explanation: Text


def load_stages(path: Path) -> list[Stage]:
    check = Checker(path)
    data = check.mapping(read_yaml(path), 'top level')
    stages = []
    for i, entry in enumerate(check.sequence(data.get('stages'), 'stages', min_len=1)):
        where = f'stages[{i}]'
        raw = check.mapping(entry, where)
        stages.append(
            Stage(
                id=check.ident(raw.get('id'), f'{where}.id'),
                title=check.text(raw.get('title'), f'{where}.title'),
                explanation=check.text(raw.get('explanation'), f'{where}.explanation'),
            )
        )
    check.unique([s.id for s in stages], 'stages')
    return stages


@dataclass
class Content:
    ui: Catalog
    stages: list[Stage]
    instruments: Instruments
    kickoff: KickoffCatalogue
    ittools: ITToolsCatalogue
    guide: Guide

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


def load_content(folder: Path = CONTENT_DIR) -> Content:
    # the parts' loaders use this module's Checker, so they are imported here rather than at the top
    from .guide import load_guide
    from .ittools.catalogue import load_catalogue as load_ittools
    from .kickoff import load_catalogue as load_kickoff
    from .questionnaire import load_instruments

    stages = load_stages(folder / 'stages.yaml')
    return Content(
        ui=load_ui_strings(folder / 'ui'),
        stages=stages,
        instruments=load_instruments(folder / 'instruments', {s.id for s in stages}),
        kickoff=load_kickoff(folder / 'catalogues'),
        ittools=load_ittools(folder / 'catalogues'),
        guide=load_guide(folder / 'guide.yaml', {s.id for s in stages}),
    )
