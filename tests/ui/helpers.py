"""Steps that many UI tests share, done the way a user does them.

A step that ends in a navigation waits until the navigation has happened and the new page has settled, so the
test's next step acts on the new page (tests/ui/conftest.py sends each navigation to the user whose page asked).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from nicegui.testing import User

PASSWORD = 'correct horse battery'


async def settle(user: User, pages_before: int, timeout: float = 15.0) -> None:
    """Wait until `user` has navigated to a new page, then let that page finish its first updates. The timeout is
    generous: a log-in hashes a password, which on a loaded machine (three test workers on two cores) takes a while."""
    for _ in range(int(timeout / 0.05)):
        if len(user.back_history) > pages_before:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError(f'no navigation happened; still on {user.back_history[-1:]}')
    await asyncio.sleep(0.3)


async def sign_up(
    user: User,
    name: str = 'Anna Peeters',
    email: str = 'anna@example.be',
    password: str = PASSWORD,
    next_path: str | None = None,
) -> None:
    """Sign up, confirm the address with the link from the mail, and log in: the user lands on `next_path` (the new
    community form by default), as after a sign-up."""
    await user.open('/signup' + (f'?next={next_path}' if next_path else ''))
    user.find(marker='signup-name').type(name)
    user.find(marker='signup-email').type(email)
    user.find(marker='signup-password').type(password)
    user.find(marker='signup-submit').click()
    await user.should_see(marker='mailbox-notice', retries=30)
    await confirm_and_log_in(user, email, password)


async def mailed_link(to: str, part: str, timeout: float = 10.0) -> str:
    """The path of the newest link containing `part` in a mail to `to` (read from the outbox, as a developer would)."""
    import email
    import email.policy
    import re

    from nicegui import app

    mailer = app.state.services.mailer
    for _ in range(int(timeout / 0.05)):
        await asyncio.to_thread(mailer.wait_idle, 2.0)
        paths = sorted(mailer.outbox.glob('*.eml'), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for path in paths if mailer.outbox.is_dir() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message['To'] != to:
                continue
            for link in re.findall(r'https?://[^\s<>"]+', message.get_body(('plain',)).get_content()):
                if part in link:
                    return urlsplit(link).path
        await asyncio.sleep(0.05)
    raise AssertionError(f'no mail with a {part} link')


async def confirm_and_log_in(user: User, email: str, password: str = PASSWORD) -> None:
    """Follow the confirmation link of the newest mail to `email`, then log in from the page it shows."""
    await user.open(await mailed_link(email, '/signup/confirm/'))
    user.find(marker='confirm-submit').click()
    await user.should_see(marker='confirm-done', retries=30)
    link = user.find(marker='confirm-login').elements.pop()
    await log_in(user, email, password, path=link.props['href'])


async def log_out(user: User) -> None:
    before = len(user.back_history)
    user.find(marker='user-menu').click()
    user.find(marker='menu-logout').click()
    await settle(user, before)


async def log_in(
    user: User, email: str, password: str = PASSWORD, path: str = '/login', expect_success: bool = True
) -> None:
    await user.open(path)
    user.find(marker='login-email').type(email)
    user.find(marker='login-password').type(password)
    before = len(user.back_history)
    user.find(marker='login-submit').click()  # its navigation comes to `user` (tests/ui/conftest.py)
    if expect_success:
        await settle(user, before)


async def create_community(user: User, name: str = 'CoP Data', purpose: str = 'Beter werken met data.') -> str:
    """Create a community through the form; returns its id (read from the page the user lands on)."""
    await user.open('/c/new')
    user.find(marker='field-name').type(name)
    user.find(marker='field-purpose').type(purpose)
    before = len(user.back_history)
    user.find(marker='create-community').click()
    await settle(user, before)
    await user.should_see(marker='community-summary')
    return current_community(user)


def current_community(user: User) -> str:
    path = user.back_history[-1]
    assert path.startswith('/c/'), path
    return path.split('/')[2]
