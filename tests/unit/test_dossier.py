"""The dossier's contents: who may appear in it, and the same texts in the PDF and on the web page."""

from __future__ import annotations

import io
import logging

import pytest
from pypdf import PdfReader
from reportlab.platypus import Flowable

from core.config import Settings
from core.demo import seed_parts
from core.dossier import (
    DEFAULT_SECTIONS,
    SECTIONS,
    action_lines,
    collect,
    community_rows,
    cover_facts,
    decision_view,
    kompas_view,
    survey_view,
)
from core.i18n import Translator
from core.pdf.dossier import build_dossier, dossier_pdf
from core.services import build_services

PASSWORD = 'a good long password'


@pytest.fixture
async def world(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    owner = await services.accounts.sign_up('Olga Owner', 'owner@b.be', PASSWORD)
    co = await services.accounts.sign_up('Cas Co', 'co@b.be', PASSWORD)
    coach = await services.accounts.sign_up('Kim Coach', 'coach@b.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP Dossier', 'purpose': 'Samen leren'})
    for account, role in ((co, 'co_coordinator'), (coach, 'coach')):
        token, _ = await services.communities.invite(owner.id, community.id, role)
        await services.communities.accept(account.id, token)
    return services, owner.id, co.id, coach.id, community.id


async def shared_profile(services, person: str, cid: str) -> None:
    profiles = services.profiles
    sheet = await profiles.start(person)
    for item in profiles.instrument.scored_items:
        await profiles.answer(person, sheet.id, item.id, 2)
    await profiles.finish(person, sheet.id)
    await profiles.share(person, sheet.id, cid, True)


def text(pdf: bytes) -> str:
    return ' '.join(' '.join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


async def test_only_the_coordinators_own_shared_profile_goes_to_the_sponsor(world):
    services, owner, co, coach, cid = world
    await shared_profile(services, co, cid)  # shared with the community's coordinators and coach only
    await shared_profile(services, coach, cid)
    t = Translator(services.content.ui, 'en')
    for reader in (owner, co, coach):
        data = collect(services, reader, cid, 'en')
        assert data.profile is None
        body = text(dossier_pdf(data, t, ['profile']))
        assert 'Cas Co' not in body and 'Kim Coach' not in body
        assert t('dossier.missing.profile') in body
    await shared_profile(services, owner, cid)
    for reader in (owner, coach):
        data = collect(services, reader, cid, 'en')
        assert data.profile is not None and data.profile.owner_id == owner
        body = text(dossier_pdf(data, t, ['profile']))
        assert t('profile.shared_by', name='Olga Owner', date=t.date(data.profile.profile.sheet.finished)) in body
        assert 'Cas Co' not in body and 'Kim Coach' not in body


async def test_the_pdf_prints_every_text_the_web_page_shows(world):
    services, owner, _, _, cid = world
    await seed_parts(services, owner, cid)
    for lang in ('nl', 'fr'):
        t = Translator(services.content.ui, lang)
        data = collect(services, owner, cid, lang)
        kompas, survey, decision = kompas_view(data, t), survey_view(data, t), decision_view(data, t)
        assert kompas and kompas.priorities and len(kompas.table.header) == 5  # two rounds: the change column
        assert survey and survey.gap and survey.gap.grid and decision and decision.ranking
        expected = [value for _, value in cover_facts(data, t)] + [kompas.note, kompas.overall, kompas.priorities]
        expected += [cell for row in kompas.table.rows for cell in row]
        expected += [title for title, _ in kompas.readings]
        expected += [survey.title, survey.count, survey.note, *survey.weak]
        expected += [cell for grid in (survey.blocks, survey.gap.grid) for row in grid.rows for cell in row]
        expected += [survey.gap.note, *survey.gap.disagreements]
        expected += [value for _, value in decision.facts] + [cell for row in decision.ranking.rows for cell in row]
        expected += [cell for row in community_rows(data, t) for cell in row]
        expected += [a.title for a in action_lines(data, t)]
        body = text(dossier_pdf(data, t))
        missing = [e for e in expected if ' '.join(e.split()) not in body]
        assert not missing, missing


async def first_journey(services, owner: str, cid: str) -> None:
    """The community of a real first-time coordinator whose full dossier failed (issue 17): a shared profile with 14
    improvement points, one kompas round, an open survey round below its threshold, an IT-tools decision on a
    matrix with 3 of 12 criteria scored, a kick-off from a template and 5 actions."""
    profiles = services.profiles
    sheet = await profiles.start(owner)
    for n, item in enumerate(profiles.instrument.scored_items):
        await profiles.answer(owner, sheet.id, item.id, 2 if n < 14 else 3)
    await profiles.finish(owner, sheet.id)
    await profiles.share(owner, sheet.id, cid, True)
    kompas = services.kompas
    sheet = await kompas.start(owner, cid)
    for n, item in enumerate(kompas.instrument.scored_items):
        await kompas.answer(owner, cid, sheet.id, item.id, 1 + n % 4)
    await kompas.finish(owner, cid, sheet.id)
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, title='Eerste bevraging', threshold=5, open_now=True)
    scored = surveys.instrument_of(survey_round).scored_items
    for code in await surveys.make_codes(owner, cid, survey_round.id, 2):  # personal links, two answered
        ticket = surveys.ticket(cid, survey_round.token)
        await surveys.submit(cid, survey_round.token, ticket, {item.id: 4 for item in scored}, code=code)
    actor = services.ittools.user_actor(services.accounts.get(owner), cid)
    comparison = await services.ittools.create(actor, cid, 'Waar gaan we wonen?', template_id='m365')
    assert len(comparison.criteria) == 12
    for criterion in comparison.criteria[:3]:
        for tool in comparison.tools:
            await services.ittools.set_score(actor, cid, comparison.id, f'{tool.id}:{criterion.id}', 1)
    await services.ittools.record_decision(actor, cid, comparison.id, 'humhub', 'Open en zelf te hosten.', '2026-11-30')
    await services.kickoff.create(owner, cid, title='Onze kick-off', lang='nl', template_id='kickoff_90')
    for n in range(5):
        await services.plan.add(owner, cid, {'title': f'Actie {n + 1}', 'owner': 'Olga', 'horizon': '30'})


@pytest.mark.parametrize('lang', ['nl', 'fr'])
async def test_a_first_time_coordinators_full_dossier_builds(world, lang):
    services, owner, _, _, cid = world
    await first_journey(services, owner, cid)
    t = Translator(services.content.ui, lang)
    data = collect(services, owner, cid, lang)
    assert data.profile is not None and len(data.profile.profile.improvements) == 14
    assert data.survey is None and data.survey_waiting is not None and data.decision is not None
    made = build_dossier(data, t, SECTIONS)
    assert made.failed == []
    body = text(made.pdf)
    assert ' '.join(t('dossier.section_failed').split()) not in body
    for section in SECTIONS:
        assert t(f'dossier.section.{section}') in body
    assert all(' '.join(t.pick(f.item.statement).split()) in body for f in data.profile.profile.improvements)
    assert 'Actie 5' in body and 'HumHub' in body


async def test_the_coordinators_profile_stays_out_unless_ticked(world):
    services, owner, _, _, cid = world
    await first_journey(services, owner, cid)
    t = Translator(services.content.ui, 'en')
    data = collect(services, owner, cid, 'en')
    assert 'profile' not in DEFAULT_SECTIONS and set(DEFAULT_SECTIONS) | {'profile'} == set(SECTIONS)
    shared_by = t('profile.shared_by', name='Olga Owner', date=t.date(data.profile.profile.sheet.finished))
    statement = ' '.join(t.pick(data.profile.profile.improvements[0].item.statement).split())
    body = text(dossier_pdf(data, t))  # the default: shared with the community, still not for the sponsor
    assert t('dossier.section.profile') not in body and shared_by not in body and statement not in body
    body = text(dossier_pdf(data, t, [*DEFAULT_SECTIONS, 'profile']))
    assert t('dossier.section.profile') in body and shared_by in body and statement in body


class Unplaceable(Flowable):
    """Taller than any page and unable to split: ReportLab cannot lay it out."""

    def wrap(self, available_width, available_height):
        return available_width, 5000

    def draw(self):
        pass


async def test_a_section_that_cannot_be_laid_out_says_so_and_the_rest_builds(world, monkeypatch, caplog):
    services, owner, _, _, cid = world
    await first_journey(services, owner, cid)
    monkeypatch.setattr('core.pdf.dossier._kompas', lambda data, t: [Unplaceable()])

    def broken(data, t):
        raise KeyError('a bug in the section')

    monkeypatch.setattr('core.pdf.dossier._ittools', broken)
    for lang in ('nl', 'fr', 'en'):
        t = Translator(services.content.ui, lang)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger='core.pdf.dossier'):
            made = build_dossier(collect(services, owner, cid, lang), t, SECTIONS)
        assert sorted(made.failed) == ['ittools', 'kompas']
        assert len(PdfReader(io.BytesIO(made.pdf)).pages) > 3
        body = text(made.pdf)
        assert body.count(' '.join(t('dossier.section_failed').split())) == 2
        assert 'Actie 5' in body and t('dossier.section.guide') in body  # the sections after them are there
        logged = [r.getMessage() for r in caplog.records]
        assert any('kompas' in m for m in logged) and any('ittools' in m for m in logged)
        assert not any('Olga' in m or 'Actie' in m or 'HumHub' in m for m in logged)  # no personal data
