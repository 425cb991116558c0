"""The arithmetic of the matrix: weight shares, weighted totals, must-have exclusion, ranking, and the spread of
private scores after a reveal.

A tool's total is the sum over criteria of weight x score, out of 3 x the sum of the weights (a cell without a score
counts as 0 and makes the total incomplete). A tool scored 0 on a must-have criterion fails it and is excluded: it
is ranked after every tool that is not. Tools with the same share share a rank (1, 1, 3).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .model import MAX_SCORE, Comparison, CriterionRef, cell_key

DISAGREEMENT_RANGE = 2  # on the 0..3 scale: someone says "not at all" or "partly" where another says "well" or more


@dataclass(frozen=True)
class ToolResult:
    tool_id: str
    points: int
    max_points: int
    percent: float  # 0..1
    rank: int
    excluded: bool
    failed: tuple[str, ...]  # the must-have criteria it fails
    scored: int  # cells with a score
    cells: int  # cells in its column


@dataclass(frozen=True)
class CellStats:
    n: int
    mean: float
    low: int
    high: int

    @property
    def spread(self) -> int:
        return self.high - self.low

    @property
    def disagreement(self) -> bool:
        return self.n >= 2 and self.spread >= DISAGREEMENT_RANGE

    @property
    def rounded(self) -> int:
        """The mean rounded half up (1.5 -> 2): a proposal for the agreed value."""
        return min(MAX_SCORE, math.floor(self.mean + 0.5))


def weight_shares(criteria: Iterable[CriterionRef]) -> dict[str, float]:
    """Each criterion's weight as a share of all weights (0..1); all 0 when every weight is 0."""
    criteria = list(criteria)
    total = sum(c.weight for c in criteria)
    return {c.id: (c.weight / total if total else 0.0) for c in criteria}


def results(comparison: Comparison) -> list[ToolResult]:
    """One result per tool, in ranking order (excluded tools last, ties in the comparison's column order)."""
    weight_sum = sum(c.weight for c in comparison.criteria)
    max_points = MAX_SCORE * weight_sum
    raw = []
    for position, tool in enumerate(comparison.tools):
        points = scored = 0
        failed = []
        for criterion in comparison.criteria:
            score = comparison.score(cell_key(tool.id, criterion.id))
            if score is None:
                continue
            scored += 1
            points += criterion.weight * score
            if criterion.must and score == 0:
                failed.append(criterion.id)
        percent = points / max_points if max_points else 0.0
        raw.append((position, tool.id, points, percent, tuple(failed), scored))
    ordered = sorted(raw, key=lambda r: (bool(r[4]), -r[3], r[0]))
    out: list[ToolResult] = []
    for index, (_, tool_id, points, percent, failed, scored) in enumerate(ordered):
        previous = out[-1] if out else None
        same = previous is not None and previous.excluded == bool(failed) and math.isclose(previous.percent, percent)
        rank = previous.rank if same else index + 1
        out.append(
            ToolResult(
                tool_id=tool_id,
                points=points,
                max_points=max_points,
                percent=percent,
                rank=rank,
                excluded=bool(failed),
                failed=failed,
                scored=scored,
                cells=len(comparison.criteria),
            )
        )
    return out


def cell_stats(scores: Iterable[int]) -> CellStats | None:
    values = list(scores)
    if not values:
        return None
    return CellStats(n=len(values), mean=sum(values) / len(values), low=min(values), high=max(values))


def private_stats(private: dict[str, dict[str, int]], keys: Iterable[str]) -> dict[str, CellStats]:
    """Per cell, the statistics of everyone's private scores (cells nobody scored are left out)."""
    by_cell: dict[str, list[int]] = {}
    for scores in private.values():
        for key, value in scores.items():
            by_cell.setdefault(key, []).append(value)
    out = {}
    for key in keys:
        stats = cell_stats(by_cell.get(key, []))
        if stats is not None:
            out[key] = stats
    return out


@dataclass(frozen=True)
class Completeness:
    """How much of the matrix is scored: a decision on a half-empty matrix is a guess, and the reader must know."""

    cells: int  # cells in the matrix
    scored_cells: int
    criteria: int
    scored_criteria: int  # criteria scored for every tool
    must_unscored: tuple[str, ...]  # must-have criteria that some tool has no score on (ids, in matrix order)

    @property
    def complete(self) -> bool:
        return self.cells > 0 and self.scored_cells == self.cells

    @property
    def share(self) -> float:
        """The scored share of the cells (0..1)."""
        return self.scored_cells / self.cells if self.cells else 0.0


def completeness(comparison: Comparison) -> Completeness:
    """Which part of the matrix has a score: per cell, per criterion (all tools scored) and the must-haves."""
    scored_cells = scored_criteria = 0
    must_unscored = []
    for criterion in comparison.criteria:
        scored = sum(1 for tool in comparison.tools if comparison.score(cell_key(tool.id, criterion.id)) is not None)
        scored_cells += scored
        if scored == len(comparison.tools):
            scored_criteria += 1
        elif criterion.must:
            must_unscored.append(criterion.id)
    return Completeness(
        cells=len(comparison.criteria) * len(comparison.tools),
        scored_cells=scored_cells,
        criteria=len(comparison.criteria),
        scored_criteria=scored_criteria,
        must_unscored=tuple(must_unscored),
    )
