"""An organisation with 300 attached communities, each with two kompas rounds, a plan with actions, and (every third)
a member-survey round with released results, (every second) a published story, sharing different parts. Measured:
the portfolio page's data (rows read cold, then filtered, the heat map and the summary), and the board report PDF
for all 300, each against a minimal baseline in the same run (loading the 300 community records; a one-page PDF).
Targets: the page's data in under 1 s, the board report in under 5 s."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from tinydb import Query

from bench.run import Figure, median_time
from core.config import Settings
from core.i18n import Translator
from core.kompas import TABLE as KOMPAS_TABLE
from core.organisations import PARTS
from core.pdf import DocInfo, build_pdf, para, styles
from core.pdf.board import board_pdf
from core.portfolio import heat, labels_for, select, summary
from core.services import Services, build_services

COMMUNITIES = 300
STAGES = ('potential', 'coalescing', 'maturing', 'stewardship', 'transformation')
STORY = {'happened': 'Een collega deelde een voorbeeld.', 'gave': 'Ik kon het meteen gebruiken.', 'did': 'Toegepast.'}


async def build(services: Services) -> tuple[str, str, list[str]]:
    """The officer, the organisation and the communities' ids."""
    accounts, orgs = services.accounts, services.organisations
    officer = await accounts.sign_up('Kim Officer', 'kim@bench.example', 'a bench password 1')
    password = 'a bench password 1'
    owners = [await accounts.sign_up(f'Coördinator {i}', f'c{i}@bench.example', password) for i in range(20)]
    org = await orgs.create(officer.id, 'FOD Bench')
    ids = []
    for i in range(COMMUNITIES):
        owner = owners[i % len(owners)].id
        community = await services.communities.create(owner, {'name': f'CoP {i:03d}', 'stage': STAGES[i % 5]})
        await _fill(services, owner, community.id, i)
        token, _ = await orgs.invite(officer.id, org.id, 'attach')
        shared = [p for j, p in enumerate(PARTS) if (i + j) % 4] if i % 7 else list(PARTS)
        await orgs.accept_attach(owner, token, community.id, shared)
        ids.append(community.id)
    return officer.id, org.id, ids


async def _fill(services: Services, owner: str, cid: str, i: int) -> None:
    db = services.store.community(cid)
    kompas = services.kompas
    today = datetime.now(UTC).date()
    for number in range(2):
        sheet = await kompas.start(owner, cid)
        answers = {
            item.id: 1 + (i + number + d) % 5
            for d, dimension in enumerate(kompas.instrument.dimensions)
            for item in dimension.items
        }
        day = (today - timedelta(days=200 - 100 * number)).isoformat()
        db.table(KOMPAS_TABLE).update({'answers': answers, 'finished': day, 'started': day}, Query()['id'] == sheet.id)
    for n in range(6):
        services.plan._insert(cid, {'title': f'Actie {n}', 'status': ('planned', 'doing', 'done')[n % 3]})
    await services.plan.save_plan(owner, cid, {'next_review': (today + timedelta(days=30 - i % 60)).isoformat()})
    if i % 3 == 0:
        await _survey(services, owner, cid)
    if i % 2 == 0:
        token = await services.stories.open_link(owner, cid)
        _, story = await services.stories.submit(cid, token, STORY, 'Mira Janssens' if i % 4 else '')
        await services.stories.set_status(owner, cid, story.id, 'published')
    await db.commit()


async def _survey(services: Services, owner: str, cid: str) -> None:
    surveys = services.surveys
    survey = await surveys.create(owner, cid, title='Ronde', threshold=5, open_now=True)
    instrument = surveys.instrument_of(survey)
    codes = await surveys.make_codes(owner, cid, survey.id, 5)
    answers = {item.id: 4 for item in instrument.scored_items}
    await asyncio.gather(
        *(
            surveys.submit(cid, survey.token, surveys.ticket(cid, survey.token), answers, client=f'{cid}{n}', code=c)
            for n, c in enumerate(codes)
        )
    )


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        services = build_services(Settings(data_dir=Path(tmp) / 'data', backup_interval=3600))
        officer, org_id, ids = asyncio.run(build(services))
        t = Translator(services.content.ui, 'nl')
        labels = labels_for(t, services.content, services.kompas.instrument)
        dims = tuple(d.id for d in services.kompas.instrument.dimensions)

        def page_data(cold: bool = True) -> None:
            if cold:
                services.portfolio._cache.clear()
            rows = services.portfolio.rows(officer, org_id)
            assert len(rows) == COMMUNITIES
            select(rows, query='cop', sort='kompas')
            heat(rows, dims)
            summary(rows)

        cold = median_time(page_data, 5)
        warm = median_time(lambda: page_data(cold=False), 5)
        records = median_time(lambda: [services.communities._load(cid) for cid in ids], 5)
        rows = services.portfolio.rows(officer, org_id)
        made = []
        report = median_time(lambda: made.append(board_pdf('FOD Bench', rows, dims, labels)), 3)
        services.close()
    one = median_time(lambda: build_pdf([para('Eén alinea.', styles()['body'])], DocInfo(title='Bench')), 5)
    pages = len(PdfReader(BytesIO(made[-1])).pages)
    return [
        Figure(
            f'portfolio page data, {COMMUNITIES} communities (rows read cold, filter, heat map, summary)',
            cold * 1000,
            'ms',
            '< 1000 ms',
            cold < 1.0,
            records * 1000,
            cold / records if records else None,
            note=f'baseline: loading the {COMMUNITIES} community records; with unchanged files {warm * 1000:.0f} ms',
        ),
        Figure(
            f'board report PDF, {COMMUNITIES} communities ({pages} pages)',
            report * 1000,
            'ms',
            '< 5000 ms',
            report < 5.0,
            one * 1000,
            report / one,
            note='baseline: a one-page PDF with one paragraph',
        ),
    ]


if __name__ == '__main__':
    for figure in run():
        print(figure)
