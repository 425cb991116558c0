"""Kick-off PDFs: time to build the facilitator script of the half-day template (the largest), against a
one-paragraph ReportLab document built the same way in the same run."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bench.run import Figure, median_time


def _scenario_data():
    from core.accounts import Accounts
    from core.communities import Communities
    from core.content import load_content
    from core.kickoff import Kickoff, scenario_data
    from core.store import BackupPolicy, Store

    async def make():
        content = load_content()
        store = Store(Path(tempfile.mkdtemp(prefix='cop-bench-kickoff-')), BackupPolicy(min_interval=0))
        accounts = Accounts(store.accounts)
        communities = Communities(store, accounts)
        owner = await accounts.sign_up('Bench', 'bench@example.be', 'a bench password!')
        community = await communities.create(owner.id, {'name': 'CoP Bench'})
        kickoff = Kickoff(store, communities, content.kickoff)
        s = await kickoff.create(owner.id, community.id, title='Kick-off', lang='nl', template_id='kickoff_half_day')
        return content, scenario_data(s, content.kickoff, 'nl')

    return asyncio.run(make())


def run(runs: int = 7) -> list[Figure]:
    from core.i18n import Translator
    from core.pdf import DocInfo, build_pdf, para, styles
    from core.pdf.kickoff import agenda_pdf, script_pdf

    content, data = _scenario_data()
    t = Translator(content.ui, 'nl')
    build_pdf([para('Eén paragraaf.', styles()['body'])], DocInfo(title='warm-up'))  # fonts registered once
    baseline = median_time(lambda: build_pdf([para('Eén paragraaf.', styles()['body'])], DocInfo(title='B')), runs)
    script = median_time(lambda: script_pdf(data, t, community='CoP Bench'), runs)
    agenda = median_time(lambda: agenda_pdf(data, t, community='CoP Bench'), runs)
    return [
        Figure(
            'kick-off script PDF (half day, 5 pages)',
            script * 1000,
            'ms',
            '< 1000 ms',
            script < 1.0,
            baseline * 1000,
            script / baseline,
            'baseline: a one-paragraph document, same builder',
        ),
        Figure(
            'kick-off agenda PDF (1 page)',
            agenda * 1000,
            'ms',
            '< 500 ms',
            agenda < 0.5,
            baseline * 1000,
            agenda / baseline,
        ),
    ]
