"""Kick-off invitations: the participants of a kick-off scenario get a mail with the agenda and a calendar invitation
(.ics, made with icalendar) that Outlook, Thunderbird and the other calendar programs open as a meeting request:
METHOD:REQUEST, a UID that stays the same for the scenario (sending again updates the meeting, with a higher
SEQUENCE), DTSTAMP, the coordinator as ORGANIZER (replies go to them, not to the robot that sends the mail), each
participant as ATTENDEE, and the times in Europe/Brussels with the zone's definition included (VTIMEZONE).

The addresses are used for these mails only: they are not stored (the mail queue forgets a mail once delivered)."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from . import clock
from .accounts import Accounts
from .agenda import format_clock
from .communities import Communities
from .errors import ValidationError
from .i18n import LANGUAGES, Catalog, Translator
from .kickoff import Kickoff
from .kickoff.model import Scenario
from .mail import Attachment, Mailer
from .mailtext import render
from .roles import Permission
from .survey_invites import parse_addresses

log = logging.getLogger(__name__)

ZONE = 'Europe/Brussels'
PRODID = '-//CoP-toolbox//kick-off//EN'
MAX_PARTICIPANTS = 300
SEQUENCE_EPOCH = datetime(2025, 1, 1, tzinfo=ZoneInfo('UTC'))


def agenda_lines(scenario: Scenario) -> list[str]:
    """'09:00-09:15  Welcome' for each block, on the scenario's clock."""
    timing = scenario.timing
    return [
        f'{format_clock(slot.start)}-{format_clock(slot.end)}  {block.title}'
        for slot, block in zip(timing.slots, scenario.blocks, strict=True)
    ]


def build_ics(
    scenario: Scenario,
    *,
    uid: str,
    sequence: int,
    organizer: tuple[str, str],
    attendees: list[str],
    summary: str,
    description: str,
) -> bytes:
    """The meeting request as an iCalendar file."""
    from icalendar import Calendar, Event, vCalAddress, vText  # loaded with the first invitation, not at start-up

    zone = ZoneInfo(ZONE)
    day = date.fromisoformat(scenario.date)
    timing = scenario.timing
    start = datetime.combine(day, datetime.min.time(), zone) + timedelta(minutes=timing.start)
    end = datetime.combine(day, datetime.min.time(), zone) + timedelta(minutes=timing.end)
    cal = Calendar()
    cal.add('prodid', PRODID)
    cal.add('version', '2.0')
    cal.add('calscale', 'GREGORIAN')
    cal.add('method', 'REQUEST')
    event = Event()
    event.add('uid', uid)
    event.add('sequence', sequence)
    event.add('dtstamp', clock.now())
    event.add('dtstart', start)
    event.add('dtend', end)
    event.add('summary', summary)
    event.add('description', description)
    if scenario.location:
        event.add('location', scenario.location)
    name, address = organizer
    who = vCalAddress(f'mailto:{address}')
    who.params['cn'] = vText(name)
    event.add('organizer', who)
    for attendee in attendees:
        guest = vCalAddress(f'mailto:{attendee}')
        guest.params.update({'role': 'REQ-PARTICIPANT', 'partstat': 'NEEDS-ACTION', 'rsvp': 'TRUE'})
        event.add('attendee', guest, encode=0)
    event.add('status', 'CONFIRMED')
    event.add('transp', 'OPAQUE')
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


class KickoffInvitations:
    def __init__(
        self, kickoff: Kickoff, communities: Communities, accounts: Accounts, mailer: Mailer, catalog: Catalog
    ) -> None:
        self.kickoff = kickoff
        self.communities = communities
        self.accounts = accounts
        self.mailer = mailer
        self.catalog = catalog

    async def send(self, actor: str, cid: str, sid: str, text: str, lang: str) -> tuple[int, list[str]]:
        """Mail each address the agenda and the meeting request; returns how many were sent and what was not read
        as an address."""
        community, _ = self.communities.get(actor, cid, Permission.EDIT)
        scenario = self.kickoff.get(actor, cid, sid)
        if lang not in LANGUAGES:
            raise ValidationError('error.invalid', 'lang')
        if not scenario.date:
            raise ValidationError('kickoff.invite.error.no_date', 'date')
        if not scenario.blocks:
            raise ValidationError('kickoff.invite.error.no_agenda')
        addresses, invalid = parse_addresses(text)
        if not addresses:
            raise ValidationError('survey.invite.error.none', 'addresses')
        if len(addresses) > MAX_PARTICIPANTS:
            raise ValidationError('survey.invite.error.too_many', 'addresses', max=MAX_PARTICIPANTS)
        coordinator = self.accounts.get(actor)
        organizer = (coordinator.name, coordinator.email) if coordinator else ('CoP-toolbox', self.mailer.sender)
        uid = f'kickoff-{cid}-{sid}@cop-toolbox'
        sequence = int((clock.now() - SEQUENCE_EPOCH).total_seconds() // 60)  # grows with each sending: an update
        for address in addresses:
            self._mail(scenario, (cid, sid, community.name), address, lang, uid, sequence, organizer)
        log.info('kick-off invitations queued')
        return len(addresses), invalid[:5]

    def counts(self, actor: str, cid: str, sid: str) -> dict[str, int]:
        self.communities.get(actor, cid, Permission.EDIT)
        return self.mailer.group_counts(f'kickoff:{cid}:{sid}')

    def _mail(
        self,
        scenario: Scenario,
        where: tuple[str, str, str],
        address: str,
        lang: str,
        uid: str,
        sequence: int,
        organizer: tuple[str, str],
    ) -> None:
        cid, sid, community = where
        t = Translator(self.catalog, lang)
        agenda = '\n'.join(agenda_lines(scenario))
        timing = scenario.timing
        params = {
            'title': scenario.title,
            'date': t.date(scenario.date),
            'start': format_clock(timing.start),
            'end': format_clock(timing.end),
            'location': scenario.location or t('kickoff.invite.no_location'),
            'organizer': organizer[0],
            'community': community,
        }
        mail = render(self.catalog, 'mail.kickoff', lang, extra=agenda, **params)
        ics = build_ics(
            scenario,
            uid=uid,
            sequence=sequence,
            organizer=organizer,
            attendees=[address],
            summary=scenario.title,
            description=f'{t("kickoff.invite.agenda")}\n{agenda}',
        )
        calendar = Attachment('invite.ics', ics, 'text', 'calendar', {'method': 'REQUEST', 'charset': 'utf-8'})
        self.mailer.submit(
            address,
            mail.subject,
            mail.text,
            mail.html,
            lang=lang,
            group=f'kickoff:{cid}:{sid}',
            alternatives=[calendar],
            attachments=[calendar],
        )
