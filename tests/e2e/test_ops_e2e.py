"""The operator's view of a real server process: the backup drill under load, health and readiness, the admin
endpoint's guard, and the logs of a whole journey, scanned for personal data, tokens and answer text."""

from __future__ import annotations

import asyncio
import atexit
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from playwright.sync_api import expect

from core import backup
from core.config import Settings
from core.demo import DEMO_EMAIL, seed
from core.services import build_services
from core.survey import receipt_hash

from .conftest import DEMO_PASSWORD, ROOT, confirm_by_mail, log_in, mailed_link, start_server, wait_idle

ADMIN_TOKEN = 'operator-token-for-the-e2e-tests-0123456789'


def run_main(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ('NICEGUI_USER_SIMULATION', 'PYTEST_CURRENT_TEST')}
    env.update(extra_env)
    command = [sys.executable, str(ROOT / 'main.py'), *args]
    return subprocess.run(command, check=False, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def _seed(folder: Path) -> tuple[str, str]:
    async def build() -> None:
        services = build_services(Settings(data_dir=folder, backup_interval=3600))
        await seed(services, DEMO_PASSWORD)
        services.close()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API keeps an event loop running in this thread
        pool.submit(asyncio.run, build()).result()
    for path in (folder / 'communities').glob('*.json'):
        for doc in json.loads(path.read_text()).get('survey_rounds', {}).values():
            if doc['status'] == 'open' and doc['instrument'] == 'member_survey':
                return path.stem, doc['token']
    raise AssertionError('the demo has no open survey round')


_TEMPLATE: list[tuple[Path, str, str]] = []


def seeded_folder(folder: Path) -> tuple[str, str]:
    """A folder with the demo account and community, written before the server starts (so no demo banner is
    printed into the log); returns the open member survey round (community id, link token). Seeded once per test
    process, then copied."""
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix='cop-seed-'))
        atexit.register(shutil.rmtree, template, True)
        _TEMPLATE.append((template / 'data', *_seed(template / 'data')))
    template, cid, token = _TEMPLATE[0]
    shutil.copytree(template, folder, ignore=shutil.ignore_patterns('backups', '.lock', '.server.json'))
    return cid, token


def answer_survey(browser, url: str, cid: str, token: str, text: str = '') -> str:
    """One respondent (their own browser) answers the whole survey; returns the receipt code shown: the moment the
    answer is acknowledged."""
    context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='fr-BE')
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f'{url}/s/{cid}/{token}?lang=fr')
    wait_idle(page)
    step = 0
    while True:
        step += 1
        for group in page.get_by_role('radiogroup').all():
            group.get_by_role('radio').nth(step % 3 + 1).click()
        if text:
            for box in page.get_by_role('textbox').all():
                box.fill(f'{text} ({step})')
        if page.get_by_role('button', name='Envoyer').count():
            break
        page.get_by_role('button', name='Suivant').click()
        expect(page.get_by_role('heading', name=re.compile(f'^Partie {step + 1} sur'))).to_be_visible()
    page.get_by_role('button', name='Envoyer').click()
    page.get_by_role('alertdialog').get_by_role('button', name='Envoyer').click()
    expect(page.get_by_role('heading', name='Merci ! Votre réponse a été envoyée.')).to_be_visible()
    receipt = page.locator('.font-mono').inner_text()
    context.close()
    return receipt


def receipts_in(archive_bytes: bytes, cid: str) -> set[str]:
    with tarfile.open(fileobj=io.BytesIO(archive_bytes), mode='r:gz') as tar:
        secret = tar.extractfile('receipt-secret').read().decode().strip()
        parts = [n for n in tar.getnames() if n.startswith(f'communities/{cid}/survey_answers@')]  # one per round
        docs = [d for n in parts for t in json.loads(tar.extractfile(n).read()).values() for d in t.values()]
    return {doc['receipt'] for doc in docs}, secret


def test_backup_drill_under_load(tmp_path, browser, monkeypatch):
    """Answers arrive while backups are taken back to back; every archive holds every answer acknowledged before it
    began; the server's health and its guard of the backups hold; the last archive, restored into a new folder,
    serves those answers again."""
    cid, token = seeded_folder(tmp_path / 'live')
    monkeypatch.setenv('COP_ADMIN_TOKEN', ADMIN_TOKEN)
    live = start_server(tmp_path / 'live', demo=False)
    archives: list[tuple[float, bytes]] = []
    stop = threading.Event()

    def back_to_back() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                began = time.monotonic()
                response = client.post(f'{live.url}/admin/backup', headers={'Authorization': f'Bearer {ADMIN_TOKEN}'})
                response.raise_for_status()
                archives.append((began, response.content))
                stop.wait(0.05)  # leave the two cores some room for the browser

    acknowledged: list[tuple[float, str]] = []
    worker = threading.Thread(target=back_to_back)
    try:
        worker.start()
        for _ in range(2):
            receipt = answer_survey(browser, live.url, cid, token)
            acknowledged.append((time.monotonic(), receipt))
        time.sleep(0.3)
    finally:
        stop.set()
        worker.join(30)
    assert len(archives) > 5, 'too few backups overlapped the answers'
    checked = 0
    for began, content in archives:
        stored, secret = receipts_in(content, cid)
        before = {receipt_hash(secret, code) for at, code in acknowledged if at < began}
        assert before <= stored, f'an answer acknowledged before a backup began is missing from it ({began})'
        checked += bool(before)
    assert checked, 'no backup began after an acknowledged answer'
    check_health_and_the_admin_guard(live, tmp_path)

    # the drill: the last archive, restored into a new folder, served by a new server, still has every answer
    archive = tmp_path / 'offsite' / 'latest.tar.gz'
    archive.parent.mkdir()
    archive.write_bytes(archives[-1][1])
    live.stop()
    assert not (tmp_path / 'live' / '.server.json').exists()  # the run file goes with the server
    backup.restore(archive, tmp_path / 'restored')
    restored = start_server(tmp_path / 'restored', demo=False)
    try:
        assert httpx.get(f'{restored.url}/readyz').json() == {'ready': True}
        assert httpx.get(f'{restored.url}/healthz').json()['damaged_files'] == 0
        context = browser.new_context(locale='fr-BE')
        page = context.new_page()
        page.set_default_timeout(15_000)
        for _, code in acknowledged:  # each respondent can still withdraw: the server finds their answer
            page.goto(f'{restored.url}/s/{cid}/{token}/withdraw?lang=fr')
            wait_idle(page)
            page.get_by_label('Code de reçu').fill(code)
            page.get_by_role('button', name='Retirer la réponse').click()
            page.get_by_role('alertdialog').get_by_role('button', name='Retirer la réponse').click()
            expect(page.get_by_text('Votre réponse a été effacée.')).to_be_visible()
        context.close()
    finally:
        restored.stop()


def check_health_and_the_admin_guard(server, tmp_path: Path) -> None:
    """Health, readiness, and who may take a backup, on a running server (its folder: `server.data_dir`)."""
    health = httpx.get(f'{server.url}/healthz')
    assert health.status_code == 200 and health.headers['cache-control'] == 'no-store'
    body = health.json()
    assert body['status'] == 'ok' and body['data_folder'] == {'readable': True, 'writable': True}
    assert body['damaged_files'] == 0 and re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\dZ', body['last_write'])
    assert '@' not in health.text and DEMO_EMAIL not in health.text
    assert httpx.get(f'{server.url}/readyz').status_code == 200

    refused = httpx.post(f'{server.url}/admin/backup', headers={'Authorization': 'Bearer wrong-token'})
    assert refused.status_code == 401 and 'wrong or missing admin token' in refused.text
    assert httpx.post(f'{server.url}/admin/backup').status_code == 401
    # from another machine: the command with --url and the operator's token
    pulled = run_main('backup', '--url', server.url, '--to', str(tmp_path / 'pulled'))
    assert pulled.returncode == 0 and 'cop-backup-' in pulled.stdout, pulled.stderr
    wrong = run_main('backup', '--url', server.url, '--to', str(tmp_path / 'pulled'), COP_ADMIN_TOKEN='x' * 30)
    assert wrong.returncode == 7 and 'refused the admin token' in wrong.stderr
    assert len(list((tmp_path / 'pulled').iterdir())) == 1  # nothing left of the refused attempt
    for _ in range(10):
        httpx.post(f'{server.url}/admin/backup', headers={'Authorization': 'Bearer guess'})
    locked = httpx.post(f'{server.url}/admin/backup', headers={'Authorization': f'Bearer {ADMIN_TOKEN}'})
    assert locked.status_code == 429 and int(locked.headers['retry-after']) > 0

    # the command finds the running server through the data folder (guesses from outside do not lock it out),
    # and a second server cannot start on the same folder
    done = run_main('backup', '--to', str(tmp_path / 'out'), '--data-dir', str(server.data_dir))
    assert done.returncode == 0, done.stderr
    done = run_main('--data-dir', str(server.data_dir), '--port', '1')
    assert done.returncode != 0 and 'is using the data folder' in done.stderr


def test_logs_of_a_whole_journey_hold_no_personal_data_tokens_or_answers(tmp_path, browser, monkeypatch, mail_server):
    cid, token = seeded_folder(tmp_path / 'data')
    monkeypatch.setenv('COP_LOG_FORMAT', 'json')
    relay = {'COP_SMTP_URL': mail_server.url, 'COP_MAIL_FROM': 'cop@e2e.example.be'}
    server = start_server(tmp_path / 'data', demo=False, extra_env=relay)
    secrets_seen: list[str] = [token, DEMO_PASSWORD, DEMO_EMAIL]
    try:
        context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f'{server.url}/signup?utm_source=querysecret123456789abc')
        wait_idle(page)
        page.get_by_label('Naam', exact=True).fill('Lotte Logtest')
        page.get_by_label('E-mailadres').fill('lotte.logtest@fod.example.be')
        page.get_by_label('Wachtwoord').fill('een geheim wachtwoord voor lotte')
        page.get_by_role('button', name='Account aanmaken').click()
        confirm_link = mailed_link(mail_server, 'lotte.logtest@fod.example.be', '/signup/confirm/')
        secrets_seen.append(confirm_link.rsplit('/', 1)[-1])  # the confirmation token never reaches the log
        confirm_by_mail(page, mail_server, 'lotte.logtest@fod.example.be', 'een geheim wachtwoord voor lotte')
        page.wait_for_url('**/c/new')
        wait_idle(page)
        page.get_by_label('Naam van de community').fill('CoP Logboek')
        page.get_by_label('Domein of doel').fill('Nagaan wat er in de logs belandt.')
        page.get_by_role('button', name='Community aanmaken').click()
        page.wait_for_url(re.compile(r'.*/c/[0-9a-f]{16}$'))
        secrets_seen += ['Lotte Logtest', 'lotte.logtest@fod.example.be', 'een geheim wachtwoord voor lotte']
        secrets_seen += [c['value'] for c in context.cookies()]
        context.close()

        answer_text = 'Mijn geheime antwoord over de koffieautomaat'
        receipt = answer_survey(browser, server.url, cid, token, text=answer_text)
        secrets_seen += [answer_text, receipt, receipt.replace('-', '')]

        context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
        coordinator = context.new_page()
        coordinator.set_default_timeout(15_000)
        log_in(coordinator, server.url, DEMO_EMAIL, DEMO_PASSWORD)
        coordinator.goto(f'{server.url}/c/{cid}/ittools/new?lang=nl')
        wait_idle(coordinator)
        coordinator.get_by_label('Titel van de vergelijking').fill('Logproef')
        coordinator.get_by_role('button', name='Vergelijking aanmaken').click()
        coordinator.wait_for_url(re.compile(r'.*/ittools/c[0-9a-f]+$'))
        wait_idle(coordinator)
        coordinator.get_by_role('button', name='Vergadering starten').click()
        code = coordinator.get_by_text(re.compile(r'^[A-Z0-9]{3} [A-Z0-9]{3}$')).inner_text()
        secrets_seen += [code, code.replace(' ', '')]
        participant = context.browser.new_context(locale='nl-BE').new_page()
        participant.goto(f'{server.url}/m/{code.replace(" ", "")}')
        wait_idle(participant)
        participant.get_by_label('Je naam in deze vergadering').fill('Pieter Deelnemer')
        participant.get_by_role('button', name='Deelnemen aan de vergadering').click()
        expect(coordinator.get_by_text(re.compile(r'\bPieter Deelnemer\b')).first).to_be_visible()
        secrets_seen.append('Pieter Deelnemer')
        participant.context.close()
        context.close()
        httpx.post(f'{server.url}/admin/backup', headers={'Authorization': 'Bearer guessed-token-1234567890abc'})
    finally:
        server.stop()
    folder = tmp_path / 'data'
    secrets_seen += [(folder / name).read_text().strip() for name in ('receipt-secret', 'session-secret')]
    lines = (tmp_path / f'server-{server.port}.log').read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]  # every line is one JSON object
    assert {'time', 'level', 'logger', 'message'} <= set(records[0])
    routes = {r.get('path') for r in records}
    assert {'/signup', '/s/{cid}/{token}', '/m/{code}', '/admin/backup'} <= routes, routes
    assert any(r.get('community') == cid for r in records)
    text = '\n'.join(lines)
    assert not re.search(r'[\w.+-]+@[\w-]+\.[\w.]+', text), 'an e-mail address is in the log'
    assert 'querysecret' not in text and '?' not in ''.join(r.get('path', '') for r in records)
    leaked = [s for s in secrets_seen if s and s in text]
    assert not leaked, f'found in the log: {leaked}'
