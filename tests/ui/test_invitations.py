"""Invitations by mail on the members page: sent in the invitee's language, listed with the mail's status, sent again
with a new link (the old one stops working), revoked after a question; a bad address is refused at its field; a
relay that is down leaves the invitation standing with "will retry"."""

from __future__ import annotations

import asyncio
import email
import email.policy

import pytest
from nicegui import app
from nicegui.testing import User

from tests.mailserver import free_port

from .helpers import PASSWORD, create_community, log_in, mailed_link, sign_up


def outbox_mails(to: str) -> list:
    mailer = app.state.services.mailer
    mailer.wait_idle()
    found = []
    for path in sorted(mailer.outbox.glob('*.eml')):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message['To'] == to:
            found.append(message)
    return found


async def invite(user: User, address: str, lang: str = 'fr', role: str = 'co_coordinator') -> None:
    user.find(marker='invite-role').elements.pop().value = role
    user.find(marker='invite-email').type(address)
    user.find(marker='invite-lang').elements.pop().value = lang
    user.find(marker='invite-send').click()


async def test_invite_by_mail_resend_and_revoke(user: User, create_user):
    await sign_up(user, 'Owner', 'owner@example.be')
    cid = await create_community(user, 'CoP Samen')
    await user.open(f'/c/{cid}/members')
    await invite(user, 'not an address')
    await user.should_see('Dit is geen geldig e-mailadres.')
    user.find(marker='invite-email').clear()
    await invite(user, 'Kim.Coach@Example.be', 'fr')
    await user.should_see(marker='invite-pending', retries=30)
    await user.should_see('kim.coach@example.be: Co-coördinator', retries=30)
    await user.should_see('E-mail: verstuurd', retries=30)  # the status follows the mail (timer)
    [mail] = outbox_mails('kim.coach@example.be')
    assert mail['Content-Language'] == 'fr-BE' and 'Owner vous invite dans CoP Samen' == mail['Subject']
    assert 'co-coordinateur' in mail.get_body(('plain',)).get_content().lower()
    first = await mailed_link('kim.coach@example.be', '/invite/')

    user.find(marker='invite-resend').click()
    await user.should_see('De vorige link werkt niet meer', retries=20)
    await asyncio.sleep(0.2)
    assert len(outbox_mails('kim.coach@example.be')) == 2
    second = await mailed_link('kim.coach@example.be', '/invite/')
    assert second != first

    kim = create_user()
    await sign_up(kim, 'Kim Coach', 'kim.coach@example.be', next_path=first)
    await kim.should_see(marker='invite-problem')  # the first link no longer works
    await kim.open(second)
    await kim.should_see(marker='invite-accept')

    user.find(marker='invite-revoke').click()
    await user.should_see(marker='confirm-ok', retries=20)
    user.find(marker='confirm-ok').click()
    await user.should_see('Uitnodiging ingetrokken.', retries=20)
    await user.should_not_see(marker='invite-pending')
    await kim.open(second)
    await kim.should_see(marker='invite-problem')


@pytest.fixture
def relay_down(monkeypatch):
    monkeypatch.setenv('COP_SMTP_URL', f'smtp://127.0.0.1:{free_port()}')


async def test_a_relay_that_is_down_keeps_the_invitation_and_says_will_retry(relay_down, user: User):
    services = app.state.services
    await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)  # (a confirmation mail could not go out)
    await log_in(user, 'owner@example.be')
    cid = await create_community(user, 'CoP Relais')
    await user.open(f'/c/{cid}/members')
    await invite(user, 'jan@example.be', 'nl')
    await user.should_see('E-mail: nieuwe poging volgt', retries=50)
    [invitation] = services.communities.invitations(services.accounts.by_email('owner@example.be').id, cid)
    assert invitation.email == 'jan@example.be'  # the action stands
    assert 'cannot be reached' in services.mailer.status(invitation.mail_id).error
