"""End-to-end fixtures: the real app in a subprocess on a free port with its own data folder, and Debian's headless
Chromium driven by Playwright. Skipped with a reason when Chromium is absent, unless CI is set: then they must run."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get('COP_CHROMIUM', '/usr/bin/chromium')
CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
]
DEMO_PASSWORD = 'demo password for tests'

# Playwright's `expect` waits 5 s by default; with three workers, their servers and their browsers on two cores, a
# page that is right can take longer than that to show it. A failing check still fails, only later.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(config, items):
    have_browser = shutil.which(CHROMIUM) is not None
    e2e = [item for item in items if Path(str(item.fspath)).is_relative_to(Path(__file__).parent)]
    if e2e and not have_browser and os.environ.get('CI'):
        raise pytest.UsageError(f'CI is set but {CHROMIUM} is missing: apt-get install chromium')
    for item in e2e:
        item.add_marker(pytest.mark.e2e)
        if not have_browser:
            item.add_marker(pytest.mark.skip(reason=f'{CHROMIUM} not found: apt-get install chromium to run it'))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen
    port: int

    def stop(self, kill: bool = False) -> None:
        if self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            self.process.wait(15)


def start_server(
    data_dir: Path, port: int | None = None, demo: bool = True, extra_env: dict[str, str] | None = None
) -> Server:
    port = port or free_port()
    env = {
        **os.environ,
        'COP_PORT': str(port),
        'COP_DATA_DIR': str(data_dir),
        'COP_HOST': '127.0.0.1',
        'COP_DEMO_PASSWORD': DEMO_PASSWORD,
        'COP_BACKUP_INTERVAL': '0',
        **(extra_env or {}),
    }
    env.pop('NICEGUI_USER_SIMULATION', None)
    env.pop('NICEGUI_STORAGE_PATH', None)
    env.pop('PYTEST_CURRENT_TEST', None)  # NiceGUI would otherwise run in its own test mode
    args = [sys.executable, str(ROOT / 'main.py')] + (['--demo'] if demo else [])
    log = open(data_dir.parent / f'server-{port}.log', 'ab')
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}'
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'server exited: {(data_dir.parent / f"server-{port}.log").read_text()[-2000:]}')
        try:
            if httpx.get(url + '/login', timeout=1).status_code == 200:
                if not demo or 'Demo data ready' in (data_dir.parent / f'server-{port}.log').read_text():
                    return Server(url, data_dir, process, port)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError('server did not start in 30 s')


@pytest.fixture(scope='session')
def mail_server():
    """The shared server's mail relay: a real SMTP server (aiosmtpd) whose mails the tests read."""
    from tests.mailserver import MailServer

    relay = MailServer().start()
    yield relay
    relay.stop()


@pytest.fixture(scope='session')
def server(tmp_path_factory, mail_server) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp('e2e') / 'data'
    srv = start_server(folder, extra_env={'COP_SMTP_URL': mail_server.url, 'COP_MAIL_FROM': 'cop@e2e.example.be'})
    yield srv
    srv.stop()


def mailed_link(mail_server, to: str, part: str) -> str:
    """The newest link containing `part` in a mail the relay received for `to`."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for received in reversed(mail_server.received):
            if to in received.rcpt_tos:
                links = [link for link in received.links() if part in link]
                if links:
                    return links[0]
        time.sleep(0.1)
    raise AssertionError(f'no mail to {to} with a {part} link')


def confirm_by_mail(page, mail_server, email: str, password: str) -> None:
    """After a sign-up: follow the link in the mail, confirm, and log in (the browser lands where the sign-up was
    headed)."""
    page.goto(mailed_link(mail_server, email, '/signup/confirm/'))
    wait_idle(page)
    page.get_by_role('button', name=re.compile('bevestigen|Confirm|Confirmer|bestätigen')).click()
    page.get_by_role('link', name=re.compile('^(Verder|Continue|Continuer|Weiter)$')).click()
    page.wait_for_url('**/login**')
    wait_idle(page)
    page.locator('input[type=email]').fill(email)
    page.locator('input[type=password]').fill(password)
    page.locator('input[type=password]').press('Enter')
    page.wait_for_url(lambda url: '/login' not in url)
    wait_idle(page)


@pytest.fixture(scope='session')
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def wait_idle(page) -> None:
    """The page has loaded and, for a NiceGUI page, its live connection is made (events reach the server only after
    the handshake). Playwright's 'networkidle' waited for half a second of silence after every page, more than a
    minute of the suite; the short pause after the handshake lets Vue render what arrived with it."""
    page.wait_for_load_state('load')
    page.wait_for_function("!document.getElementById('app') || window.did_handshake === true")
    page.wait_for_timeout(250)


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f'{base}/login?lang=en')
    wait_idle(page)
    page.get_by_label('E-mail address').fill(email)
    page.get_by_label('Password').fill(password)
    page.get_by_role('button', name='Log in').click()
    page.wait_for_url(re.compile(r'.*/(\?.*)?$'))
    wait_idle(page)


def serious_violations(page) -> list[str]:
    """axe-core's findings of impact serious or critical, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    # A notification fading in has, for a moment, too little contrast. One may still be on its way from the server
    # (a confirmation's click answers with a notification): give it a moment to arrive, then wait until every
    # notification stands still, fully opaque, and scan it then. It stays five seconds, far longer than a scan.
    page.wait_for_timeout(300)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.q-notification')].every(n =>
            n.getAnimations({subtree: true}).every(a => a.playState !== 'running')
            && getComputedStyle(n).opacity === '1')"""
    )
    results = Axe().run(page).response
    return [
        f'{v["id"]} ({v["impact"]}): {[n["target"] for n in v["nodes"][:3]]}'
        for v in results['violations']
        if v.get('impact') in ('serious', 'critical')
    ]
