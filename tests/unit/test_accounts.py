"""Accounts: hashing, sign-up rules, login, rate limits, password change, nothing in plain text."""

from __future__ import annotations

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
    return Accounts(
        store.accounts,
        account_limiter=FailureLimiter(5, 900, 30, 900, clock=clock),
        client_limiter=FailureLimiter(20, 900, 60, 3600, clock=clock),
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


async def test_failed_logins_lock_the_account_then_release(accounts, clock):
    await accounts.sign_up('A', 'a@b.be', PASSWORD)
    for n in range(5):
        with pytest.raises(AuthError) as info:
            await accounts.authenticate('a@b.be', 'wrong password', f'ip-{n}')
        assert info.value.key == 'auth.error.invalid'
    with pytest.raises(AuthError) as info:  # after 5 failures: locked, the password is not even tried
        await accounts.authenticate('a@b.be', 'wrong password', 'ip-x')
    assert info.value.key == 'auth.error.locked'
    with pytest.raises(AuthError) as info:  # even the right password is refused while locked
        await accounts.authenticate('a@b.be', PASSWORD, 'ip-y')
    assert info.value.key == 'auth.error.locked' and info.value.retry_after > 0
    clock.now += 31
    assert await accounts.authenticate('a@b.be', PASSWORD, 'ip-y')


async def test_failed_logins_lock_the_client_across_accounts(accounts, clock):
    for i in range(21):
        with pytest.raises(AuthError):
            await accounts.authenticate(f'user{i}@b.be', 'wrong password', 'attacker')
    await accounts.sign_up('A', 'a@b.be', PASSWORD)
    with pytest.raises(AuthError) as info:
        await accounts.authenticate('a@b.be', PASSWORD, 'attacker')
    assert info.value.key == 'auth.error.locked'
    assert await accounts.authenticate('a@b.be', PASSWORD, 'someone-else')


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
