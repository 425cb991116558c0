"""Run every benchmark, print a table, write bench/results.json.

Each figure carries its target and, where a comparison makes sense, the same work done by a minimal baseline in the
same run: on a shared, noisy machine a ratio holds where an absolute time does not.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).with_name('results.json')


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str
    ok: bool
    baseline: float | None = None
    ratio: float | None = None
    note: str = ''


NOT_SUITES = {'run', 'minimal_app', 'memory_probe', 'minimal_broadcast'}


def median_time(fn: Callable[[], object], runs: int) -> float:
    """The median of `runs` timed calls of `fn`, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def suites() -> dict[str, Callable[[], list[Figure]]]:
    """Every module of bench/ with a `run()` returning figures; the shell first."""
    import importlib
    import pkgutil

    import bench

    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name not in NOT_SUITES and not m.name.startswith('_')
    )
    names.sort(key=lambda n: n != 'shell')
    found = {}
    for name in names:
        module = importlib.import_module(f'bench.{name}')
        if callable(getattr(module, 'run', None)):
            found[name] = module.run
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog='python -m bench', description=__doc__)
    parser.add_argument('only', nargs='*', help='names of suites to run (default: all)')
    args = parser.parse_args()
    figures: list[Figure] = []
    try:  # running some suites keeps the others' last figures
        by_suite = json.loads(RESULTS.read_text()).get('suites', {})
    except (FileNotFoundError, json.JSONDecodeError):
        by_suite = {}
    for name, suite in suites().items():
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        print(f'running {name} ...', file=sys.stderr, flush=True)
        suite_figures = suite()
        figures.extend(suite_figures)
        by_suite[name] = {'when': time.strftime('%Y-%m-%dT%H:%M:%S'), 'figures': [asdict(f) for f in suite_figures]}
        print(f'  {name} took {time.perf_counter() - started:.1f} s', file=sys.stderr, flush=True)
    print_table(figures)
    RESULTS.write_text(
        json.dumps({'machine': platform.platform(), 'python': platform.python_version(), 'suites': by_suite}, indent=1)
    )
    print(f'\nwritten to {RESULTS}')


def print_table(figures: list[Figure]) -> None:
    rows = [('benchmark', 'value', 'baseline', 'ratio', 'target', 'ok')]
    for f in figures:
        rows.append(
            (
                f.name,
                f'{f.value:.3g} {f.unit}',
                '' if f.baseline is None else f'{f.baseline:.3g} {f.unit}',
                '' if f.ratio is None else f'{f.ratio:.2f}x',
                f.target,
                'yes' if f.ok else 'NO',
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print('  '.join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if i == 0:
            print('  '.join('-' * w for w in widths))
