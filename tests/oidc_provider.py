"""A real OpenID Connect provider for the tests: oidc-provider-mock (Authlib's server side) in a thread.

It accepts any client id and secret, signs real ID tokens (RS256) and shows an authorization form where a person
is chosen by subject; `set_user` gives a subject its claims. `authorize` plays the browser's part without a browser:
it posts that form and returns the callback URL the provider redirects to (code and state in its query).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import httpx
import oidc_provider_mock


class MockProvider:
    def __init__(self, port: int) -> None:
        # 'localhost', not 127.0.0.1: the provider names itself after the host it is asked for, and that name must
        # stay the same in the metadata, the ID token's issuer and the configured issuer
        self.issuer = f'http://localhost:{port}'

    def set_user(self, sub: str, **claims: object) -> None:
        response = httpx.put(f'{self.issuer}/users/{sub}', json=claims, timeout=5)
        response.raise_for_status()

    def authorize(self, authorize_url: str, sub: str | None, *, deny: bool = False) -> str:
        """Post the provider's form for `sub` (or deny) and return where the provider sends the browser back."""
        form = {'action': 'deny'} if deny else {'sub': sub}
        response = httpx.post(authorize_url, data=form, timeout=5, follow_redirects=False)
        assert response.status_code in (302, 303), response.text[:500]
        return response.headers['location']


@contextmanager
def running_provider() -> Iterator[MockProvider]:
    with oidc_provider_mock.run_server_in_thread() as server:
        yield MockProvider(server.server_port)


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
