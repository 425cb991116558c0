"""The dossier PDF never fails: 150 generated communities (tests/generators.py), every section ticked, each in Dutch
and in one other language in turn (50 communities each in French, English and German). Each PDF is read
back: pages, the language tag, and no section replaced by the "could not be laid out" notice (that notice is for
bugs, never for what users type)."""

from __future__ import annotations

import asyncio
import io
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from pypdf import PdfReader

from core.dossier import SECTIONS, collect
from core.i18n import HTML_LANG, LANGUAGES, Translator
from core.pdf.dossier import build_dossier
from tests.generators import CommunitySpec, build_community, community_specs, scratch_services


@pytest.fixture(scope='module')
def pool():
    """One set of services and one event loop for every example (each adds a community of its own), and the other
    languages in turn."""
    loop = asyncio.new_event_loop()
    with scratch_services() as services:
        yield services, loop, itertools.cycle(LANGUAGES[1:])
    loop.close()


@settings(
    max_examples=150,  # x 2 languages: 300 dossiers, so the whole suite stays within its time on two cores
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec=community_specs())
def test_every_generated_community_gets_its_full_dossier_in_every_language(pool, spec: CommunitySpec):
    services, loop, others = pool
    other = next(others)  # in turn, not drawn: Hypothesis would draw French for most examples
    built = loop.run_until_complete(build_community(services, spec))
    for lang in (LANGUAGES[0], other):
        t = Translator(services.content.ui, lang)
        made = build_dossier(collect(services, built.owner, built.cid, lang), t, SECTIONS)
        assert made.failed == [], (lang, made.failed)  # no section replaced by the notice
        reader = PdfReader(io.BytesIO(made.pdf))
        assert len(reader.pages) > 2
        assert reader.trailer['/Root']['/Lang'] == HTML_LANG[lang]
        if lang == LANGUAGES[0]:  # the text read back once (reading is a tenth of the time)
            last = ' '.join(reader.pages[-1].extract_text().split())
            assert ' '.join(t('dossier.section_failed').split()) not in last
