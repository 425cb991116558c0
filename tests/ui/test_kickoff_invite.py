"""Inviting the kick-off's participants from the scenario editor: a missing date is said, then the mails go out with
their .ics and the counts follow."""

from __future__ import annotations

import email
import email.policy

from nicegui import app
from nicegui.testing import User

from .helpers import create_community, sign_up


async def test_invite_the_participants_from_the_editor(user: User):
    await sign_up(user, 'Sofie Janssens', 'sofie@example.be')
    cid = await create_community(user, 'CoP Data')
    services = app.state.services
    owner = services.accounts.by_email('sofie@example.be').id
    scenario = await services.kickoff.create(owner, cid, title='Kick-off', lang='nl', template_id='kickoff_90')
    await user.open(f'/c/{cid}/kickoff/{scenario.id}')
    await user.should_see(marker='kickoff-invite-addresses')
    user.find(marker='kickoff-invite-addresses').type('an@example.be\nbart@example.be')
    user.find(marker='kickoff-invite-send').click()
    await user.should_see('Kies eerst een datum voor de bijeenkomst.')

    await services.kickoff.update(owner, cid, scenario.id, {'date': '2026-10-06'})
    user.find(marker='kickoff-invite-send').click()
    await user.should_see('2 uitnodigingen klaargezet om te versturen.')
    await user.should_see('E-mails: 2 verstuurd', retries=40)
    services.mailer.wait_idle()
    mails = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in services.mailer.outbox.glob('*.eml')
    ]
    invitations = [m for m in mails if m['To'] in ('an@example.be', 'bart@example.be')]
    assert len(invitations) == 2
    assert all(any(a.get_filename() == 'invite.ics' for a in m.iter_attachments()) for m in invitations)
