"""The sign-up, confirmation and forgotten-password screens, as a user does them: the answer is always "check your
mailbox"; the link from the mail (read from the outbox) confirms or resets; an unconfirmed account is told why it
cannot start a community and can ask for the link again; forged links get a clear message."""

from __future__ import annotations

from nicegui import app
from nicegui.testing import User

from .helpers import PASSWORD, log_in, mailed_link, settle, sign_up


async def fill_sign_up(user: User, name: str, email: str, password: str = PASSWORD) -> None:
    await user.open('/signup')
    user.find(marker='signup-name').type(name)
    user.find(marker='signup-email').type(email)
    user.find(marker='signup-password').type(password)
    user.find(marker='signup-submit').click()


async def test_sign_up_always_says_check_your_mailbox_and_an_unconfirmed_account_is_told_why(user: User, create_user):
    await sign_up(user, 'Anna Peeters', 'anna@example.be')  # a confirmed account
    other = create_user()
    await fill_sign_up(other, 'Someone Else', 'anna@example.be', 'another long passphrase')
    await other.should_see(marker='mailbox-notice', retries=30)
    await other.should_see('anna@example.be')
    assert '/reset/' in await mailed_link('anna@example.be', '/reset/')  # the owner is told, with a reset link

    newcomer = create_user()
    await fill_sign_up(newcomer, 'Bo Janssens', 'bo@example.be')
    await newcomer.should_see(marker='mailbox-notice', retries=30)
    await log_in(newcomer, 'bo@example.be', path='/login?next=/c/new')  # may log in before confirming...
    await newcomer.should_see(marker='unconfirmed-notice')  # ...but not start a community, and is told why
    await newcomer.should_see('Bevestig eerst je e-mailadres')
    await newcomer.should_not_see(marker='create-community')
    newcomer.find(marker='resend-confirm').click()
    await newcomer.should_see('We stuurden een nieuwe link naar bo@example.be.', retries=20)
    await newcomer.open(await mailed_link('bo@example.be', '/signup/confirm/'))
    before = len(newcomer.back_history)
    newcomer.find(marker='confirm-submit').click()  # logged in already: straight on
    await settle(newcomer, before)
    await newcomer.open('/c/new')
    await newcomer.should_see(marker='create-community')


async def test_forgotten_password_by_mail_logs_in_and_ends_the_other_sessions(user: User, create_user):
    await sign_up(user, 'Els Claes', 'els@example.be')
    services = app.state.services
    els = services.accounts.by_email('els@example.be')
    assert services.sessions.count(els.id) == 1
    other = create_user()
    await other.open('/login')
    other.find(marker='to-forgot').click()
    await other.should_see(marker='forgot-email', retries=20)
    other.find(marker='forgot-email').type('els@example.be')
    other.find(marker='forgot-submit').click()
    await other.should_see(marker='mailbox-notice', retries=30)
    await other.open(await mailed_link('els@example.be', '/reset/'))
    await other.should_see('els@example.be')
    other.find(marker='reset-password').type('short')
    other.find(marker='reset-submit').click()
    await other.should_see('Het wachtwoord moet minstens 10 tekens lang zijn.')
    other.find(marker='reset-password').clear()
    other.find(marker='reset-password').type('a brand new passphrase')
    before = len(other.back_history)
    other.find(marker='reset-submit').click()
    await settle(other, before)
    await other.should_see('Je wachtwoord is gewijzigd', retries=30)
    assert services.sessions.count(els.id) == 1  # the first browser's session ended; this one started
    path = other.back_history[-1]
    await other.open(path)
    await other.should_see(marker='user-menu')


async def test_forged_and_used_links_get_a_clear_message(user: User):
    await user.open('/reset/forged-link-that-does-not-exist')
    await user.should_see(marker='link-problem')
    await user.should_see('Deze link is niet geldig')
    await user.should_see(marker='reset-again')
    await user.open('/signup/confirm/forged?lang=fr')
    await user.should_see("Ce lien n'est pas valable")

    await fill_sign_up(user, 'Lou', 'lou@example.be')
    await user.should_see(marker='mailbox-notice', retries=30)
    link = await mailed_link('lou@example.be', '/signup/confirm/')
    await user.open(link)
    user.find(marker='confirm-submit').click()
    await user.should_see(marker='confirm-done', retries=20)
    await user.open(link)
    await user.should_see('Ce lien a déjà été utilisé')  # in the language chosen above
