"""Survey invitations by mail, through a real SMTP server, thinking as a coordinator who wants to unmask a member:
each address gets its own link; a reminder goes only to unused links, takes no address and reports nothing; the
coordinator sees counts only; the address list is in no export and no archive, and is erased with the round's mails
when the round closes (or its closing day passes); the invitation text is editable per language."""

from __future__ import annotations

import stat
import time

import pytest

from core import backup
from core.config import Settings
from core.errors import PermissionDenied, ValidationError
from core.mail import Mailer, parse_smtp_url
from core.services import build_services
from core.survey_invites import REMIND_EVERY, SurveyInvitations, parse_addresses

PASSWORD = 'a good long password'
BASE = 'https://cop.example.be'
PEOPLE = ['an.peeters@fod.example.be', 'Bart.Claes@fod.example.be', 'chloe@spf.example.be', 'dirk@example.be']


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def world(tmp_path, smtp_server):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    services.mailer.close()
    services.mailer = Mailer(tmp_path / 'data' / 'outbox', relay=parse_smtp_url(smtp_server.url))
    clock = Clock()
    invites = SurveyInvitations(services.communities, services.surveys, services.mailer, services.content.ui, clock)
    owner = await services.accounts.sign_up('Owner', 'owner@b.be', PASSWORD)
    member = await services.accounts.sign_up('Member', 'member@b.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP Data', 'expected_members': 20})
    token, _ = await services.communities.invite(owner.id, community.id, 'coach')
    await services.communities.accept(member.id, token)
    survey_round = await services.surveys.create(owner.id, community.id, open_now=True)
    yield services, invites, clock, owner.id, member.id, community.id, survey_round
    services.mailer.close()


def code_of(received) -> str:
    [link] = [link for link in received.links() if '/p/' in link]
    return link.rsplit('/p/', 1)[1]


async def answer(services, cid, survey_round, code):
    instrument = services.surveys.instrument_of(survey_round)
    answers = {item.id: 4 for item in instrument.items if item.type == 'scale'}
    ticket = services.surveys.ticket(cid, survey_round.token)
    return await services.surveys.submit(cid, survey_round.token, ticket, answers, code=code)


def test_addresses_are_read_from_pasted_text_and_csv_cells():
    found, invalid = parse_addresses(
        'name;email\nAn Peeters;an@example.be\n"Bart, Claes";<BART@example.be>\nchloe@example.be, an@example.be\nx@y'
    )
    assert found == ['an@example.be', 'bart@example.be', 'chloe@example.be'] and invalid == ['x@y']


async def test_each_address_gets_its_own_link_in_its_language_and_the_coordinator_sees_counts_only(world, smtp_server):
    services, invites, _, owner, _, cid, survey_round = world
    added = await invites.invite(owner, cid, survey_round.id, '\n'.join(PEOPLE) + '\nnot-an@address', 'fr', BASE)
    assert (added.invited, added.already, added.invalid) == (4, 0, ['not-an@address'])
    again = await invites.invite(owner, cid, survey_round.id, PEOPLE[0], 'fr', BASE)
    assert (again.invited, again.already) == (0, 1)
    mails = smtp_server.wait_for(4)
    codes = {m.rcpt_tos[0]: code_of(m) for m in mails}
    assert set(codes) == {p.lower() for p in PEOPLE} and len(set(codes.values())) == 4
    assert all(m.message['Content-Language'] == 'fr-BE' and 'CoP Data' in m.message['Subject'] for m in mails)
    assert all(f'{BASE}/s/{cid}/p/' in m.text and 'href=' in m.html for m in mails)
    assert all(services.surveys.by_code(cid, c) == (survey_round, False) for c in codes.values())
    services.mailer.wait_idle()
    overview = invites.overview(owner, cid, survey_round.id)
    assert (overview.invited, overview.sent, overview.failed) == (4, 4, 0)
    # the list is in its own owner-only file: not in the community's file, not in an export, not in an archive
    path = services.settings.data_dir / 'survey-invites' / f'{cid}.json'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    community_file = (services.settings.data_dir / 'communities' / f'{cid}.json').read_text()
    assert not any(p.lower() in community_file or c in community_file for p, c in codes.items())
    exported = services.communities.export(owner, cid).decode()
    assert not any(p.lower() in exported for p in PEOPLE)
    assert {'survey-invites', 'mail-queue'} <= backup.EXCLUDED_TOP


async def test_a_reminder_goes_to_unused_links_only_says_nothing_and_cannot_probe(world, smtp_server):
    services, invites, clock, owner, member, cid, survey_round = world
    await invites.invite(owner, cid, survey_round.id, '\n'.join(PEOPLE), 'nl', BASE)
    codes = {m.rcpt_tos[0]: code_of(m) for m in smtp_server.wait_for(4)}
    await answer(services, cid, survey_round, codes['chloe@spf.example.be'])
    services.mailer.wait_idle()
    before = invites.overview(owner, cid, survey_round.id)

    assert await invites.remind(owner, cid, survey_round.id, BASE) is None  # no count, no names
    reminders = smtp_server.wait_for(7)[4:]
    assert sorted(m.rcpt_tos[0] for m in reminders) == sorted(a for a in codes if a != 'chloe@spf.example.be')
    assert all('Herinnering' in m.message['Subject'] and code_of(m) == codes[m.rcpt_tos[0]] for m in reminders)
    services.mailer.wait_idle()
    after = invites.overview(owner, cid, survey_round.id)
    assert (after.invited, after.sent, after.waiting, after.failed) == (
        before.invited,
        before.sent,
        0,
        0,
    )  # not counted

    with pytest.raises(ValidationError) as wait:  # no second reminder the same day: no probing one at a time
        await invites.remind(owner, cid, survey_round.id, BASE)
    assert wait.value.key == 'survey.invite.error.remind_wait' and wait.value.params['hours'] == 24
    clock.now += REMIND_EVERY + 1
    await invites.remind(owner, cid, survey_round.id, BASE)
    assert len(smtp_server.wait_for(10)) == 10
    with pytest.raises(PermissionDenied):  # a member cannot invite, remind or look
        await invites.remind(member, cid, survey_round.id, BASE)
    with pytest.raises(PermissionDenied):
        invites.overview(member, cid, survey_round.id)


async def test_closing_the_round_erases_the_list_and_every_copy_of_its_mails(world, tmp_path):
    services, invites, _, owner, _, cid, survey_round = world
    services.mailer.relay = None  # no relay: the mails stay readable in the outbox, until the round closes
    await invites.invite(owner, cid, survey_round.id, '\n'.join(PEOPLE), 'en', BASE)
    services.mailer.wait_idle()
    outbox = services.settings.data_dir / 'outbox'
    assert len(list(outbox.glob('*.eml'))) == 4
    await services.surveys.set_status(owner, cid, survey_round.id, 'closed')
    assert not (services.settings.data_dir / 'survey-invites' / f'{cid}.json').exists()
    assert not list(outbox.glob('*.eml'))
    assert not list((services.settings.data_dir / 'mail-queue').glob('*'))
    assert invites.overview(owner, cid, survey_round.id).invited == 0
    with pytest.raises(ValidationError) as closed:
        await invites.invite(owner, cid, survey_round.id, PEOPLE[0], 'en', BASE)
    assert closed.value.key == 'survey.invite.error.not_open'


async def test_a_round_past_its_closing_day_is_erased_by_the_daily_pass(world, smtp_server):
    services, invites, _, owner, _, cid, survey_round = world
    await invites.invite(owner, cid, survey_round.id, PEOPLE[0], 'nl', BASE)
    assert await invites.sweep() == 0
    rounds = services.store.community(cid).table('survey_rounds')
    rounds.update({'closes': '2001-01-01'})
    assert await invites.sweep() == 1
    assert not (services.settings.data_dir / 'survey-invites' / f'{cid}.json').exists()


async def test_the_invitation_text_is_editable_per_language(world, smtp_server):
    services, invites, _, owner, _, cid, survey_round = world
    assert '{link}' in invites.text(owner, cid, survey_round.id, 'de')  # the default, in German
    await invites.set_text(owner, cid, survey_round.id, 'nl', 'Beste collega,\n\nKlik op {link} <b>nu</b>.')
    with pytest.raises(ValidationError):
        await invites.set_text(owner, cid, survey_round.id, 'nl', '   ')
    with pytest.raises(ValidationError):
        await invites.set_text(owner, cid, survey_round.id, 'xx', 'tekst')
    await invites.invite(owner, cid, survey_round.id, PEOPLE[0], 'nl', BASE)
    [mail] = smtp_server.wait_for(1)
    assert mail.text.replace('\r\n', '\n').startswith(f'Beste collega,\n\nKlik op {BASE}/s/{cid}/p/')
    assert '&lt;b&gt;nu&lt;/b&gt;' in mail.html and '<b>nu</b>' not in mail.html


async def test_open_link_rounds_and_draft_rounds_take_no_invitations(world):
    services, invites, _, owner, _, cid, _ = world
    open_link = await services.surveys.create(owner, cid, mode='open', open_now=True, threshold=8)
    draft = await services.surveys.create(owner, cid)
    for survey_round, key in ((open_link, 'survey.error.not_personal'), (draft, 'survey.invite.error.not_open')):
        with pytest.raises(ValidationError) as refused:
            await invites.invite(owner, cid, survey_round.id, PEOPLE[0], 'nl', BASE)
        assert refused.value.key == key
    with pytest.raises(ValidationError):
        await invites.invite(owner, cid, open_link.id, '', 'nl', BASE)
    assert invites._read(cid) == {}
