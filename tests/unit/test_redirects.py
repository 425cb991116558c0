"""Where `next` may lead after a login: every trick of the OWASP open-redirect list must stay on this site."""

from __future__ import annotations

import pytest

from core.redirects import safe_next

EVIL = [
    '//example.org',
    '//example.org/x',
    '///example.org',
    '/\\example.org',
    '\\\\example.org',
    '\\/example.org',
    '/\t/example.org',
    '/%09/example.org',
    '/%0a/example.org',
    '/%0d/example.org',
    '/\n/example.org',
    '/\r\n/example.org',
    '%2F%2Fexample.org',
    '/%2F/example.org',
    '/%2f%2fexample.org',
    '/%252F%252Fexample.org',  # double-encoded
    '/%25252F%25252Fexample.org',
    '/%5Cexample.org',
    '/%5cexample.org',
    '/%255Cexample.org',
    'https://example.org',
    'http://example.org/',
    'HTTPS://example.org',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    ' //example.org',
    '\x00//example.org',
    '/\x00/example.org',
    'example.org',
    '.example.org',
    '@example.org',
    'https:example.org',
    '/／example.org',  # fullwidth solidus
    '／／example.org',
    '/﹨example.org',
    '/\u2215\u2215example.org',  # division slash
    '/ｅｘａｍｐｌｅ',
    '/%E3%80%82example.org',
    '',
    None,
    123,
    '/' + 'a' * 3000,
]

LOCAL = ['/', '/c/0123456789abcdef', '/c/0123456789abcdef/settings?journey=kompas', '/account', '/c/new', '/m/ABC123']


@pytest.mark.parametrize('target', EVIL)
def test_no_trick_leads_off_the_site(target):
    assert safe_next(target) == '/'


@pytest.mark.parametrize('target', LOCAL)
def test_paths_on_this_site_are_kept(target):
    assert safe_next(target) == target
