"""Steps that many UI tests share, done the way a user does them."""
from __future__ import annotations

from nicegui.testing import User

PASSWORD = 'correct horse battery'


async def sign_up(user: User, name: str = 'Anna Peeters', email: str = 'anna@example.be',
                  password: str = PASSWORD, next_path: str | None = None) -> None:
    await user.open('/signup' + (f'?next={next_path}' if next_path else ''))
    user.find(marker='signup-name').type(name)
    user.find(marker='signup-email').type(email)
    user.find(marker='signup-password').type(password)
    user.find(marker='signup-submit').click()


async def log_in(user: User, email: str, password: str = PASSWORD, path: str = '/login') -> None:
    await user.open(path)
    user.find(marker='login-email').type(email)
    user.find(marker='login-password').type(password)
    user.find(marker='login-submit').click()


async def create_community(user: User, name: str = 'CoP Data', purpose: str = 'Beter werken met data.') -> str:
    """Create a community through the form; returns its id (read from the page the user lands on)."""
    await user.open('/c/new')
    user.find(marker='field-name').type(name)
    user.find(marker='field-purpose').type(purpose)
    user.find(marker='create-community').click()
    await user.should_see(marker='community-summary')
    return current_community(user)


def current_community(user: User) -> str:
    path = user.back_history[-1]
    assert path.startswith('/c/'), path
    return path.split('/')[2]
