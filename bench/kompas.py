"""Kompas: loading and validating all content at start-up, and scoring a round.

Baselines: reading the same YAML files without validation; averaging the same answers with plain Python.
"""

from __future__ import annotations

from bench.run import Figure, median_time
from core.content import load_content
from core.yamlcheck import CONTENT_DIR, read_yaml


def run() -> list[Figure]:
    files = sorted(CONTENT_DIR.rglob('*.yaml'))
    load = median_time(load_content, 7)
    parse_only = median_time(lambda: [read_yaml(p) for p in files], 7)

    from core.questionnaire import score

    instrument = load_content().instruments.current('kompas')
    answers = {item.id: (i % 5) + 1 for i, item in enumerate(instrument.items)}
    scoring = median_time(lambda: score(instrument, answers), 2000)
    values = list(answers.values())
    plain = median_time(lambda: sum(values) / len(values), 2000)
    return [
        Figure(
            f'load and validate all content ({len(files)} files)',
            load * 1000,
            'ms',
            '< 300 ms',
            load < 0.3,
            parse_only * 1000,
            load / parse_only,
        ),
        Figure(
            'score a kompas round (32 answers)',
            scoring * 1000,
            'ms',
            '< 5 ms',
            scoring < 0.005,
            plain * 1000,
            scoring / plain,
            note='baseline: one plain mean of the same answers',
        ),
    ]
