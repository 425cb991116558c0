"""Server-side sessions: new token per login, the old one dropped, ended by logout, a password change, an account
deletion or age; persisted across a restart; nothing usable stored in the clear."""

from __future__ import annotations

import pytest

from core.accounts import Accounts
from core.sessions import ABSOLUTE_SECONDS, IDLE_SECONDS, TICKET_SECONDS, Sessions, token_key
from core.store import BackupPolicy, Store

PASSWORD = 'a good long password'


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path, BackupPolicy(min_interval=0))


@pytest.fixture
def accounts(store):
    return Accounts(store.accounts)


@pytest.fixture
def sessions(store, accounts, clock):
    return Sessions(store.accounts, accounts, clock=clock)


async def test_a_login_issues_a_new_token_and_drops_the_one_before(sessions, accounts):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    first = await sessions.start(user)
    assert sessions.user_for(first).id == user.id
    second = await sessions.start(user, replacing=first)
    assert second != first
    assert sessions.user_for(first) is None  # the token the browser held before the login is dead
    assert sessions.user_for(second).id == user.id


async def test_only_a_hash_of_the_token_is_stored(sessions, accounts, store):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    token = await sessions.start(user)
    raw = (store.data_dir / 'accounts.json').read_text()
    assert token not in raw and token_key(token) in raw


async def test_sessions_survive_a_restart(sessions, accounts, store, tmp_path, clock):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    token = await sessions.start(user)
    store.flush_all()
    again = Store(tmp_path, BackupPolicy(min_interval=0))
    restarted = Sessions(again.accounts, Accounts(again.accounts), clock=clock)
    assert restarted.user_for(token).id == user.id


async def test_tickets_work_once_in_their_own_browser_and_briefly(sessions, accounts, clock):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    ticket = sessions.ticket(user, '/account', 'browser-1')
    assert sessions.redeem(ticket, 'browser-2') is None  # a ticket that leaked is useless in another browser
    ticket = sessions.ticket(user, '/account', 'browser-1')
    found = sessions.redeem(ticket, 'browser-1')
    assert (found.user_id, found.target) == (user.id, '/account')
    assert sessions.redeem(ticket, 'browser-1') is None  # once
    late = sessions.ticket(user, '/', 'browser-1')
    clock.now += TICKET_SECONDS + 1
    assert sessions.redeem(late, 'browser-1') is None
    stale = sessions.ticket(user, '/', 'browser-1')
    await accounts.change_password(user.id, PASSWORD, 'another long password')
    assert sessions.redeem(stale, 'browser-1') is None  # made with the old password


async def test_logout_ends_the_session_and_tells_the_listeners(sessions, accounts):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    token, other = await sessions.start(user), await sessions.start(user)
    ended = []
    sessions.on_end(ended.append)
    await sessions.end(token)
    assert sessions.user_for(token) is None and sessions.user_for(other) is not None
    assert ended == [{token_key(token)}]


async def test_a_password_change_ends_every_session_of_the_account(sessions, accounts):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    stranger = await accounts.sign_up('B', 'b@b.be', PASSWORD)
    tokens = [await sessions.start(user) for _ in range(3)]
    theirs = await sessions.start(stranger)
    ended = []
    sessions.on_end(ended.append)
    await accounts.change_password(user.id, PASSWORD, 'another long password')
    assert all(sessions.user_for(t) is None for t in tokens)
    assert ended == [{token_key(t) for t in tokens}]
    assert sessions.user_for(theirs).id == stranger.id
    assert sessions.count(user.id) == 0


async def test_a_deleted_account_has_no_session(sessions, accounts, store):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    token = await sessions.start(user)
    store.accounts.table('users').remove(doc_ids=[1])
    accounts.credentials_changed(user.id)
    assert sessions.user_for(token) is None and sessions.count(user.id) == 0


async def test_end_all_keeps_only_the_named_session(sessions, accounts):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    here, there = await sessions.start(user), await sessions.start(user)
    await sessions.end_all(user.id, keep=here)
    assert sessions.user_for(here) is not None and sessions.user_for(there) is None


async def test_sessions_expire_when_idle_and_after_their_lifetime(sessions, accounts, clock):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    idle = await sessions.start(user)
    clock.now += IDLE_SECONDS + 1
    assert sessions.user_for(idle) is None
    busy = await sessions.start(user)
    for _ in range(int(ABSOLUTE_SECONDS / (IDLE_SECONDS / 2)) + 1):
        clock.now += IDLE_SECONDS / 2
        sessions.user_for(busy)  # used every week: never idle
    assert sessions.user_for(busy) is None  # but not forever


async def test_garbage_tokens_are_no_session(sessions):
    for token in (None, '', 'x' * 10_000, 12, ['a']):
        assert sessions.user_for(token) is None  # type: ignore[arg-type]


async def test_expired_sessions_are_dropped_from_the_file(sessions, accounts, clock, store):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    old = await sessions.start(user)
    clock.now += IDLE_SECONDS + 1
    await sessions.start(user)  # the next login, a day later or more, clears what has expired
    assert token_key(old) not in (store.data_dir / 'accounts.json').read_text()
    assert sessions.count(user.id) == 1
