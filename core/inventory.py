"""The data inventory (content/privacy.yaml): what the toolbox stores, why, on which legal basis, who sees it and
for how long. The privacy notice and the GDPR Article 30 processing register are both built from it, so neither can
say something else than the other; a test checks that it names every table the application stores.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .i18n import DEFAULT_LANGUAGE, HTML_LANG, pick
from .yamlcheck import CONTENT_DIR, Checker, read_yaml

FIELDS = ('what', 'why', 'basis', 'who', 'retention')  # per kind, besides its `title`
GENERAL = ('purposes', 'data_subjects', 'recipients', 'security')
SESSION_DAYS = 14  # the login session's idle limit, as the notice states it


@dataclass(frozen=True)
class Kind:
    id: str
    tables: tuple[str, ...]  # '<file kind>/<table>'
    texts: dict[str, dict[str, str]]  # field -> language -> text


@dataclass(frozen=True)
class Operator:
    """Who is responsible (from the start-up options); empty strings when the operator did not say."""

    controller: str = ''
    contact: str = ''


@dataclass(frozen=True)
class Limits:
    """The retention figures the notice quotes, from the settings in force."""

    answers_months: int = 12
    accounts_months: int = 24
    outbox_days: int = 30
    backup_keep: int = 5

    def params(self) -> dict[str, int]:
        return {
            'answers_months': self.answers_months,
            'accounts_months': self.accounts_months,
            'outbox_days': self.outbox_days,
            'backup_keep': self.backup_keep,
            'session_days': SESSION_DAYS,
        }


@dataclass(frozen=True)
class Inventory:
    general: dict[str, dict[str, str]]
    kinds: tuple[Kind, ...]

    def tables(self) -> set[str]:
        return {t for k in self.kinds for t in k.tables}

    def text(self, texts: dict[str, str], lang: str, limits: Limits | None = None) -> str:
        """A text in `lang` (falling back to the default language), with the retention figures filled in."""
        template = pick(texts, lang)
        return template.format_map((limits or Limits()).params())

    def rows(self, lang: str, limits: Limits) -> list[dict[str, str]]:
        """One row per kind of data: its id, its title and each field in `lang`."""
        return [
            {'id': k.id, **{f: self.text(k.texts[f], lang, limits) for f in ('title', *FIELDS)}} for k in self.kinds
        ]


def load_inventory(path: Path = CONTENT_DIR / 'privacy.yaml') -> Inventory:
    """Read and check the inventory; ContentError names the place of a problem (start-up stops)."""
    check = Checker(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise check.fail('', 'must be a mapping')
    general = {name: _texts(check, raw.get(name), name) for name in GENERAL}
    kinds_raw = raw.get('kinds')
    if not isinstance(kinds_raw, list) or not kinds_raw:
        raise check.fail('kinds', 'must be a non-empty list')
    kinds = []
    for i, entry in enumerate(kinds_raw):
        where = f'kinds[{i}]'
        if not isinstance(entry, dict) or not isinstance(entry.get('id'), str):
            raise check.fail(where, 'needs an id')
        tables = entry.get('tables') or []
        if not isinstance(tables, list) or not all(isinstance(t, str) and '/' in t for t in tables):
            raise check.fail(f'{where}.tables', 'must list "<file kind>/<table>" names')
        texts = {f: _texts(check, entry.get(f), f'{where}.{f}') for f in ('title', *FIELDS)}
        kinds.append(Kind(entry['id'], tuple(tables), texts))
    if len({k.id for k in kinds}) != len(kinds):
        raise check.fail('kinds', 'ids must be unique')
    inventory = Inventory(general, tuple(kinds))
    for kind in kinds:  # every placeholder must be one the notice can fill
        for f in FIELDS:
            for lang, text in kind.texts[f].items():
                try:
                    text.format_map(Limits().params())
                except (KeyError, ValueError) as e:
                    raise check.fail(f'{kind.id}.{f}.{lang}', f'unknown placeholder {e}') from e
    return inventory


def _texts(check: Checker, value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise check.fail(where, 'needs a text per language')
    if not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise check.fail(where, 'every language needs a text')
    if DEFAULT_LANGUAGE not in value:
        raise check.fail(where, f'needs the default language ({DEFAULT_LANGUAGE})')
    return {str(k): v.strip() for k, v in value.items()}


# -- the processing register (GDPR Article 30) ---------------------------------------------------------------------


def register_csv(inventory: Inventory, operator: Operator, limits: Limits, lang: str, headers: dict[str, str]) -> bytes:
    """The register as a spreadsheet: one row per kind of data, with the general entries repeated (a register entry
    must stand on its own). `headers` gives the column titles in `lang`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';')
    columns = ['controller', 'contact', *GENERAL, 'id', 'title', *FIELDS]
    writer.writerow([headers.get(c, c) for c in columns])
    general = [inventory.text(inventory.general[g], lang, limits) for g in GENERAL]
    for row in inventory.rows(lang, limits):
        writer.writerow(
            [operator.controller, operator.contact, *general, row['id'], row['title'], *(row[f] for f in FIELDS)]
        )
    return ('\ufeff' + out.getvalue()).encode('utf-8')  # the BOM makes spreadsheet programs read UTF-8


def register_html(
    inventory: Inventory, operator: Operator, limits: Limits, lang: str, headers: dict[str, str], title: str
) -> bytes:
    """The register as a self-contained, printable page."""
    e = html.escape
    parts = [
        f'<!doctype html><html lang="{e(HTML_LANG.get(lang, lang))}"><head><meta charset="utf-8">',
        f'<title>{e(title)}</title>',
        '<style>body{font-family:sans-serif;margin:2rem;line-height:1.4}table{border-collapse:collapse;width:100%}'
        'th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}</style></head><body>',
        f'<h1>{e(title)}</h1><table><tbody>',
        f'<tr><th scope="row">{e(headers["controller"])}</th><td>{e(operator.controller or "—")}</td></tr>',
        f'<tr><th scope="row">{e(headers["contact"])}</th><td>{e(operator.contact or "—")}</td></tr>',
    ]
    for g in GENERAL:
        text = inventory.text(inventory.general[g], lang, limits)
        parts.append(f'<tr><th scope="row">{e(headers[g])}</th><td>{e(text)}</td></tr>')
    parts.append('</tbody></table><h2>' + e(headers['kinds']) + '</h2><table><thead><tr>')
    parts.extend(f'<th scope="col">{e(headers[f])}</th>' for f in ('title', *FIELDS))
    parts.append('</tr></thead><tbody>')
    for row in inventory.rows(lang, limits):
        cells = ''.join(f'<td>{e(row[f])}</td>' for f in FIELDS)
        parts.append(f'<tr><th scope="row">{e(row["title"])}</th>{cells}</tr>')
    parts.append('</tbody></table></body></html>')
    return ''.join(parts).encode('utf-8')
