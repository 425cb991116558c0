"""Organisations, KM officers, attaching and detaching communities, and sharing by the coordinator's choice."""

from __future__ import annotations

import email
import email.policy
from datetime import date, timedelta

import pytest

from core.config import Settings
from core.errors import NotFound, PermissionDenied, ValidationError
from core.i18n import Translator
from core.organisations import org_scope
from core.portfolio import NOT_SHARED, KompasSummary, Labels, PlanSummary, heat, select, table
from core.services import build_services

PASSWORD = 'a good long password'


@pytest.fixture
async def world(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    coordinator = await services.accounts.sign_up('Coco Ordinator', 'coco@b.be', PASSWORD)
    officer = await services.accounts.sign_up('Kim Officer', 'kim@b.be', PASSWORD)
    outsider = await services.accounts.sign_up('Otto Outsider', 'otto@b.be', PASSWORD)
    community = await services.communities.create(coordinator.id, {'name': 'CoP Fiscaliteit', 'purpose': 'Samen.'})
    org = await services.organisations.create(officer.id, 'FOD Financiën')
    return services, coordinator.id, officer.id, outsider.id, community.id, org.id


async def attach(services, coordinator, officer, cid, org_id, shared=()):
    token, _ = await services.organisations.invite(officer, org_id, 'attach')
    return await services.organisations.accept_attach(coordinator, token, cid, list(shared))


async def test_officer_invitation_by_link_makes_a_km_officer_once(world):
    services, coordinator, officer, outsider, cid, org_id = world
    orgs = services.organisations
    with pytest.raises(NotFound):
        await orgs.invite(outsider, org_id, 'officer')  # only officers invite
    token, invitation = await orgs.invite(officer, org_id, 'officer')
    assert invitation.org_name == 'FOD Financiën' and invitation.kind == 'officer'
    assert not orgs.is_officer(outsider, org_id)
    await orgs.accept_officer(outsider, token)
    assert orgs.is_officer(outsider, org_id)
    assert [o.name for o in orgs.of_officer(outsider)] == ['FOD Financiën']
    with pytest.raises(ValidationError) as info:
        await orgs.accept_officer(coordinator, token)
    assert info.value.key == 'org.error.invite_used'


async def test_forged_organisation_ids_and_invitations_get_a_clear_message(world):
    services, coordinator, officer, outsider, cid, org_id = world
    orgs = services.organisations
    for forged in ('0' * 16, 'x', None, 42, org_id + 'a', '../../etc'):
        with pytest.raises(NotFound) as info:
            orgs.get(forged)
        assert info.value.key == 'org.error.unknown'
        with pytest.raises(NotFound):
            services.portfolio.rows(officer, forged)
    for forged in ('', 'nope', None, ['x'], 'A' * 500):
        with pytest.raises(NotFound) as info:
            orgs.invitation(forged)
        assert info.value.key == 'org.error.invite_unknown'
    with pytest.raises(NotFound) as info:
        await orgs.ask(coordinator, cid, 'f' * 16)
    assert info.value.key == 'org.error.unknown'
    officer_token, _ = await orgs.invite(officer, org_id, 'officer')
    with pytest.raises(ValidationError) as info:  # an officer's link cannot attach a community
        await orgs.accept_attach(coordinator, officer_token, cid)
    assert info.value.key == 'org.error.invite_kind'


async def test_attach_by_invitation_needs_the_coordinator_and_at_most_one_organisation(world):
    services, coordinator, officer, outsider, cid, org_id = world
    orgs = services.organisations
    token, _ = await orgs.invite(officer, org_id, 'attach')
    with pytest.raises(NotFound):  # not a member of the community
        await orgs.accept_attach(outsider, token, cid)
    link = await orgs.accept_attach(coordinator, token, cid, ['kompas'])
    assert link.status == 'attached' and link.shared == {'kompas'}
    other = await orgs.create(outsider, 'FOD BOSA')
    with pytest.raises(ValidationError) as info:
        await attach(services, coordinator, outsider, cid, other.id)
    assert info.value.key == 'org.error.already_attached' and info.value.params['name'] == 'FOD Financiën'
    with pytest.raises(ValidationError):
        await orgs.ask(coordinator, cid, other.id)
    assert orgs.link(cid).org_id == org_id


async def test_the_coordinator_asks_and_an_officer_decides(world):
    services, coordinator, officer, outsider, cid, org_id = world
    orgs = services.organisations
    with pytest.raises(PermissionDenied):
        co = await services.accounts.sign_up('Co Co', 'coco2@b.be', PASSWORD)
        token, _ = await services.communities.invite(coordinator, cid, 'co_coordinator')
        await services.communities.accept(co.id, token)
        await orgs.ask(co.id, cid, org_id)  # only the coordinator decides for the community
    await orgs.ask(coordinator, cid, org_id, ['plan'])
    assert services.portfolio.rows(officer, org_id) == []  # asked is not attached
    assert [r.community_id for r in orgs.requests(officer, org_id)] == [cid]
    with pytest.raises(NotFound):
        orgs.requests(outsider, org_id)
    with pytest.raises(NotFound):
        await orgs.decide(officer, org_id, 'f' * 16, True)
    await orgs.decide(officer, org_id, cid, True)
    assert [r.community_id for r in services.portfolio.rows(officer, org_id)] == [cid]


async def test_nothing_but_the_always_shown_facts_without_a_choice_and_the_words_say_so(world):
    services, coordinator, officer, outsider, cid, org_id = world
    await services.plan.add(coordinator, cid, {'title': 'Secret plan', 'status': 'doing'})
    await services.plan.save_plan(coordinator, cid, {'next_review': '2020-01-01'})
    await attach(services, coordinator, officer, cid, org_id)
    (row,) = services.portfolio.rows(officer, org_id)
    assert (row.name, row.purpose, row.stage) == ('CoP Fiscaliteit', 'Samen.', 'potential')
    assert row.coordinators == ('Coco Ordinator',)
    for part in ('kompas', 'survey', 'plan', 'ittools', 'kickoff', 'stories'):
        assert getattr(row, part) is NOT_SHARED
    assert 'review_overdue' not in row.flags and 'no_survey' not in row.flags  # no hint at the hidden parts
    t = Translator(services.content.ui, 'en')
    labels = Labels(t, lambda s: s, lambda d: d)
    header, cells = table([row], labels)
    hidden = [cells[header.index(t(f'portfolio.col.{c}'))] for c in ('kompas', 'plan_open', 'next_review')]
    assert hidden == [t('portfolio.not_shared')] * 3
    assert 'Secret' not in repr(row) and '2020-01-01' not in repr(row)


async def test_sharing_a_part_shows_it_and_unsharing_hides_it_at_once(world):
    services, coordinator, officer, outsider, cid, org_id = world
    await services.plan.add(coordinator, cid, {'title': 'Late', 'due': '2021-01-01'})
    await services.plan.add(coordinator, cid, {'title': 'Done', 'status': 'done'})
    await services.plan.save_plan(coordinator, cid, {'next_review': '2021-02-01'})
    await attach(services, coordinator, officer, cid, org_id)
    with pytest.raises(NotFound):
        await services.organisations.set_shared(officer, cid, ['plan'])  # the officer cannot widen it
    with pytest.raises(ValidationError):
        await services.organisations.set_shared(coordinator, cid, ['plan', 'raw_answers'])
    await services.organisations.set_shared(coordinator, cid, ['plan'])
    (row,) = services.portfolio.rows(officer, org_id)
    assert row.plan == PlanSummary(1, 1, 1, '2021-02-01', row.plan.actions)
    assert 'review_overdue' in row.flags
    assert services.portfolio.preview(coordinator, cid) == row  # the coordinator sees what the organisation sees
    await services.organisations.set_shared(coordinator, cid, [])
    (row,) = services.portfolio.rows(officer, org_id)
    assert row.plan is NOT_SHARED and 'review_overdue' not in row.flags


async def test_only_officers_of_that_organisation_reach_a_community_and_only_while_attached(world):
    services, coordinator, officer, outsider, cid, org_id = world
    other = await services.communities.create(coordinator, {'name': 'Niet gedeeld'})
    await attach(services, coordinator, officer, cid, org_id, ['plan'])
    assert services.portfolio.row(officer, org_id, cid).name == 'CoP Fiscaliteit'
    for who, which in ((outsider, cid), (officer, other.id), (officer, 'f' * 16), (officer, None)):
        with pytest.raises(NotFound):
            services.portfolio.row(who, org_id, which)
    with pytest.raises(NotFound):
        services.portfolio.rows(outsider, org_id)
    with pytest.raises(NotFound):  # an officer has no role in the community itself: its pages stay closed
        services.communities.get(officer, cid)
    await services.organisations.detach(officer, cid, org_id)
    assert services.portfolio.rows(officer, org_id) == []
    with pytest.raises(NotFound):
        services.portfolio.row(officer, org_id, cid)


async def test_detach_by_the_coordinator_leaves_the_portfolio_at_once_and_tells_open_pages(world):
    services, coordinator, officer, outsider, cid, org_id = world
    heard = []
    services.changes.subscribe(org_scope(org_id), lambda change: heard.append((change.cid, change.topic)))
    await attach(services, coordinator, officer, cid, org_id, ['kompas'])
    assert len(services.portfolio.rows(officer, org_id)) == 1
    with pytest.raises(NotFound):
        await services.organisations.detach(outsider, cid)
    await services.organisations.detach(coordinator, cid)
    assert services.portfolio.rows(officer, org_id) == []
    assert heard == [(org_scope(org_id), 'sharing')] * 2  # attached, detached
    with pytest.raises(NotFound):
        await services.organisations.detach(coordinator, cid)


async def test_flags_alone_inactive_and_survey_never_run(world):
    services, coordinator, officer, outsider, cid, org_id = world
    await attach(services, coordinator, officer, cid, org_id, ['survey'])
    (row,) = services.portfolio.rows(officer, org_id)
    assert 'alone' in row.flags and 'no_survey' in row.flags and 'inactive' not in row.flags
    later = date.today() + timedelta(days=120)
    (row,) = services.portfolio.rows(officer, org_id, today=later)
    assert 'inactive' in row.flags and row.age_days >= 119
    co = await services.accounts.sign_up('Co Co', 'co@b.be', PASSWORD)
    token, _ = await services.communities.invite(coordinator, cid, 'co_coordinator')
    await services.communities.accept(co.id, token)
    await services.surveys.create(coordinator, cid, title='Ronde', threshold=5, open_now=True)
    (row,) = services.portfolio.rows(officer, org_id)
    assert 'alone' not in row.flags and 'no_survey' not in row.flags
    assert row.survey.answers is None  # a round ran, nothing released: no number, no score


async def test_kompas_trend_weakest_and_a_fallen_dimension(world):
    services, coordinator, officer, outsider, cid, org_id = world
    kompas = services.kompas
    for value in (4, 2):
        sheet = await kompas.start(coordinator, cid)
        for dimension in kompas.instrument.dimensions:
            v = value if dimension.id == 'value' else 3
            for item in dimension.items:
                await kompas.answer(coordinator, cid, sheet.id, item.id, v)
        await kompas.finish(coordinator, cid, sheet.id)
    await attach(services, coordinator, officer, cid, org_id, ['kompas'])
    (row,) = services.portfolio.rows(officer, org_id)
    assert isinstance(row.kompas, KompasSummary)
    assert row.kompas.weakest == 'value' and row.kompas.fell == ('value',)
    assert row.kompas.trend < 0 and 'kompas_fell' in row.flags


async def test_heat_map_mean_only_from_five_communities_sharing_their_kompas(world):
    services, coordinator, officer, outsider, cid, org_id = world
    kompas = services.kompas
    ids = [cid]
    for i in range(4):
        ids.append((await services.communities.create(coordinator, {'name': f'CoP {i}'})).id)
    for n, community in enumerate(ids):
        sheet = await kompas.start(coordinator, community)
        for dimension in kompas.instrument.dimensions:
            for item in dimension.items:
                await kompas.answer(coordinator, community, sheet.id, item.id, 1 + n % 5)
        await kompas.finish(coordinator, community, sheet.id)
    dims = tuple(d.id for d in kompas.instrument.dimensions)
    for community in ids[:4]:
        await attach(services, coordinator, officer, community, org_id, ['kompas'])
    await attach(services, coordinator, officer, ids[4], org_id, [])
    rows = services.portfolio.rows(officer, org_id)
    shown = heat(rows, dims)
    assert shown.sharing == 4 and shown.means is None and len(shown.rows) == 4
    await services.organisations.set_shared(coordinator, ids[4], ['kompas'])
    shown = heat(services.portfolio.rows(officer, org_id), dims)
    assert shown.sharing == 5 and shown.means[0] == pytest.approx(3.0)


async def test_select_searches_filters_and_sorts(world):
    services, coordinator, officer, outsider, cid, org_id = world
    second = await services.communities.create(coordinator, {'name': 'Alfa data', 'stage': 'maturing'})
    for community in (cid, second.id):
        await attach(services, coordinator, officer, community, org_id, ['survey'])
    rows = services.portfolio.rows(officer, org_id)
    assert [r.name for r in select(rows)] == ['Alfa data', 'CoP Fiscaliteit']
    assert [r.name for r in select(rows, query='fisc')] == ['CoP Fiscaliteit']
    assert [r.name for r in select(rows, query='coco')] == ['Alfa data', 'CoP Fiscaliteit']  # coordinator's name
    assert [r.name for r in select(rows, stage='maturing')] == ['Alfa data']
    assert len(select(rows, flag='no_survey')) == 2
    assert [r.name for r in select(rows, sort='stage')] == ['CoP Fiscaliteit', 'Alfa data']


async def test_deleting_a_community_or_erasing_an_officer_leaves_nothing_behind(world):
    services, coordinator, officer, outsider, cid, org_id = world
    await attach(services, coordinator, officer, cid, org_id, ['kompas'])
    await services.communities.delete(coordinator, cid)
    assert services.portfolio.rows(officer, org_id) == []
    assert services.organisations.link(cid) is None
    user = services.accounts.get(officer)
    await services.privacy.erase(user)
    assert not services.organisations.is_officer(officer, org_id)


async def test_an_invitation_by_mail_carries_a_working_link_in_the_chosen_language(world):
    services, coordinator, officer, outsider, cid, org_id = world
    orgs = services.organisations
    with pytest.raises(ValidationError) as info:
        await orgs.mail_invitation(officer, org_id, 'officer', 'not an address', 'nl', 'http://x', services.mailer,
                                   services.content.ui)  # fmt: skip
    assert info.value.field == 'email'
    with pytest.raises(NotFound):  # only officers invite
        await orgs.mail_invitation(outsider, org_id, 'officer', 'a@b.be', 'nl', 'http://x', services.mailer,
                                   services.content.ui)  # fmt: skip
    mail_id = await orgs.mail_invitation(
        officer, org_id, 'attach', 'Coco@B.be', 'fr', 'https://cop.example', services.mailer, services.content.ui
    )
    assert services.mailer.wait_idle()
    assert services.mailer.status(mail_id).state == 'sent'
    (path,) = (services.settings.data_dir / 'outbox').glob('*.eml')
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message['To'] == 'coco@b.be' and 'FOD Financiën' in message['Subject']
    body = message.get_body(('plain',)).get_content()
    token = body.split('https://cop.example/org/join/')[1].split()[0]
    link = await orgs.accept_attach(coordinator, token, cid, ['kompas'])
    assert link.org_id == org_id


async def test_an_officers_data_download_names_their_organisations(world):
    services, coordinator, officer, outsider, cid, org_id = world
    data = services.privacy.my_data(officer)
    assert [o['organisation'] for o in data['organisations']] == ['FOD Financiën']
    assert services.privacy.my_data(outsider)['organisations'] == []


async def test_the_board_report_and_the_table_carry_nothing_that_was_not_shared_in_any_language(world):
    import io

    from pypdf import PdfReader

    from core.pdf.board import Progress, board_pdf
    from core.portfolio import labels_for
    from core.survey_results import to_csv

    services, coordinator, officer, outsider, cid, org_id = world
    await services.plan.add(coordinator, cid, {'title': 'Geheime actie Zeta', 'status': 'doing'})
    link = await services.stories.open_link(coordinator, cid)
    _, story = await services.stories.submit(cid, link, {'happened': 'Verborgen verhaal', 'gave': 'x'}, 'Mira Janssens')
    await services.stories.set_status(coordinator, cid, story.id, 'published')
    await attach(services, coordinator, officer, cid, org_id, [])
    rows = services.portfolio.rows(officer, org_id)
    dims = tuple(d.id for d in services.kompas.instrument.dimensions)
    for lang in ('nl', 'fr', 'en', 'de'):
        t = Translator(services.content.ui, lang)
        labels = labels_for(t, services.content, services.kompas.instrument)
        progress = Progress()
        pdf = board_pdf('FOD Financiën', rows, dims, labels, progress)
        text = ' '.join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        csv = to_csv(table(rows, labels)).decode('utf-8-sig')
        for secret in ('Zeta', 'Verborgen', 'Mira'):
            assert secret not in text and secret not in csv
        assert 'CoP Fiscaliteit' in text and progress.value == 1.0
        assert t('portfolio.not_shared') in csv
