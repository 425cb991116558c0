"""The dossier's contents: who may appear in it, and the same texts in the PDF and on the web page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from core.config import Settings
from core.demo import seed_parts
from core.dossier import action_lines, collect, community_rows, cover_facts, decision_view, kompas_view, survey_view
from core.i18n import Translator
from core.pdf.dossier import dossier_pdf
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
        assert survey and survey.gap and decision and decision.ranking
        expected = [value for _, value in cover_facts(data, t)] + [kompas.note, kompas.overall, kompas.priorities]
        expected += [cell for row in kompas.table.rows for cell in row]
        expected += [title for title, _ in kompas.readings]
        expected += [survey.title, survey.count, survey.note, *survey.weak]
        expected += [cell for grid in (survey.blocks, survey.gap[1]) for row in grid.rows for cell in row]
        expected += [value for _, value in decision.facts] + [cell for row in decision.ranking.rows for cell in row]
        expected += [cell for row in community_rows(data, t) for cell in row]
        expected += [a.title for a in action_lines(data, t)]
        body = text(dossier_pdf(data, t))
        missing = [e for e in expected if ' '.join(e.split()) not in body]
        assert not missing, missing
