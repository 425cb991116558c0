"""Languages: the UI-string catalogue, language negotiation, and dates and numbers in the reader's language."""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

log = logging.getLogger(__name__)

LANGUAGES = ('nl', 'fr', 'en')
DEFAULT_LANGUAGE = 'nl'
HTML_LANG = {'nl': 'nl-BE', 'fr': 'fr-BE', 'en': 'en-GB'}
QUASAR_LANG = {'nl': 'nl', 'fr': 'fr', 'en': 'en-GB'}

Text = Mapping[str, str]  # {'nl': ..., 'fr': ..., 'en': ...}


PLURAL_PARAMS = ('count', 'n', 'minutes')  # the parameter, in this order, that chooses a '#one' variant
SINGULAR_SUFFIX = '#one'


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def is_singular(lang: str, value: Any) -> bool:
    """CLDR's 'one' category for whole numbers: 1 in Dutch and English; 0 and 1 in French."""
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return value == 1 or (lang == 'fr' and value == 0)


class Catalog:
    """UI strings: key -> text in the three languages.

    A key may have a singular variant `<key>#one`, used when the parameter `count` (or `n`, or `minutes`) is
    singular in the reader's language: "1 antwoord" rather than "1 antwoorden", "0 réponse" in French."""

    def __init__(self, entries: Mapping[str, Text]) -> None:
        self.entries = dict(entries)

    def text(self, key: str, lang: str, **params: Any) -> str:
        entry = self.entries.get(key)
        if entry is None:
            log.warning('missing UI string %s', key)
            return key
        if params:
            number = next((params[name] for name in PLURAL_PARAMS if name in params), None)
            if is_singular(lang, number):
                entry = self.entries.get(key + SINGULAR_SUFFIX, entry)
        template = entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or key
        if not params:
            return template
        try:
            return template.format_map(params)
        except (KeyError, IndexError, ValueError):
            log.warning('UI string %s does not fit its parameters', key)
            return template

    def problems(self) -> list[str]:
        """Every key missing a language, or whose placeholders differ between languages."""
        found = []
        for key, entry in self.entries.items():
            missing = [lang for lang in LANGUAGES if not (entry.get(lang) or '').strip()]
            if missing:
                found.append(f'{key}: missing {", ".join(missing)}')
                continue
            names = {lang: placeholders(entry[lang]) for lang in LANGUAGES}
            if len({frozenset(v) for v in names.values()}) > 1:
                found.append(f'{key}: placeholders differ {names}')
            if key.endswith(SINGULAR_SUFFIX):
                base = self.entries.get(key.removesuffix(SINGULAR_SUFFIX))
                if base is None:
                    found.append(f'{key}: a singular variant without its key')
                elif not names['nl'] <= placeholders(base.get('nl', '')):
                    found.append(f'{key}: uses placeholders its key does not have')
        return found


def negotiate(forced: str | None, stored: str | None, accept_language: str | None) -> str:
    """The language to show: `?lang=` first, then the remembered choice, then the browser's, then Dutch."""
    for candidate in (forced, stored):
        if candidate in LANGUAGES:
            return candidate  # type: ignore[return-value]
    return from_accept_language(accept_language) or DEFAULT_LANGUAGE


def from_accept_language(header: str | None) -> str | None:
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((header or '').split(',')[:20]):
        pieces = part.strip().split(';')
        code = pieces[0].strip().lower()[:2]
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition('=')
            if name == 'q':
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if code in LANGUAGES and quality > 0 and (best is None or (quality, -position) > (best[0], -best[1])):
            best = (quality, position, code)
    return best[2] if best else None


MONTHS = {
    'nl': [
        'januari',
        'februari',
        'maart',
        'april',
        'mei',
        'juni',
        'juli',
        'augustus',
        'september',
        'oktober',
        'november',
        'december',
    ],
    'fr': [
        'janvier',
        'février',
        'mars',
        'avril',
        'mai',
        'juin',
        'juillet',
        'août',
        'septembre',
        'octobre',
        'novembre',
        'décembre',
    ],
    'en': [
        'January',
        'February',
        'March',
        'April',
        'May',
        'June',
        'July',
        'August',
        'September',
        'October',
        'November',
        'December',
    ],
}


def format_date(value: date | datetime | str | None, lang: str, *, short: bool = False) -> str:
    """29 november 2026 / 29 novembre 2026 / 29 November 2026; short: 29/11/2026 (nl, fr) or 29/11/2026 (en-GB)."""
    d = _to_date(value)
    if d is None:
        return ''
    if short:
        return f'{d.day:02d}/{d.month:02d}/{d.year}'
    day = '1er' if lang == 'fr' and d.day == 1 else str(d.day)
    return f'{day} {MONTHS.get(lang, MONTHS["en"])[d.month - 1]} {d.year}'


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """1 234,5 (fr) / 1.234,5 (nl) / 1,234.5 (en)."""
    if value is None:
        return ''
    # half up, as people round (2.25 -> 2.3), not the float default of half to even
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f'{rounded:,.{decimals}f}'
    if lang == 'nl':
        return text.replace(',', '\x00').replace('.', ',').replace('\x00', '.')
    if lang == 'fr':
        return text.replace(',', '\u202f').replace('.', ',')
    return text


def format_percent(fraction: float | None, lang: str, decimals: int = 0) -> str:
    if fraction is None:
        return ''
    number = format_number(fraction * 100, lang, decimals)
    return f'{number}\u00a0%' if lang in ('nl', 'fr') else f'{number}%'


def _to_date(value: date | datetime | str | None) -> date | None:
    if value is None or value == '':
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError:
        return None


@dataclass(frozen=True)
class Translator:
    """A catalogue bound to one language, made when a page is built and passed down to its components."""

    catalog: Catalog
    lang: str

    def __call__(self, key: str, **params: Any) -> str:
        return self.catalog.text(key, self.lang, **params)

    def pick(self, text: Text | None) -> str:
        """The reader's language of a content text {nl, fr, en}."""
        if not text:
            return ''
        return text.get(self.lang) or text.get(DEFAULT_LANGUAGE) or next(iter(text.values()), '')

    def date(self, value: date | datetime | str | None, *, short: bool = False) -> str:
        return format_date(value, self.lang, short=short)

    def number(self, value: float | int | None, decimals: int = 0) -> str:
        return format_number(value, self.lang, decimals)

    def percent(self, fraction: float | None, decimals: int = 0) -> str:
        return format_percent(fraction, self.lang, decimals)

    def change(self, now: float | None, before: float | None) -> str:
        """The change from `before` to `now` at one decimal, signed ('+0,4', '−1,2'), 'same' when it rounds to
        nothing, '—' when either is missing."""
        if now is None or before is None:
            return '—'
        change = float(Decimal(str(now - before)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP))
        if change == 0:
            return self('common.no_change')
        return f'{"+" if change > 0 else "−"}{self.number(abs(change), 1)}'

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.lang]
