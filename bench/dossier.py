"""The PDF dossier of the demo community (every section filled), and the largest dossier the community generator of
the tests makes (tests/generators.py: 200 actions, three kompas rounds, three survey rounds, a full IT-tools
matrix, a half-day kick-off, texts as long as the fields allow), each against a one-page ReportLab document with one
paragraph built the same way, in the same run. Targets: the demo dossier in under 1 s, the largest in under 15 s."""

from __future__ import annotations

import asyncio
import tempfile
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from bench.run import Figure, median_time
from core import demo
from core.config import Settings
from core.dossier import SECTIONS, collect
from core.i18n import Translator
from core.pdf import DocInfo, build_pdf, para, styles
from core.pdf.dossier import build_dossier, dossier_pdf
from core.services import build_services
from tests.generators import CommunitySpec, ITSpec, KickoffSpec, SurveySpec, Text, build_community, scratch_services

# the most the generator's strategy draws of each part (many actions come with short texts, as people write them)
LARGEST = CommunitySpec(
    seed=2026,
    name=Text('max'),
    purpose=Text('max'),
    stage=2,
    expected_members=400,
    profile=0.6,
    profile_answered=1.0,
    profile_shared=True,
    kompas_rounds=3,
    kompas_answered=1.0,
    surveys=tuple(SurveySpec(3, 14, status, Text('max')) for status in ('closed', 'closed', 'open')),
    ittools=ITSpec(None, 6, 14, 3, 1.0, True, Text('max', True)),
    kickoff=KickoffSpec('kickoff_half_day', 6, Text('max', True)),
    plan_text=Text('max', True),
    actions=200,
    action_text=Text('sentence'),
    guide_answers=12,
    guide_text=Text('paragraph', True),
    ideas_taken=2,
)


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        services = build_services(Settings(data_dir=Path(tmp) / 'data', backup_interval=3600))
        owner, cid = asyncio.run(demo.seed(services, 'bench demo password'))
        t = Translator(services.content.ui, 'nl')
        data = collect(services, owner, cid, 'nl')
        pages = []
        full = median_time(lambda: pages.append(dossier_pdf(data, t)), 5)
        collecting = median_time(lambda: collect(services, owner, cid, 'nl'), 5)
    one = median_time(lambda: build_pdf([para('Eén alinea.', styles()['body'])], DocInfo(title='Bench')), 5)
    count = len(PdfReader(BytesIO(pages[-1])).pages)
    with scratch_services() as services:
        built = asyncio.run(build_community(services, LARGEST))
        t = Translator(services.content.ui, 'nl')
        data = collect(services, built.owner, built.cid, 'nl')
        made = []
        largest = median_time(lambda: made.append(build_dossier(data, t, SECTIONS)), 3)
    large_count = len(PdfReader(BytesIO(made[-1].pdf)).pages)
    return [
        Figure(
            f'full demo dossier PDF ({count} pages)',
            full * 1000,
            'ms',
            '< 1000 ms',
            full < 1.0,
            one * 1000,
            full / one,
            note=f'gathering the data takes {collecting * 1000:.1f} ms more',
        ),
        Figure(
            f'largest generated dossier PDF ({large_count} pages, every section)',
            largest * 1000,
            'ms',
            '< 15000 ms',
            largest < 15.0 and not made[-1].failed,
            one * 1000,
            largest / one,
            note=f'{largest / large_count * 1000:.0f} ms per page; sections left out: {made[-1].failed or "none"}',
        ),
    ]
