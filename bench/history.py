"""Writes in a community with a long history cost what an empty community's cost (issue #13).

A community whose members answered the survey 20,000 times over five earlier rounds is generated straight into the
store (the documents `Surveys.submit` writes: random ids, a receipt hash, released), next to an empty community on
the same server. In both, measured at the service layer, which is what a page awaits before it confirms:
- a survey submission (a new round, personal links), p95 of 150;
- an IT-tools edit (one score of a comparison) and a kompas answer, p95 of 100 each;
- the worst event-loop stall while they run: a ticker asks for 1 ms sleeps and records the longest late wake-up.
The two communities take turns, write by write, so that both see the same disk and the same machine load.
- the bytes each write puts on disk (main file and changed parts).
The empty community is the baseline: the target is p95 at most 2x, and no stall over 20 ms.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.run import Figure

HISTORY_ANSWERS = 20_000
HISTORY_ROUNDS = 5
SUBMITS = 150
EDITS = 100
PASSWORD = 'bench password 123'


def sheet(instrument: Any, rng: random.Random) -> dict[str, Any]:
    """One realistic answer sheet: every scale answered, a choice, a multiple choice, now and then an open text."""
    answers: dict[str, Any] = {}
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


async def long_history(services: Any, owner: str, cid: str, answers: int = HISTORY_ANSWERS, rounds: int = 5) -> None:
    """`answers` answers over `rounds` closed rounds of the member survey, as submissions store them, in one commit
    (submitting them one by one would take minutes and measure nothing more)."""
    from tinydb.table import Document

    instrument = services.content.instruments.current('member_survey')
    db = services.store.community(cid)
    rng = random.Random(13)
    for r in range(rounds):
        survey_round = await services.surveys.create(owner, cid, title=f'Bevraging {2020 + r}', open_now=True)
        part = db.partition('survey_answers', survey_round.id)
        docs = [
            Document(
                {
                    'round': survey_round.id,
                    'answers': sheet(instrument, rng),
                    'receipt': secrets.token_hex(32),
                    'released': True,
                },
                doc_id=rng.getrandbits(52) + 1,
            )
            for _ in range(answers // rounds)
        ]
        part.insert_multiple(docs)
        await services.surveys.set_status(owner, cid, survey_round.id, 'closed')
    await db.commit()


class StallMeter:
    """The longest time the event loop was late for a 1 ms sleep, per label: `current` says whose work runs now."""

    def __init__(self) -> None:
        self.worst: dict[str, float] = {}
        self.current = ''
        self._task: asyncio.Task | None = None

    async def _tick(self) -> None:
        while True:
            started, label = time.perf_counter(), self.current
            await asyncio.sleep(0.001)
            late = time.perf_counter() - started - 0.001
            for name in {label, self.current}:
                self.worst[name] = max(self.worst.get(name, 0.0), late)

    def __enter__(self) -> StallMeter:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def actions(services: Any, owner: str, cid: str) -> dict[str, Any]:
    """The three writes measured, ready to call with a running number, in community `cid`."""
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, title='Nu', threshold=5, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    codes = await surveys.make_codes(owner, cid, survey_round.id, SUBMITS)
    rng = random.Random(5)
    sheets = [sheet(instrument, rng) for _ in range(SUBMITS)]
    actor = services.ittools.user_actor(services.accounts.get(owner), cid)
    comparison = await services.ittools.create(actor, cid, 'Bench', template_id='m365')
    keys = comparison.keys()
    kompas = services.kompas
    round_ = await kompas.start(owner, cid)
    items = [item.id for item in kompas.instrument_of(round_).scored_items]

    async def submit(i: int) -> None:
        ticket = surveys.ticket(cid, survey_round.token)
        await surveys.submit(cid, survey_round.token, ticket, sheets[i], client=f'r{i}', code=codes[i])

    async def edit(i: int) -> None:
        await services.ittools.set_score(actor, cid, comparison.id, keys[i % len(keys)], i % 4)

    async def answer(i: int) -> None:
        await kompas.answer(owner, cid, round_.id, items[i % len(items)], i % 5 + 1)

    return {'survey submit': (submit, SUBMITS), 'IT-tools edit': (edit, EDITS), 'kompas answer': (answer, EDITS)}


async def measure(services: Any, communities: dict[str, str], owner: str) -> dict[str, dict[str, tuple]]:
    """Each write, alternately in each community (the same disk and machine load for both): durations, the worst
    loop stall while that community's writes ran, the bytes of its last write."""
    prepared = {label: await actions(services, owner, cid) for label, cid in communities.items()}
    out: dict[str, dict[str, tuple]] = {label: {} for label in communities}
    for name in prepared[next(iter(communities))]:
        durations: dict[str, list[float]] = {label: [] for label in communities}
        with StallMeter() as meter:
            await asyncio.sleep(0.01)
            for i in range(prepared[next(iter(communities))][name][1]):
                for label in communities:
                    action = prepared[label][name][0]
                    meter.current = label
                    started = time.perf_counter()
                    await action(i)
                    durations[label].append(time.perf_counter() - started)
                    meter.current = ''
        for label, cid in communities.items():
            written = services.store.community(cid).file.last_bytes
            out[label][name] = (durations[label], meter.worst.get(label, 0.0), written)
    return out


async def session(folder: Path) -> tuple[dict, dict, int]:
    from core.config import Settings
    from core.services import build_services

    services = build_services(Settings(data_dir=folder, backup_interval=86400))
    owner = (await services.accounts.sign_up('Bench', 'bench@example.be', PASSWORD)).id
    empty = (await services.communities.create(owner, {'name': 'Leeg'})).id
    big = (await services.communities.create(owner, {'name': 'Vol'})).id
    await long_history(services, owner, big)
    history_bytes = sum(p.stat().st_size for p in (folder / 'communities' / big).iterdir())
    found = await measure(services, {'empty': empty, 'big': big}, owner)
    services.close()
    return found['empty'], found['big'], history_bytes


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        base, loaded, history_bytes = asyncio.run(session(Path(tmp) / 'data'))
    figures = []
    for name, (durations, stall, written) in loaded.items():
        base_durations, base_stall, base_written = base[name]
        big95, small95 = p95(durations) * 1000, p95(base_durations) * 1000
        figures.append(
            Figure(
                f'{name} with {HISTORY_ANSWERS:,} answers stored, p95',
                big95,
                'ms',
                '<= 2x the empty community',
                big95 <= 2 * small95,
                small95,
                big95 / small95,
                note=f'median {statistics.median(durations) * 1000:.1f} ms (empty '
                f'{statistics.median(base_durations) * 1000:.1f} ms); {written:,} bytes written per write (empty '
                f'{base_written:,}); history {history_bytes / 1e6:.1f} MB over {HISTORY_ROUNDS} rounds',
            )
        )
        figures.append(
            Figure(
                f'{name} with {HISTORY_ANSWERS:,} answers stored, worst event-loop stall',
                stall * 1000,
                'ms',
                '<= 20 ms',
                stall <= 0.020,
                base_stall * 1000,
                stall / base_stall if base_stall > 0 else None,
            )
        )
    return figures
