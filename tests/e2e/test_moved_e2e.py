"""Old addresses of renamed parts (pages/moved.py) answer with a permanent redirect to the new one, path and query
kept, so printed QR codes and sent links keep working."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest


def head(url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request('GET', parts.path + (f'?{parts.query}' if parts.query else ''))
    response = connection.getresponse()
    return response.status, response.getheader('location') or ''


@pytest.mark.parametrize(
    ('old', 'new'),
    [
        ('/c/0123456789abcdef/animation', '/c/0123456789abcdef/facilitation'),
        ('/c/0123456789abcdef/animation/s1/review?lang=fr', '/c/0123456789abcdef/facilitation/s1/review?lang=fr'),
        ('/c/0123456789abcdef/start?step=kompas', '/c/0123456789abcdef/journey?step=kompas'),
    ],
)
def test_an_old_address_redirects_permanently(server, old, new):
    status, location = head(server.url + old)
    assert (status, location) == (308, new)
    status, location = head(server.url + new)  # the new address is a real page (here: log in first)
    assert status in (200, 303), status
