"""Operations: the online backup of a data folder of 200 communities holding 20,000 survey answers, and the worst
stall of the event loop while it runs (a server keeps serving during a backup). Baseline: the same files packed by
a plain `tarfile` gzip archive, without the snapshot, the checksums or the manifest.
"""

from __future__ import annotations

import asyncio
import random
import tarfile
import tempfile
import time
from pathlib import Path

from bench.run import Figure
from bench.survey import _sheet
from core import backup
from core.config import Settings
from core.services import build_services

COMMUNITIES = 200
ANSWERS = 20_000


async def _fill(folder: Path):
    """The folder, through the services (group commit keeps it quick): every community with one open round."""
    services = build_services(Settings(data_dir=folder, backup_interval=3600))
    owner = await services.accounts.sign_up('Bench', 'bench@example.be', 'bench password 123')
    rng = random.Random(3)
    per_community = ANSWERS // COMMUNITIES

    async def one(n: int) -> None:
        community = await services.communities.create(owner.id, {'name': f'Bench {n}'})
        survey_round = await services.surveys.create(owner.id, community.id, threshold=3, open_now=True)
        instrument = services.surveys.instrument_of(survey_round)
        codes = await services.surveys.make_codes(owner.id, community.id, survey_round.id, per_community)
        tickets = [services.surveys.ticket(community.id, survey_round.token) for _ in range(per_community)]
        await asyncio.gather(
            *(
                services.surveys.submit(
                    community.id,
                    survey_round.token,
                    ticket,
                    _sheet(instrument, rng),
                    client=f'r-{n}-{i}',
                    code=codes[i],
                )
                for i, ticket in enumerate(tickets)
            )
        )

    for start in range(0, COMMUNITIES, 20):
        await asyncio.gather(*(one(n) for n in range(start, min(start + 20, COMMUNITIES))))
    return services


async def _backup_with_monitor(services, out: Path) -> tuple[float, float, backup.ArchiveInfo]:
    worst = 0.0
    running = True

    async def monitor() -> None:
        nonlocal worst
        while running:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            worst = max(worst, time.perf_counter() - before - 0.001)

    watcher = asyncio.create_task(monitor())
    await asyncio.sleep(0.01)
    started = time.perf_counter()
    info = await backup.backup_store(services.store, out)
    elapsed = time.perf_counter() - started
    running = False
    await watcher
    return elapsed, worst, info


def _plain_tar(folder: Path, out: Path) -> float:
    started = time.perf_counter()
    with tarfile.open(out, 'w:gz', compresslevel=6) as tar:
        for rel in backup.data_files(folder):
            tar.add(folder / rel, arcname=str(rel))
    return time.perf_counter() - started


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / 'data'

        async def main():
            services = await _fill(folder)
            return await _backup_with_monitor(services, Path(tmp) / 'out')

        elapsed, worst, info = asyncio.run(main())
        baseline = _plain_tar(folder, Path(tmp) / 'plain.tar.gz')
        files = sum(1 for _ in folder.glob('communities/*.json'))
    return [
        Figure(
            f'online backup, {COMMUNITIES} communities / {ANSWERS:,} answers',
            elapsed,
            's',
            '< 10 s',
            elapsed < 10,
            baseline,
            elapsed / baseline,
            note=f'{info.files} files, {info.size / 1e6:.1f} MB archive ({files} community files); baseline: a '
            f'plain tar.gz of the same files',
        ),
        Figure('worst event-loop stall during the backup', worst * 1000, 'ms', '<= 20 ms', worst <= 0.02),
    ]
