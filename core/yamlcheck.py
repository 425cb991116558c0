"""Reading and checking the YAML files of content/: one Checker per file raises a ContentError that names the file,
the place in it and the problem, so an invalid file stops start-up with a message a content editor can act on.
Every loader of content (UI strings, stages, instruments, catalogues, the guide, the privacy inventory) uses it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .cited import Cited
from .i18n import FALLBACK_LANGUAGE, LANGUAGES, Text

CONTENT_DIR = Path(__file__).resolve().parent.parent / 'content'
ID_PATTERN = re.compile(r'^[a-z][a-z0-9_]*$')
# Places whose text lacks a language that falls back meanwhile (German, while it is being written): file ->
# places in it. The app shows the fallback; tests/unit/test_i18n_content.py demands every language in every file.
UNTRANSLATED: dict[str, set[str]] = {}


def _one_line(text: str) -> str:
    """A folded YAML text on one line: runs of spaces and line breaks become one space, a no-break space stays."""
    return re.sub(r'[ \t\r\n]+', ' ', text).strip()


class ContentError(Exception):
    """A content file breaks the format: the message names the file, the place and the problem."""

    def __init__(self, file: Path | str, where: str, problem: str) -> None:
        name = Path(file).relative_to(CONTENT_DIR) if Path(file).is_relative_to(CONTENT_DIR) else file
        super().__init__(f'content/{name}: {where}: {problem}' if where else f'content/{name}: {problem}')
        self.file, self.where, self.problem = str(file), where, problem


def read_yaml(path: Path) -> Any:
    import yaml  # on first use: a start-up from the content cache reads no YAML

    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)  # the C loader unless PyYAML was built without libyaml
    try:
        with open(path, encoding='utf-8') as f:
            return yaml.load(f, Loader=loader)
    except FileNotFoundError as e:
        raise ContentError(path, '', 'file is missing') from e
    except yaml.YAMLError as e:
        mark = getattr(e, 'problem_mark', None)
        where = f'line {mark.line + 1}' if mark else ''
        raise ContentError(path, where, f'is not valid YAML ({getattr(e, "problem", e)})') from e


def _relative(file: Path | str) -> str:
    """'ui/common.yaml' for a file under content/, else the path as given."""
    path = Path(file)
    return path.relative_to(CONTENT_DIR).as_posix() if path.is_relative_to(CONTENT_DIR) else str(path)


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
        """A mapping of non-empty strings in every language. A language still being written (FALLBACK_LANGUAGE)
        may be missing: it takes its fallback's text, and the place is recorded in UNTRANSLATED."""
        if not isinstance(value, dict):
            raise self.fail(where, f'must be a text with {", ".join(LANGUAGES)}')
        given = {lang: value[lang].strip() for lang in LANGUAGES if isinstance(value.get(lang), str)}
        missing = [lang for lang in LANGUAGES if not given.get(lang) and lang not in FALLBACK_LANGUAGE]
        if missing:
            raise self.fail(where, f'missing or empty language {", ".join(missing)}')
        extra = set(value) - set(LANGUAGES)
        if extra:
            raise self.fail(where, f'unknown language {", ".join(sorted(extra))}')
        for lang, fallback in FALLBACK_LANGUAGE.items():
            if not given.get(lang):
                given[lang] = given[fallback]
                UNTRANSLATED.setdefault(_relative(self.file), set()).add(where)
        return {lang: given[lang] for lang in LANGUAGES}

    def optional_text(self, value: Any, where: str) -> Text | None:
        return None if value is None else self.text(value, where)

    def texts(self, value: Any, where: str, *, min_len: int = 0) -> list[Text]:
        return [self.text(v, f'{where}[{i}]') for i, v in enumerate(self.sequence(value, where, min_len=min_len))]

    def source(self, value: Any, where: str) -> Cited:
        """The reference an item rests on (author or organisation, year, part), shown to users under "Why this
        question?": the English citation, as a string or, translated, as a mapping with a text in every language
        (`en` is the one the bibliography matches). Guide questions, kick-off blocks, criteria and methods must have
        one, so a new item without its grounding fails the content check."""
        if isinstance(value, dict):
            missing = [lang for lang in LANGUAGES if not isinstance(value.get(lang), str) or not value[lang].strip()]
            extra = sorted(str(key) for key in set(value) - set(LANGUAGES))
            if missing or extra:
                problem = f'no text in {", ".join(missing)}' if missing else f'unknown language {", ".join(extra)}'
                raise self.fail(
                    where, f'a translated source needs a text in each of {", ".join(LANGUAGES)} ({problem})'
                )
            words = {lang: _one_line(value[lang]) for lang in LANGUAGES}
            return Cited(words['en'], words)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, 'missing source (author or organisation, year, part: see content/README.md)')
        return Cited(_one_line(value))

    def optional_source(self, value: Any, where: str) -> str:
        return '' if value is None or value == '' else self.source(value, where)

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
