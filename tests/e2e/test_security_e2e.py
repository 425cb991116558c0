"""Sessions and headers in a real browser: a planted cookie stays logged out, open pages close when their session
ends, the Content-Security-Policy is met by every page, HTTPS behind a trusted proxy gives Secure cookies and HSTS."""

from __future__ import annotations

import re
import stat
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import expect

from core.demo import DEMO_EMAIL

from .conftest import DEMO_PASSWORD, confirm_by_mail, log_in, start_server, wait_idle

PASSWORD = 'een lang genoeg wachtwoord'


def new_page(browser, locale: str = 'en-GB'):
    context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def sign_up(page, base: str, name: str, email: str, mail_server) -> None:
    page.goto(f'{base}/signup?lang=en')
    wait_idle(page)
    page.get_by_label('Name', exact=True).fill(name)
    page.get_by_label('E-mail address').fill(email)
    page.get_by_label('Password').fill(PASSWORD)
    page.get_by_role('button', name='Create an account').click()
    expect(page.get_by_text('Check your mailbox')).to_be_visible()
    confirm_by_mail(page, mail_server, email, PASSWORD)
    page.wait_for_url('**/c/new')
    wait_idle(page)


def first_community(page) -> str:
    return page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]


def test_a_cookie_from_before_the_login_does_not_become_logged_in(server, browser):
    victim_context, victim = new_page(browser)
    victim.goto(f'{server.url}/login?lang=en')
    wait_idle(victim)
    planted = victim_context.cookies()  # what an attacker could have set or copied before the victim logs in
    assert planted
    log_in(victim, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    assert {c['value'] for c in victim_context.cookies()} != {c['value'] for c in planted}  # a new cookie

    attacker_context, attacker = new_page(browser)
    attacker_context.add_cookies(planted)
    attacker.goto(f'{server.url}/account')
    wait_idle(attacker)
    assert urlsplit(attacker.url).path == '/login'  # the victim's login did not log the planted cookie in
    victim.goto(f'{server.url}/account')
    wait_idle(victim)
    assert urlsplit(victim.url).path == '/account'

    for path in [server.data_dir, *server.data_dir.rglob('*')]:  # sessions, backups, everything: owner only
        if not path.is_symlink():
            assert not stat.S_IMODE(path.stat().st_mode) & 0o077, path
    victim_context.close()
    attacker_context.close()


def test_a_logout_in_one_tab_closes_the_pages_open_in_others(server, browser):
    context, editing = new_page(browser)
    log_in(editing, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    cid = first_community(editing)
    editing.goto(f'{server.url}/c/{cid}/settings?lang=en')
    wait_idle(editing)
    editing.get_by_label('Sponsor', exact=True).fill('Written after the logout')

    other = context.new_page()
    other.goto(f'{server.url}/?lang=en')
    wait_idle(other)
    other.get_by_role('button', name=re.compile('^Account menu')).click()
    other.get_by_text('Log out', exact=True).click()
    expect(other).to_have_url(re.compile(r'.*/login$'))

    try:
        editing.wait_for_url(re.compile(r'.*/login\?ended=1.*'), timeout=5000)
    except Exception:  # the page stayed: then at least it must not be able to save
        editing.get_by_role('button', name='Save').click()
        editing.wait_for_timeout(1500)
    assert 'Written after the logout' not in (server.data_dir / 'communities' / f'{cid}.json').read_text()
    assert urlsplit(editing.url).path == '/login'
    expect(editing.get_by_text('Your session has ended')).to_be_visible()
    context.close()


def test_a_password_change_closes_the_pages_of_other_browsers(server, browser, mail_server):
    laptop_context, laptop = new_page(browser)
    sign_up(laptop, server.url, 'Ines Peeters', 'ines.security@example.be', mail_server)
    phone_context, phone = new_page(browser)
    log_in(phone, server.url, 'ines.security@example.be', PASSWORD)
    phone.goto(f'{server.url}/account?lang=en')
    wait_idle(phone)
    phone.get_by_label('Current password').fill(PASSWORD)
    phone.get_by_label('New password').fill('a brand new passphrase')
    phone.get_by_role('button', name='Change password').click()
    expect(phone.get_by_text('Your password has been changed').first).to_be_visible()
    assert urlsplit(phone.url).path == '/account'  # this browser goes on, in a new session

    laptop.wait_for_url(re.compile(r'.*/login\?ended=1.*'))
    expect(laptop.get_by_text('Your session has ended')).to_be_visible()
    laptop_context.close()
    phone_context.close()


def test_no_page_breaks_the_content_security_policy(server, browser):
    context, page = new_page(browser)
    violations: list[str] = []
    page.on('console', lambda m: violations.append(f'{page.url}: {m.text}') if 'Content Security' in m.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security violation ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    public = ['/', '/login', '/signup', '/m', '/nope']
    for path in public:
        page.goto(server.url + path)
        wait_idle(page)
    log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    seen, kinds, queue = set(), set(), ['/', '/account', '/c/new', '/import']
    while queue:  # one page of every kind reachable by links from the start page, as a user would go
        path = queue.pop(0)
        kind = re.sub(r'[0-9a-f]{8,}|[A-Za-z0-9_-]{20,}', '<id>', path.split('?')[0])
        if path in seen or kind in kinds:
            continue
        if path.startswith('/c/') and kind.count('/') == 2 and kind.endswith('<id>'):
            queue.append(path + '/dossier')  # linked from the plan by a button, not a link
        seen.add(path)
        kinds.add(kind)
        response = page.goto(server.url + path)
        assert response is not None and response.headers.get('content-security-policy'), path
        wait_idle(page)
        links = page.eval_on_selector_all('a[href^="/"]', 'els => els.map(e => e.getAttribute("href"))')
        shared = page.eval_on_selector_all('input', 'els => els.map(e => e.value)')  # survey and invitation links
        links += [urlsplit(v).path for v in shared if v.startswith(server.url + '/s/')]
        for href in links:
            clean = href.split('#')[0]
            is_file = '.' in clean.split('?')[0].rsplit('/', 1)[-1] or '/export' in clean  # downloads, not pages
            if clean and clean not in seen and not clean.startswith(('/_nicegui', '/auth')) and not is_file:
                queue.append(clean)
    assert len(kinds) > 15, kinds
    assert not violations, violations
    context.close()


def test_https_behind_a_trusted_proxy_gives_secure_cookies_and_hsts(server, tmp_path):
    proxied = start_server(tmp_path / 'data', demo=False, extra_env={'COP_TRUSTED_PROXY': '127.0.0.1'})
    try:
        behind_tls = httpx.get(f'{proxied.url}/login', headers={'X-Forwarded-Proto': 'https'})
        assert behind_tls.headers['strict-transport-security'].startswith('max-age=')
        assert '; Secure' in behind_tls.headers['set-cookie']
        plain = httpx.get(f'{proxied.url}/login')
        assert 'strict-transport-security' not in plain.headers
    finally:
        proxied.stop()
    untrusted = httpx.get(f'{server.url}/login', headers={'X-Forwarded-Proto': 'https'})  # nobody is trusted there
    assert 'strict-transport-security' not in untrusted.headers
    assert 'secure' not in untrusted.headers['set-cookie'].lower()
    for response in (behind_tls, untrusted):
        assert response.headers['x-frame-options'] == 'DENY'
        assert "frame-ancestors 'none'" in response.headers['content-security-policy']
        assert response.headers['x-content-type-options'] == 'nosniff'
        assert response.headers['referrer-policy'] == 'strict-origin-when-cross-origin'
    assert httpx.get(f'{server.url}/m/ABC123').headers['referrer-policy'] == 'no-referrer'
    assert httpx.get(f'{server.url}/s/0123456789abcdef/token').headers['referrer-policy'] == 'no-referrer'
