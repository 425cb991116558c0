"""The PDF dossier of the demo community (every section filled), against a one-page ReportLab document with one
paragraph built the same way, in the same run. Target: the full dossier in under 1 s."""

from __future__ import annotations

import asyncio
import tempfile
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from bench.run import Figure, median_time
from core import demo
from core.config import Settings
from core.dossier import collect
from core.i18n import Translator
from core.pdf import DocInfo, build_pdf, para, styles
from core.pdf.dossier import dossier_pdf
from core.services import build_services


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
        )
    ]
