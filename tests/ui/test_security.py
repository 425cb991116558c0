"""Security of the pages as a visitor meets it: open redirects, events of a page whose session ended, rate limits
that never lock out other people at the same address, one error message per problem."""

from __future__ import annotations

import asyncio
from collections import deque

from nicegui import app, ui
from nicegui.testing import User

from components import context, open_pages
from core import ratelimit

from .helpers import PASSWORD, create_community, log_in, log_out, settle, sign_up
from .test_ittools import coordinator_with_comparison, start_meeting


def services():
    return app.state.services


async def test_login_next_with_a_tab_or_newline_stays_on_the_site(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    for trick in ('/%09/example.org', '/%0a/example.org', '/%5Cexample.org', '/%252F%252Fexample.org'):
        await log_out(user)
        await log_in(user, 'anna@example.be', path=f'/login?next={trick}')
        await user.should_see(marker='new-community', retries=30)  # the start page, not another site
        assert 'example.org' not in str(user.back_history[-1])


async def test_an_event_from_a_page_whose_session_ended_changes_nothing(user: User):
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    cid = await create_community(user, 'CoP Veilig')
    await user.open(f'/c/{cid}/settings')
    client = user.client
    name = user.find(marker='field-name').elements.pop()
    save = user.find(marker='save-community').elements.pop()
    click = next(lid for lid, listener in save._event_listeners.items() if listener.type == 'click')

    uid = services().accounts.by_email('anna@example.be').id
    before = len(user.back_history)
    await services().sessions.end_all(uid)  # logged out in another browser: the page is sent to the login page
    name.value = 'Overgenomen'
    # the click, as a browser sends it that has not yet followed the page to the login page
    client.handle_event({'id': save.id, 'listener_id': click, 'args': []})
    await settle(user, before)
    await user.should_see(marker='session-ended')  # the page went to the login page, with the reason
    await asyncio.sleep(0.2)
    stored = services().store.community(cid).table('community').get(doc_id=1)
    assert stored['name'] == 'CoP Veilig'
    assert not open_pages.upload_allowed(client.id)  # its uploads are refused too


async def test_wrong_meeting_codes_from_other_browsers_at_the_same_address_do_not_refuse_a_valid_code(
    user: User, create_user
):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    attacker = create_user()
    for i in range(65):  # a fresh browser (no cookie) for every few guesses, all from the office's one address
        if i % 5 == 0:
            attacker.http_client.cookies.clear()
            await attacker.open('/m')
        attacker.find(marker='join-code').elements.pop().value = f'AAA{"ACEFHJKMNPRTWXY3479"[i % 19]}{i % 10}A'
        attacker.find(marker='join-go').click()
    colleague = create_user()
    await colleague.open('/m')
    colleague.find(marker='join-code').type(code)
    before = len(colleague.back_history)
    colleague.find(marker='join-go').click()
    await settle(colleague, before)
    await colleague.should_see(marker='join-name')


async def test_during_a_flood_new_browsers_wait_and_known_ones_go_on(user: User, create_user, monkeypatch):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    monkeypatch.setattr(ratelimit.FLOOD, '_failures', deque())
    monkeypatch.setattr(ratelimit.FLOOD, 'threshold', 3)
    now = [1_000_000.0]
    monkeypatch.setattr(context.time, 'time', lambda: now[0])
    known = create_user()
    await known.open('/m')  # this browser was here before the flood
    for _ in range(5):
        ratelimit.FLOOD.failure()
    now[0] += 120
    newcomer = create_user()
    await newcomer.open('/m?lang=en')
    newcomer.find(marker='join-code').type(code)
    newcomer.find(marker='join-go').click()
    await newcomer.should_see('New visitors wait a little')
    known.find(marker='join-code').type(code)
    before = len(known.back_history)
    known.find(marker='join-go').click()
    await settle(known, before)
    await known.should_see(marker='join-name')


async def test_a_password_error_is_shown_once(user: User):
    await user.open('/signup')
    user.find(marker='signup-name').type('Anna')
    user.find(marker='signup-email').type('anna@example.be')
    user.find(marker='signup-password').type('short')
    user.find(marker='signup-submit').click()
    await asyncio.sleep(0.3)
    field = user.find(marker='signup-password').elements.pop()
    assert field.props.get('error-message') == 'Het wachtwoord moet minstens 10 tekens lang zijn.'
    assert user.find(marker='signup-error').elements.pop().text == ''  # not repeated in the form's error line

    await sign_up(user, 'Anna', 'anna@example.be', PASSWORD)
    await user.open('/account')
    user.find(marker='pw-current').type('not my password')
    user.find(marker='pw-new').type('a brand new passphrase')
    user.find(marker='pw-change').click()
    await asyncio.sleep(0.5)
    texts = [label.text for label in user.find(kind=ui.label).elements]
    assert 'Je huidige wachtwoord klopt niet.' not in texts  # shown under the field only
    assert user.find(marker='pw-current').elements.pop().props.get('error-message') == (
        'Je huidige wachtwoord klopt niet.'
    )
