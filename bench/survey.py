"""Member survey: durable submissions per second in a burst of 200 concurrent respondents, each with their own
personal single-use link (group commit), against a plain fsync'ed append of the same bytes, one per submission; and
aggregating 10,000 answers.

Measured at the service layer, which is what the answering page awaits before it shows the receipt code.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import tempfile
import time
from pathlib import Path

from bench.run import Figure, median_time
from core.config import Settings
from core.services import build_services
from core.store import read_whole
from core.survey_results import aggregate

RESPONDENTS = 200


def _sheet(instrument, rng: random.Random) -> dict:
    answers = {}
    for item in instrument.items:
        if item.type == 'scale':
            answers[item.id] = rng.choice([1, 2, 3, 4, 5, 'na'])
        elif item.type == 'choice':
            answers[item.id] = rng.choice(item.options).id
        elif item.type == 'multi':
            answers[item.id] = [o.id for o in item.options if rng.random() < 0.4] or [item.options[0].id]
        elif rng.random() < 0.5:
            answers[item.id] = 'Een open antwoord van een lid, met wat tekst erbij. ' * 2
    return answers


async def _burst(folder: Path) -> tuple[float, int, int, list[bytes]]:
    services = build_services(Settings(data_dir=folder, backup_interval=3600))
    owner = await services.accounts.sign_up('Bench', 'bench@example.be', 'bench password 123')
    community = await services.communities.create(owner.id, {'name': 'Bench'})
    survey_round = await services.surveys.create(owner.id, community.id, threshold=3, open_now=True)
    instrument = services.surveys.instrument_of(survey_round)
    rng = random.Random(7)
    sheets = [_sheet(instrument, rng) for _ in range(RESPONDENTS)]
    tickets = [services.surveys.ticket(community.id, survey_round.token) for _ in range(RESPONDENTS)]
    codes = await services.surveys.make_codes(owner.id, community.id, survey_round.id, RESPONDENTS)
    writes = 0
    original = services.store.community(community.id).file.write

    def counting(*args, **kwargs) -> None:
        nonlocal writes
        writes += 1
        original(*args, **kwargs)

    services.store.community(community.id).file.write = counting
    started = time.perf_counter()
    receipts = await asyncio.gather(
        *(
            services.surveys.submit(
                community.id, survey_round.token, ticket, sheet, client=f'respondent-{i}', code=code
            )
            for i, (ticket, sheet, code) in enumerate(zip(tickets, sheets, codes, strict=True))
        )
    )
    elapsed = time.perf_counter() - started
    stored = read_whole(folder / 'communities' / f'{community.id}.json')['survey_answers']
    assert len(set(receipts)) == RESPONDENTS, 'duplicate receipts'
    assert len({d['receipt'] for d in stored.values()}) == len(stored) == RESPONDENTS, (
        f'{len(stored)} answers stored for {RESPONDENTS} submissions'
    )
    used = services.surveys.code_counts(owner.id, community.id, survey_round.id)
    assert used == (RESPONDENTS, RESPONDENTS), f'personal links made and used: {used}'
    payloads = [json.dumps(d, ensure_ascii=False).encode() for d in stored.values()]
    return elapsed, len(stored), writes, payloads


def _plain_appends(folder: Path, payloads: list[bytes]) -> float:
    path = folder / 'append.log'
    started = time.perf_counter()
    with open(path, 'ab') as f:
        for payload in payloads:
            f.write(payload + b'\n')
            f.flush()
            os.fsync(f.fileno())
    return time.perf_counter() - started


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        elapsed, stored, writes, payloads = asyncio.run(_burst(Path(tmp) / 'data'))
        baseline = _plain_appends(Path(tmp), payloads)
    rate, base_rate = RESPONDENTS / elapsed, RESPONDENTS / baseline

    from core.content import load_content

    instrument = load_content().instruments.current('member_survey')
    rng = random.Random(11)
    sheets = [_sheet(instrument, rng) for _ in range(10_000)]
    aggregation = median_time(lambda: aggregate(instrument, sheets, expected=12_000), 5)
    return [
        Figure(
            f'durable submissions per second ({RESPONDENTS} concurrent)',
            rate,
            '/s',
            '>= 200/s, none lost',
            rate >= 200 and stored == RESPONDENTS,
            base_rate,
            rate / base_rate,
            note=f'{stored} of {RESPONDENTS} stored, each on its own personal link, in {writes} file writes (group '
            f"commit); baseline: one fsync'ed append per submission",
        ),
        Figure('aggregate 10,000 answers', aggregation * 1000, 'ms', '< 200 ms', aggregation < 0.2),
    ]
