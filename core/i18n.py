"""Languages: the UI-string catalogue, language negotiation, and dates, numbers and plurals in the reader's language.

Dates, numbers, percentages, plural categories and the matching of browser language tags come from Babel (CLDR), so a
language is added by naming its locale here and writing its texts, not by writing its grammar by hand. Babel's
modules load on first use, not at start-up.
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale

log = logging.getLogger(__name__)

LANGUAGES = ('nl', 'fr', 'en', 'de')
DEFAULT_LANGUAGE = 'nl'
# A language whose texts are still being written: a text without it shows this one meanwhile (tests demand them all).
FALLBACK_LANGUAGE = {'de': 'en'}
LOCALES = {'nl': 'nl_BE', 'fr': 'fr_BE', 'en': 'en_GB', 'de': 'de_BE'}  # CLDR locale per language
HTML_LANG = {lang: locale.replace('_', '-') for lang, locale in LOCALES.items()}  # nl-BE, fr-BE, en-GB, de-BE
QUASAR_LANG = {'nl': 'nl', 'fr': 'fr', 'en': 'en-GB', 'de': 'de'}  # the language packs Quasar ships

Text = Mapping[str, str]  # {'nl': ..., 'fr': ..., 'en': ..., 'de': ...}


PLURAL_PARAMS = ('count', 'n', 'minutes')  # the parameter, in this order, that chooses a '#one' variant
SINGULAR_SUFFIX = '#one'

# "1er mars": French writes the first day of the month as an ordinal, which CLDR's date patterns leave out
FIRST_OF_MONTH = {'fr': "d'er' MMMM y"}
SHORT_DATE = {'de': 'dd.MM.y'}  # else dd/MM/y: the Belgian and British way
# the Taalunie writes a space before the percent sign (CLDR nl has none); the other locales follow CLDR
PERCENT_PATTERN = {'nl': '#,##0\u00a0%'}


@cache
def locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(LOCALES.get(lang, LOCALES['en']))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def is_singular(lang: str, value: Any) -> bool:
    """CLDR's 'one' plural category of a whole number: 1 in Dutch, German and English; 0 and 1 in French.

    Only counts choose: a flag (True) or a measured quantity (1.0) keeps the general form."""
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return locale(lang).plural_form(value) == 'one'


def pick(text: Text | None, lang: str) -> str:
    """The text in `lang`; a text not yet written in that language falls back (German to English), then to Dutch."""
    if not text:
        return ''
    fallback = FALLBACK_LANGUAGE.get(lang, DEFAULT_LANGUAGE)
    return text.get(lang) or text.get(fallback) or text.get(DEFAULT_LANGUAGE) or next(iter(text.values()), '')


class Catalog:
    """UI strings: key -> text in every language.

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
        template = pick(entry, lang) or key
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


_TAG = re.compile(r'^[a-z]{1,8}(-[a-z0-9]{1,8})*$')


def accepted_tags(header: str | None) -> list[str]:
    """The language tags of an Accept-Language header, most wanted first, normalised for Babel ('de_DE' -> 'de-de').

    A tag with q=0 is refused, a malformed tag or weight is skipped, and only the first 20 entries count."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or '')[:1000].split(',')[:20]):
        tag, *params = (piece.strip() for piece in part.split(';'))
        tag = tag.lower().replace('_', '-')
        quality = 1.0
        for param in params:
            name, _, value = param.partition('=')
            if name.strip() == 'q':
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if _TAG.match(tag) and 0 < quality <= 1:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def from_accept_language(header: str | None) -> str | None:
    """The first of our languages the browser accepts: 'de-BE' and 'de-DE' give German, CLDR's matching by Babel."""
    tags = accepted_tags(header)
    if not tags:
        return None
    from babel import negotiate_locale

    return negotiate_locale(tags, LANGUAGES, sep='-')


def format_date(value: date | datetime | str | None, lang: str, *, short: bool = False) -> str:
    """29 november 2026 / 29 novembre 2026 / 29 November 2026 / 29. November 2026; short: 29/11/2026, 29.11.2026."""
    d = _to_date(value)
    if d is None:
        return ''
    from babel.dates import format_date as babel_date

    if short:
        return babel_date(d, SHORT_DATE.get(lang, 'dd/MM/y'), locale=locale(lang))
    pattern = FIRST_OF_MONTH[lang] if d.day == 1 and lang in FIRST_OF_MONTH else 'long'
    return babel_date(d, pattern, locale=locale(lang))


def _rounded(value: float | int, decimals: int) -> Decimal:
    """Half up, as people round (2.25 -> 2.3), not the float default of half to even; no number for NaN or infinity."""
    number = Decimal(str(value))
    if not number.is_finite():
        raise InvalidOperation(value)
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _pattern(decimals: int, prefix: str = '#,##0', suffix: str = '') -> str:
    return prefix + ('.' + '0' * decimals if decimals > 0 else '') + suffix


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """1.234,5 (nl, de) / 1 234,5 (fr) / 1,234.5 (en)."""
    if value is None:
        return ''
    try:
        number = _rounded(value, decimals)
    except (InvalidOperation, ValueError):
        return ''
    from babel.numbers import format_decimal

    return format_decimal(number, _pattern(decimals), locale=locale(lang), decimal_quantization=False)


def format_percent(fraction: float | None, lang: str, decimals: int = 0) -> str:
    """26 % (nl, fr, de, with a no-break space) / 26% (en)."""
    if fraction is None:
        return ''
    try:
        number = _rounded(fraction * 100, decimals) / 100
    except (InvalidOperation, ValueError):
        return ''
    from babel.numbers import format_percent as babel_percent

    own = PERCENT_PATTERN.get(lang)
    pattern = _pattern(decimals, own.removesuffix('\u00a0%'), '\u00a0%') if own else None
    if pattern is None:
        standard = locale(lang).percent_formats[None].pattern
        pattern = standard.replace('#,##0', _pattern(decimals), 1)
    return babel_percent(number, pattern, locale=locale(lang), decimal_quantization=False)


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
        """The reader's language of a content text {nl, fr, en, de}."""
        return pick(text, self.lang)

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
