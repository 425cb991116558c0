"""What leaves the application: the decision record (plain data for the PDF dossier) and the CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Any

from core.i18n import Translator

from .catalogue import Catalogue
from .model import Comparison, cell_key
from .scoring import Completeness, completeness, results, weight_shares
from .texts import criterion_group, criterion_title, decided_tool_name, recorded_tool_name, same, tool_name
from .view import completeness_text


def decision_record(catalogue: Catalogue, comparison: Comparison) -> dict[str, Any]:
    """The decision of a comparison with the ranking it was based on; see ITTools.latest_decision."""
    decision = comparison.decision
    assert decision is not None
    tools = {t.id: tool_name(catalogue, t) for t in comparison.tools}
    titles = {c.id: criterion_title(catalogue, c) for c in comparison.criteria}

    def row(r: dict[str, Any]) -> dict[str, Any]:
        return {
            'rank': r['rank'],
            'tool_id': r['tool_id'],
            'name': recorded_tool_name(catalogue, comparison, r['tool_id'], r['name']),
            'percent': r['percent'],
            'points': r['points'],
            'max_points': r['max_points'],
            'excluded': r['excluded'],
            'failed': [titles.get(f, same(f)) for f in r['failed']],
        }

    shares = weight_shares(comparison.criteria)
    now = [
        {
            'rank': r.rank,
            'tool_id': r.tool_id,
            'name': tools[r.tool_id],
            'percent': r.percent,
            'points': r.points,
            'max_points': r.max_points,
            'excluded': r.excluded,
            'failed': [titles[f] for f in r.failed],
        }
        for r in results(comparison)
    ]
    return {
        'comparison_id': comparison.id,
        'title': comparison.title,
        'tool_id': decision.tool_id,
        'tool_name': decided_tool_name(catalogue, comparison),
        'rationale': decision.rationale,
        'date': decision.date,
        'recorded_by': decision.recorded_by,
        'recorded_at': decision.recorded_at,
        'ranking': [row(r) for r in decision.ranking],
        'criteria': [
            {'id': c.id, 'title': titles[c.id], 'weight': c.weight, 'share': shares[c.id], 'must': c.must}
            for c in comparison.criteria
        ],
        'ranking_now': now,
        'completeness': _completeness(comparison, titles),
    }


def _completeness(comparison: Comparison, titles: dict[str, Any]) -> dict[str, Any]:
    done = completeness(comparison)
    return {**asdict(done), 'must_unscored': [titles[c] for c in done.must_unscored]}


def completeness_facts(decision: dict[str, Any], t: Translator) -> list[tuple[str, str]]:
    """The dossier's line on how complete the matrix is, beside the decision (none for an older record)."""
    raw = decision.get('completeness')
    if not isinstance(raw, dict):
        return []
    titles = [t.pick(title) for title in raw['must_unscored']]
    done = Completeness(**{**raw, 'must_unscored': tuple(raw['must_unscored'])})
    lines = completeness_text(done, titles, t)
    return [(t('ittools.completeness.label'), ' '.join(lines))]


def _safe(value: Any) -> Any:
    """A spreadsheet must not run a cell as a formula: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ('=', '+', '-', '@', '\t', '\r'):
        return "'" + value
    return value


def export_csv(catalogue: Catalogue, comparison: Comparison, t: Translator) -> bytes:
    """The matrix as CSV for a spreadsheet in the reader's language: semicolons and a byte-order mark, as Belgian
    Excel installations expect; one row per criterion, a score and a note column per tool, totals at the bottom."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=';', lineterminator='\r\n')
    names = [t.pick(tool_name(catalogue, tool)) for tool in comparison.tools]
    header = [
        t('ittools.csv.criterion'),
        t('ittools.csv.group'),
        t('ittools.csv.weight'),
        t('ittools.csv.share'),
        t('ittools.csv.must'),
    ]
    for name in names:
        header += [t('ittools.csv.score_of', tool=name), t('ittools.csv.note_of', tool=name)]
    writer.writerow([_safe(h) for h in header])
    shares = weight_shares(comparison.criteria)
    for criterion in comparison.criteria:
        group = criterion_group(catalogue, criterion)
        row: list[Any] = [
            t.pick(criterion_title(catalogue, criterion)),
            t.pick(group) if group else '',
            criterion.weight,
            t.number(shares[criterion.id] * 100, 1),
            t('ittools.csv.yes') if criterion.must else '',
        ]
        for tool in comparison.tools:
            key = cell_key(tool.id, criterion.id)
            score = comparison.score(key)
            note = comparison.notes.get(key)
            row += ['' if score is None else score, note.value if note else '']
        writer.writerow([_safe(v) for v in row])
    by_tool = {r.tool_id: r for r in results(comparison)}
    writer.writerow([])
    for label, value in (
        ('ittools.csv.points', lambda r: f'{r.points}/{r.max_points}'),
        ('ittools.csv.percent', lambda r: t.number(r.percent * 100, 1)),
        ('ittools.csv.rank', lambda r: r.rank),
        ('ittools.csv.excluded', lambda r: t('ittools.csv.yes') if r.excluded else ''),
    ):
        row = [t(label), '', '', '', '']
        for tool in comparison.tools:
            row += [value(by_tool[tool.id]), '']
        writer.writerow([_safe(v) for v in row])
    if comparison.decision is not None:
        decision = comparison.decision
        writer.writerow([])
        writer.writerow(
            [
                _safe(t('ittools.csv.decision')),
                _safe(t.pick(decided_tool_name(catalogue, comparison))),
                decision.date,
                _safe(decision.rationale),
            ]
        )
    return ('\ufeff' + buffer.getvalue()).encode('utf-8')
