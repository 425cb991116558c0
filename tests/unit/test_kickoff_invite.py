"""Kick-off invitations through a real SMTP server: a mail in the participant's language with the agenda, and a
calendar invitation that Outlook opens (METHOD:REQUEST, UID, SEQUENCE, DTSTAMP, ORGANIZER, ATTENDEE, times in
Europe/Brussels with the zone's VTIMEZONE); a missing date or address is refused with its own message."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from core.config import Settings
from core.errors import PermissionDenied, ValidationError
from core.kickoff_invite import KickoffInvitations, agenda_lines
from core.mail import Mailer, parse_smtp_url
from core.services import build_services

PASSWORD = 'a good long password'


@pytest.fixture
async def world(tmp_path, smtp_server):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    services.mailer.close()
    services.mailer = Mailer(
        tmp_path / 'outbox', sender='noreply@cop.example.be', relay=parse_smtp_url(smtp_server.url)
    )
    invites = KickoffInvitations(
        services.kickoff, services.communities, services.accounts, services.mailer, services.content.ui
    )
    owner = await services.accounts.sign_up('Sofie Janssens', 'sofie@fod.example.be', PASSWORD)
    coach = await services.accounts.sign_up('Kim Coach', 'kim@fod.example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP Data'})
    token, _ = await services.communities.invite(owner.id, community.id, 'coach')
    await services.communities.accept(coach.id, token)
    scenario = await services.kickoff.create(
        owner.id, community.id, title='Kick-off CoP Data', lang='fr', template_id='kickoff_90', start='09:30'
    )
    scenario = await services.kickoff.update(
        owner.id, community.id, scenario.id, {'date': '2026-06-18', 'location': 'WTC III, zaal 2'}
    )
    yield services, invites, owner.id, coach.id, community.id, scenario
    services.mailer.close()


async def test_each_participant_gets_the_agenda_and_a_meeting_request_outlook_opens(world, smtp_server):
    services, invites, owner, _, cid, scenario = world
    sent, invalid = await invites.send(owner, cid, scenario.id, 'an@fod.example.be\nbart@spf.example.be; oops@', 'fr')
    assert (sent, invalid) == (2, ['oops@'])
    mails = smtp_server.wait_for(2)
    assert sorted(m.rcpt_tos[0] for m in mails) == ['an@fod.example.be', 'bart@spf.example.be']
    mail = next(m for m in mails if m.rcpt_tos == ['an@fod.example.be'])
    message = mail.message
    assert (
        message['Content-Language'] == 'fr-BE'
        and message['Subject'] == 'Invitation\u00a0: Kick-off CoP Data le 18 juin 2026'
    )
    assert message.get_content_type() == 'multipart/mixed'
    body = next(message.iter_parts())
    assert [p.get_content_type() for p in body.iter_parts()] == ['text/plain', 'text/html', 'text/calendar']
    assert body.get_payload()[2].get_param('method') == 'REQUEST'
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == 'invite.ics' and attachment.get_content_type() == 'text/calendar'
    for line in agenda_lines(scenario):
        assert line in mail.text  # the programme, on the scenario's clock
    assert 'WTC III, zaal 2' in mail.text and 'Sofie Janssens' in mail.text

    cal = Calendar.from_ical(attachment.get_payload(decode=True))
    assert str(cal['method']) == 'REQUEST' and str(cal['version']) == '2.0'
    [event] = cal.walk('VEVENT')
    [zone] = cal.walk('VTIMEZONE')
    assert str(zone['tzid']) == 'Europe/Brussels'
    start, end = event.decoded('dtstart'), event.decoded('dtend')
    brussels = ZoneInfo('Europe/Brussels')
    assert start == datetime(2026, 6, 18, 9, 30, tzinfo=brussels)  # summer time: 07:30 UTC
    assert start.utcoffset() == timedelta(hours=2)
    assert end - start == timedelta(minutes=sum(b.duration for b in scenario.blocks))
    assert event['dtstart'].params['TZID'] == 'Europe/Brussels'
    assert str(event['uid']) == f'kickoff-{cid}-{scenario.id}@cop-toolbox'
    assert event.decoded('dtstamp').tzinfo is not None
    assert str(event['organizer']) == 'mailto:sofie@fod.example.be'
    assert event['organizer'].params['CN'] == 'Sofie Janssens'
    attendee = event['attendee']
    assert str(attendee) == 'mailto:an@fod.example.be' and attendee.params['RSVP'] == 'TRUE'
    assert str(event['location']) == 'WTC III, zaal 2'
    first_sequence = int(event['sequence'])

    services.mailer.wait_idle()
    assert invites.counts(owner, cid, scenario.id)['sent'] == 2
    await invites.send(owner, cid, scenario.id, 'an@fod.example.be', 'nl')  # sent again: the same meeting, updated
    again = smtp_server.wait_for(3)[2]
    [event2] = Calendar.from_ical(next(again.message.iter_attachments()).get_payload(decode=True)).walk('VEVENT')
    assert str(event2['uid']) == str(event['uid']) and int(event2['sequence']) >= first_sequence
    assert again.message['Content-Language'] == 'nl-BE'


async def test_a_scenario_without_a_date_or_addresses_is_refused(world):
    services, invites, owner, coach, cid, scenario = world
    with pytest.raises(ValidationError) as no_one:
        await invites.send(owner, cid, scenario.id, 'nobody here', 'nl')
    assert no_one.value.key == 'survey.invite.error.none'
    undated = await services.kickoff.update(owner, cid, scenario.id, {'date': ''})
    with pytest.raises(ValidationError) as no_date:
        await invites.send(owner, cid, undated.id, 'an@example.be', 'nl')
    assert no_date.value.key == 'kickoff.invite.error.no_date'
    with pytest.raises(PermissionDenied):
        await invites.send(coach, cid, scenario.id, 'an@example.be', 'nl')
    with pytest.raises(ValidationError):
        await invites.send(owner, cid, scenario.id, 'an@example.be', 'xx')
