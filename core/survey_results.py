"""Aggregated survey results: distributions, means per item, block and value cycle, the perception gap with the
kompas (two rankings, never a difference of scores), and exports. Pure functions over lists of answer sheets;
callers enforce the threshold (Surveys)."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .i18n import Translator
from .questionnaire import CYCLES, NA, Instrument, Item, Result

LOW_MEAN = 3.0  # on a 5-point agreement scale, below "neither agree nor disagree"


@dataclass
class ItemResult:
    item: Item
    answered: int = 0  # answers with a value (not n/a)
    not_applicable: int = 0
    counts: dict[Any, int] = field(default_factory=dict)  # scale value or option id -> count
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    count: int
    expected: int | None
    items: list[ItemResult]
    blocks: dict[str, float | None]  # dimension id -> mean of its scale answers
    cycles: dict[str, float | None]  # value cycle -> mean
    mirrors: dict[str, float | None]  # kompas dimension id -> members' mean on the items that mirror it

    @property
    def rate(self) -> float | None:
        return self.count / self.expected if self.expected else None

    def item(self, item_id: str) -> ItemResult | None:
        return next((r for r in self.items if r.item.id == item_id), None)


def aggregate(
    instrument: Instrument,
    sheets: Sequence[Mapping[str, Any]],
    expected: int | None = None,
    rng: random.Random | None = None,
) -> SurveyResults:
    """Counts, means and open texts per item. A value that does not fit its item is left out, never a crash."""
    results = {item.id: ItemResult(item) for item in instrument.items}
    for item in instrument.items:
        if item.type == 'scale':
            results[item.id].counts = {v: 0 for v in instrument.scale_for(item).numbers}
        elif item.type in ('choice', 'multi'):
            results[item.id].counts = {o.id: 0 for o in item.options}
    sums: dict[str, float] = dict.fromkeys(results, 0.0)
    for sheet in sheets:
        for item_id, value in sheet.items():
            result = results.get(item_id)
            if result is not None and value is not None:
                sums[item_id] += _count(result, value)
    for item_id, result in results.items():
        if result.item.type == 'scale' and result.answered:
            result.mean = round(sums[item_id] / result.answered, 4)
        (rng or random).shuffle(result.texts)  # open answers in random order, never in arrival order
    ordered = [results[item.id] for item in instrument.items]
    return SurveyResults(
        count=len(sheets),
        expected=expected,
        items=ordered,
        blocks={d.id: _pooled_mean([results[i.id] for i in d.items]) for d in instrument.dimensions},
        cycles={
            c: _pooled_mean([r for r in ordered if r.item.cycle == c])
            for c in CYCLES
            if any(r.item.cycle == c for r in ordered)
        },
        mirrors={
            m: _pooled_mean([r for r in ordered if r.item.mirrors == m])
            for m in dict.fromkeys(r.item.mirrors for r in ordered if r.item.mirrors)
        },
    )


def _count(result: ItemResult, value: Any) -> float:
    """Count one answer into its item's result; returns what it adds to the item's sum (scale items only). A
    value that does not fit the item counts for nothing."""
    kind = result.item.type
    if kind == 'scale':
        if value == NA:
            result.not_applicable += 1
        elif isinstance(value, int | float) and value in result.counts:
            result.counts[value] += 1
            result.answered += 1
            return value
    elif kind == 'choice':
        if isinstance(value, str) and value in result.counts:
            result.counts[value] += 1
            result.answered += 1
    elif kind == 'multi':
        chosen = [v for v in value if v in result.counts] if isinstance(value, list) else []
        for v in chosen:
            result.counts[v] += 1
        result.answered += 1 if chosen else 0
    elif isinstance(value, str) and value.strip():
        result.texts.append(value)
        result.answered += 1
    return 0


def _pooled_mean(results: Iterable[ItemResult]) -> float | None:
    """The mean of all scale answers of these items together (items with more answers weigh more)."""
    total = count = 0
    for r in results:
        if r.item.type == 'scale':
            total += sum(value * n for value, n in r.counts.items())
            count += r.answered
    return round(total / count, 4) if count else None


RANK_DECIMALS = 1  # averages are shown at one decimal: two that read the same there share a place


@dataclass(frozen=True)
class Gap:
    """One kompas dimension seen from both sides. The coordinator's kompas score says how far a practice is
    developed, the members' mean how much they agree with statements about it: two different scales, so they are
    never subtracted. Each side ranks the dimensions both speak about by its own averages (1 = strongest), and the
    two places are compared."""

    dimension: str
    coordinator: float | None  # the kompas dimension mean
    members: float | None  # the members' mean on the items mirroring it
    coordinator_rank: int | None = None  # None: not ranked (one side says nothing about it)
    members_rank: int | None = None

    @property
    def ranked(self) -> bool:
        return self.coordinator_rank is not None and self.members_rank is not None

    @property
    def shift(self) -> int | None:
        """How many places lower the members put this dimension than the coordinator (negative: higher)."""
        if self.coordinator_rank is None or self.members_rank is None:
            return None
        return self.members_rank - self.coordinator_rank


def rank(scores: Mapping[str, float]) -> dict[str, int]:
    """Competition ranking, highest first ('1, 2, 2, 4'): a place is 1 + the number of scores strictly higher, at
    the precision the averages are shown with, so equal-looking averages share a place and nothing depends on
    the order the dimensions come in."""
    rounded = {key: round(value, RANK_DECIMALS) for key, value in scores.items()}
    return {key: 1 + sum(other > value for other in rounded.values()) for key, value in rounded.items()}


def perception_gap(kompas: Result | None, results: SurveyResults) -> list[Gap]:
    """The coordinator's view (a kompas round) against the members' view, as two rankings of the dimensions both
    speak about. A dimension only one side has a score for is listed but not ranked (ranking it on one side only
    would shift the other dimensions' places). The ranked dimensions come first, by the coordinator's place."""
    pairs = []
    for dimension, members in results.mirrors.items():
        score = kompas.dimension(dimension) if kompas else None
        pairs.append((dimension, score.mean if score else None, members))
    both = [(d, c, m) for d, c, m in pairs if c is not None and m is not None]
    if len(both) < 2:  # one dimension is always first on both sides: nothing to compare
        return [Gap(d, c, m) for d, c, m in pairs]
    by_coordinator = rank({d: c for d, c, _ in both})
    by_members = rank({d: m for d, _, m in both})
    gaps = [Gap(d, c, m, by_coordinator.get(d), by_members.get(d)) for d, c, m in pairs]
    order = {d: n for n, (d, _, _) in enumerate(pairs)}
    return sorted(
        gaps,
        key=lambda g: (not g.ranked, g.coordinator_rank or 0, g.members_rank or 0, order[g.dimension]),
    )


def disagreements(gaps: Sequence[Gap], places: int = 2) -> list[Gap]:
    """The ranked dimensions whose two places lie at least `places` apart, the widest first: where the coordinator
    and the members put the weight differently, a topic for the next meeting."""
    wide = [g for g in gaps if g.shift is not None and abs(g.shift) >= places]
    return sorted(wide, key=lambda g: (-abs(g.shift or 0), g.coordinator_rank or 0))


def nearest_in_time(dated: Sequence[tuple[str, Any]], day: str) -> Any | None:
    """Of (day, thing) pairs, the thing dated nearest to `day` (ISO days; a tie goes to the earlier one): the
    spring survey is read against the spring kompas, not the autumn one."""
    from datetime import date

    try:
        target = date.fromisoformat(day[:10])
    except (TypeError, ValueError):
        return dated[0][1] if dated else None
    best, best_key = None, None
    for when, thing in dated:
        try:
            distance = abs((date.fromisoformat(when[:10]) - target).days)
        except (TypeError, ValueError):
            continue
        key = (distance, when)
        if best_key is None or key < best_key:
            best, best_key = thing, key
    return best


def weak_items(results: SurveyResults, below: float = LOW_MEAN) -> list[ItemResult]:
    """Scale items whose members' mean is below `below`, lowest first: candidates for the action plan."""
    return sorted(
        (r for r in results.items if r.item.type == 'scale' and r.mean is not None and r.mean < below),
        key=lambda r: r.mean,
    )


def aggregated_rows(instrument: Instrument, results: SurveyResults, t: Translator) -> list[list[Any]]:
    """One row per item and answer: block, item, answer, count (and the mean per scale item)."""
    rows: list[list[Any]] = [
        [
            t('survey.csv.block'),
            t('survey.csv.item'),
            t('survey.csv.statement'),
            t('survey.csv.answer'),
            t('survey.csv.count'),
            t('survey.csv.mean'),
        ]
    ]
    for r in results.items:
        block = t.pick(instrument.dimension(r.item.dimension).title)
        statement = t.pick(r.item.statement)
        if r.item.type == 'scale':
            scale = instrument.scale_for(r.item)
            for value, n in r.counts.items():
                rows.append([block, r.item.id, statement, f'{value} {t.pick(scale.label(value))}', n, ''])
            if scale.not_applicable:
                rows.append([block, r.item.id, statement, t.pick(scale.not_applicable), r.not_applicable, ''])
            rows.append(
                [
                    block,
                    r.item.id,
                    statement,
                    t('survey.csv.mean'),
                    r.answered,
                    '' if r.mean is None else round(r.mean, 2),
                ]
            )
        elif r.item.type in ('choice', 'multi'):
            for option in r.item.options:
                rows.append([block, r.item.id, statement, t.pick(option.label), r.counts[option.id], ''])
        else:
            for text in r.texts:
                rows.append([block, r.item.id, statement, text, 1, ''])
    return rows


def raw_rows(
    instrument: Instrument, sheets: Sequence[Mapping[str, Any]], rng: random.Random | None = None
) -> list[list[Any]]:
    """The answers, one row each, shuffled, without any date, scores only (open answers are exported apart, so that
    nothing ties a text to its writer's scores): only for closed rounds at or above their threshold."""
    items = [i for i in instrument.items if i.type != 'text']
    rows = [[_raw_cell(sheet.get(i.id, '')) for i in items] for sheet in sheets]
    (rng or random).shuffle(rows)
    return [[i.id for i in items], *rows]


def _raw_cell(value: Any) -> Any:
    return '|'.join(value) if isinstance(value, list) else value


def to_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark and semicolons, as Excel in Belgium opens it. Cells that a spreadsheet would
    run as a formula are prefixed with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=';', quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([_safe_cell(c) for c in row])
    return ('\ufeff' + buffer.getvalue()).encode('utf-8')


def to_xlsx(rows: Sequence[Sequence[Any]], sheet_name: str) -> bytes:
    import xlsxwriter  # a maintained, pure-Python XLSX writer; only needed for this export

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {'in_memory': True, 'strings_to_formulas': False, 'strings_to_urls': False})
    # no time of day in the file: the same snapshot gives the same bytes, and nothing dates the export finer than
    # the day in its name
    workbook.set_properties({'created': datetime(2000, 1, 1, tzinfo=UTC)})
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({'bold': True})
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            sheet.write(r, c, cell, bold if r == 0 else None)
    sheet.set_column(0, 0, 24)
    sheet.set_column(2, 3, 48)
    workbook.close()
    return buffer.getvalue()


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ('=', '+', '-', '@', '\t', '\r'):
        return "'" + value
    return value
