"""Accounts: hashing, sign-up rules, login, rate limits, password change, nothing in plain text."""

from __future__ import annotations

import asyncio
import logging

import pytest

from core.accounts import MIN_PASSWORD, Accounts, hash_password, verify_password
from core.errors import AuthError, ValidationError
from core.ratelimit import FailureLimiter
from core.store import BackupPolicy, Store

PASSWORD = 'a good long password'


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path, BackupPolicy(min_interval=0))


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def accounts(store, clock):
    async def sleep(seconds: float) -> None:  # a held attempt: the fake clock moves on
        clock.slept.append(seconds)
        clock.now += seconds

    clock.slept = []
    return Accounts(
        store.accounts,
        account_limiter=FailureLimiter(5, 900, 1, 30, clock=clock, flood=None),
        client_limiter=FailureLimiter(10, 900, 30, 900, clock=clock, flood=None),
        sleep=sleep,
    )


def test_hash_is_salted_scrypt_and_verifies():
    one, two = hash_password(PASSWORD), hash_password(PASSWORD)
    assert one.startswith('scrypt$16384$8$1$') and one != two
    assert verify_password(PASSWORD, one)
    assert not verify_password(PASSWORD + 'x', one)
    assert not verify_password(PASSWORD, 'garbage')


async def test_sign_up_validates_and_stores_no_plain_text(accounts, store, caplog):
    caplog.set_level(logging.DEBUG)
    user = await accounts.sign_up('  Anna   Peeters ', 'Anna@Example.BE ', PASSWORD, 'fr')
    assert (user.name, user.email, user.lang) == ('Anna Peeters', 'anna@example.be', 'fr')
    raw = (store.data_dir / 'accounts.json').read_text()
    assert PASSWORD not in raw and 'scrypt$' in raw
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize(
    'name, email, password, field',
    [
        ('', 'a@b.be', PASSWORD, 'name'),
        ('A', 'not-an-email', PASSWORD, 'email'),
        ('A', 'a@b.be', 'x' * (MIN_PASSWORD - 1), 'password'),
        ('A' * 101, 'a@b.be', PASSWORD, 'name'),
        ('A', 'a@b.be', 'x' * 300, 'password'),
    ],
)
async def test_sign_up_rejects_bad_input(accounts, name, email, password, field):
    with pytest.raises(ValidationError) as info:
        await accounts.sign_up(name, email, password)
    assert info.value.field == field
    assert accounts.count() == 0


async def test_email_is_unique_case_insensitively(accounts):
    await accounts.sign_up('A', 'a@b.be', PASSWORD)
    with pytest.raises(ValidationError) as info:
        await accounts.sign_up('B', 'A@B.BE', PASSWORD)
    assert info.value.key == 'auth.error.email_taken'


async def test_login(accounts):
    await accounts.sign_up('A', 'a@b.be', PASSWORD)
    assert (await accounts.authenticate('A@b.be', PASSWORD, 'ip1')).email == 'a@b.be'
    with pytest.raises(AuthError) as info:
        await accounts.authenticate('a@b.be', 'wrong password', 'ip1')
    assert info.value.key == 'auth.error.invalid'
    with pytest.raises(AuthError):
        await accounts.authenticate('nobody@b.be', PASSWORD, 'ip1')


async def test_a_guessed_account_is_slowed_down_but_its_password_still_works(accounts, clock):
    await accounts.sign_up('A', 'a@b.be', PASSWORD)
    for n in range(8):  # an attacker tries from many browsers
        with pytest.raises(AuthError) as info:
            await accounts.authenticate('a@b.be', 'wrong password', f'attacker-{n}')
        assert info.value.key == 'auth.error.invalid'
    assert clock.slept == [1, 2, 4]  # after 5 free failures, each attempt waits longer before it is checked
    assert accounts.account_limiter.delay('acct:a@b.be') == 8
    user = await accounts.authenticate('a@b.be', PASSWORD, 'owner')  # the owner is held, never refused
    assert user.email == 'a@b.be' and clock.slept[-1] == 8
    assert accounts.account_limiter.delay('acct:a@b.be') == 0  # and the delay is gone after the right password


async def test_failures_from_one_browser_never_refuse_another_browser(accounts, clock):
    """Behind a proxy every client shares one address: only the failing browser is refused, nobody else."""
    for i in range(25):
        with pytest.raises(AuthError):
            await accounts.authenticate(f'user{i}@b.be', 'wrong password', 'attacker')
    await accounts.sign_up('A', 'a@b.be', PASSWORD)
    with pytest.raises(AuthError) as info:
        await accounts.authenticate('a@b.be', PASSWORD, 'attacker')
    assert info.value.key == 'auth.error.locked'  # the failing browser is refused for a while: its own doing
    assert await accounts.authenticate('a@b.be', PASSWORD, 'colleague-same-office')


async def test_one_attempt_at_a_time_per_browser(accounts, clock):
    await accounts.sign_up('A', 'a@b.be', PASSWORD)
    for n in range(6):
        with pytest.raises(AuthError):
            await accounts.authenticate('a@b.be', 'wrong password', f'ip-{n}')
    gate = asyncio.Event()

    async def slow_sleep(seconds: float) -> None:
        await gate.wait()

    accounts._sleep = slow_sleep
    first = asyncio.create_task(accounts.authenticate('a@b.be', 'guess one', 'b1'))
    await asyncio.sleep(0)
    with pytest.raises(AuthError) as info:  # a second attempt in parallel from the same browser
        await accounts.authenticate('a@b.be', 'guess two', 'b1')
    assert info.value.key == 'auth.error.busy'
    gate.set()
    with pytest.raises(AuthError):
        await first


async def test_change_password_checks_current_and_bumps_epoch(accounts):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    with pytest.raises(ValidationError) as info:
        await accounts.change_password(user.id, 'not the password', 'another long password')
    assert info.value.field == 'current'
    with pytest.raises(ValidationError) as info:
        await accounts.change_password(user.id, PASSWORD, 'short')
    assert info.value.field == 'new'
    updated = await accounts.change_password(user.id, PASSWORD, 'another long password')
    assert updated.auth_epoch == user.auth_epoch + 1
    with pytest.raises(AuthError):
        await accounts.authenticate('a@b.be', PASSWORD, 'ip')
    assert await accounts.authenticate('a@b.be', 'another long password', 'ip')


def test_limiter_doubles_and_caps(clock):
    limiter = FailureLimiter(2, 100, 10, 35, clock=clock)
    limiter.failure('k')
    assert limiter.retry_after('k') == 0
    limiter.failure('k')  # the second of two free: locked from now on
    assert limiter.retry_after('k') == 10
    limiter.failure('k')
    assert limiter.retry_after('k') == 20
    limiter.failure('k')
    assert limiter.retry_after('k') == 35
    limiter.success('k')
    assert limiter.retry_after('k') == 0


async def test_password_change_tells_the_listeners_before_it_is_written(accounts, store):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    told = []
    accounts.on_credentials_changed(lambda uid: told.append((uid, accounts.get(uid).auth_epoch)))
    await accounts.change_password(user.id, PASSWORD, 'another long password')
    assert told == [(user.id, 2)]
    await accounts.set_password(user.id, 'another long password')  # the same password again: nothing changes
    assert told == [(user.id, 2)]
    await accounts.set_password(user.id, 'a third long password')
    assert told[-1] == (user.id, 3)


@pytest.mark.parametrize('name', [{'a': 'dict'}, ['a', 'list'], 12345, True])
async def test_a_name_that_is_not_text_is_refused_and_the_old_one_kept(accounts, name):
    user = await accounts.sign_up('Anna Peeters', 'a@b.be', PASSWORD)
    with pytest.raises(ValidationError) as info:
        await accounts.set_name(user.id, name)
    assert (info.value.key, info.value.field) == ('error.invalid', 'name')
    assert accounts.get(user.id).name == 'Anna Peeters'


async def test_a_new_name_loses_its_control_characters(accounts):
    user = await accounts.sign_up('Anna Peeters', 'a@b.be', PASSWORD)
    await accounts.set_name(user.id, 'Anna\x00 \x1b[31mDe\u202eSmet\x7f')
    assert accounts.get(user.id).name == 'Anna [31mDeSmet'


@pytest.mark.parametrize('wrong', [True, 12345, ['a', 'list'], {'a': 'dict'}])
async def test_a_password_that_is_not_text_is_refused_and_the_old_one_kept(accounts, wrong):
    user = await accounts.sign_up('A', 'a@b.be', PASSWORD)
    with pytest.raises(ValidationError) as info:
        await accounts.change_password(user.id, wrong, 'another long password')
    assert info.value.field == 'current'
    with pytest.raises(ValidationError) as info:
        await accounts.change_password(user.id, PASSWORD, wrong)
    assert (info.value.key, info.value.field) == ('error.invalid', 'new')
    assert await accounts.authenticate('a@b.be', PASSWORD, 'ip')
