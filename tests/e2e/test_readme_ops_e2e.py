"""Every command of the README's "Operating it" and "Upgrading" sections, read from the README and run against a
server started exactly as its systemd unit says: the operator's page cannot drift from what the code does.

The example places of the README are mapped to temporary ones; `systemctl`, `git` and `pip` lines belong to the
operator's system and are only checked for the unit's name."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import httpx

from .conftest import ROOT, free_port
from .test_ops_e2e import ADMIN_TOKEN, seeded_folder

README = ROOT / 'README.md'
SYSTEM_LINES = ('sudo systemctl ', 'sudo -u cop git ', 'sudo -u cop /opt/cop-toolbox/.venv/bin/pip ')
UNIT = 'cop-toolbox'


def operator_sections() -> str:
    text = README.read_text(encoding='utf-8')
    start = text.index('## Operating it')
    return text[start : text.index('\n## ', text.index('## Upgrading'))]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf'```{language}\n(.*?)```', text, re.DOTALL)


class Places:
    def __init__(self, tmp: Path, port: int, drill_port: int) -> None:
        self.pairs = [
            ('/opt/cop-toolbox/.venv/bin/python', sys.executable),
            ('.venv/bin/python', sys.executable),
            ('/opt/cop-toolbox', str(ROOT)),
            ('/srv/cop-toolbox', str(tmp / 'srv')),
            ('/var/backups/cop-toolbox', str(tmp / 'backups')),
            ('https://cop.example.be', f'http://127.0.0.1:{port}'),
            ('127.0.0.1:8080', f'127.0.0.1:{port}'),
            ('COP_PORT=8080', f'COP_PORT={port}'),
            ('8099', str(drill_port)),
        ]

    def __call__(self, text: str) -> str:
        for example, here in self.pairs:
            text = text.replace(example, here)
        return text.replace('sudo -u cop ', '')


def run_script(script: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ['bash', '-euo', 'pipefail', '-c', script],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def without_system_lines(block: str) -> str:
    kept = []
    for line in block.splitlines():
        if line.startswith(SYSTEM_LINES):
            if line.startswith('sudo systemctl '):
                assert line.split()[-1] == UNIT, line
            continue
        kept.append(line)
    return '\n'.join(kept)


def test_every_operator_command_in_the_readme_runs(tmp_path):
    text = operator_sections()
    port, drill_port = free_port(), free_port()
    place = Places(tmp_path, port, drill_port)
    (tmp_path / 'backups').mkdir()
    seeded_folder(tmp_path / 'srv' / 'data')

    # the service, as the unit file says
    (unit,) = blocks(text, 'ini')
    settings = dict(re.findall(r'^(\w+)=(.*)$', unit, re.MULTILINE))
    assert settings['User'] == 'cop' and 'main.py' in settings['ExecStart']
    env = {k: v for k, v in os.environ.items() if not k.startswith(('NICEGUI_', 'PYTEST_', 'COP_'))}
    env.update(pair.split('=', 1) for pair in shlex.split(place(settings['Environment'])))
    env['COP_ADMIN_TOKEN'] = ADMIN_TOKEN  # what /etc/cop-toolbox.env holds
    log = open(tmp_path / 'service.log', 'wb')
    service = subprocess.Popen(
        shlex.split(place(settings['ExecStart'])),
        cwd=place(settings['WorkingDirectory']),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert service.poll() is None, (tmp_path / 'service.log').read_text()
            try:
                if httpx.get(f'http://127.0.0.1:{port}/readyz', timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)

        # the proxy forwards WebSockets to the unit's port and keeps /admin/ for the backup system
        (proxy,) = blocks(text, 'nginx')
        assert 'proxy_set_header Upgrade $http_upgrade;' in proxy and '$connection_upgrade' in proxy
        assert set(re.findall(r'proxy_pass http://127\.0\.0\.1:(\d+);', proxy)) == {'8080'}
        assert re.search(r'location /admin/ \{[^}]*deny all;', proxy)

        # every shell block, in the order of the page, as one script each
        shell_env = {**env, 'COP_ADMIN_TOKEN': ADMIN_TOKEN}
        shell_env.pop('COP_DATA_DIR')
        ran = 0
        for block in blocks(text, 'bash'):
            done = run_script(place(without_system_lines(block)), shell_env)
            assert done.returncode == 0, f'{block}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}'
            ran += 1
        assert ran >= 5

        # the schedule's commands, as the cron user
        for line in ''.join(blocks(text, 'cron')).splitlines():
            fields = line.split(None, 6)
            assert len(fields) == 7 and fields[5] == settings['User'], line
            done = run_script(place(fields[6]), shell_env)
            assert done.returncode == 0, f'{line}\n{done.stderr}'

        archives = sorted((tmp_path / 'backups').glob('cop-backup-*.tar.gz'))
        assert archives and (tmp_path / 'backups' / 'pulled.tar.gz').stat().st_size > 1000
        assert not (tmp_path / 'srv' / 'restore-drill').exists()  # the drill cleaned up after itself
    finally:
        service.terminate()
        service.wait(15)
        log.close()
