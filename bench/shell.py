"""The app shell: start-up time, first page load in Chromium, server memory per connected client.

Each is measured against a minimal NiceGUI app (bench/minimal_app.py) in the same run.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.run import Figure

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / 'bench' / 'minimal_app.py'
CHROMIUM = '/usr/bin/chromium'
DEMO_PASSWORD = 'bench demo password'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start(script: Path, *extra: str, data: str | None = None) -> tuple[subprocess.Popen, str, float]:
    """Start a server (on a new data folder unless `data`); returns the process, its URL and the seconds until it
    served its first page."""
    port = free_port()
    data = data or tempfile.mkdtemp(prefix='cop-bench-')
    env = {
        **os.environ,
        'COP_PORT': str(port),
        'COP_DATA_DIR': data,
        'COP_DEMO_PASSWORD': DEMO_PASSWORD,
        'NICEGUI_STORAGE_PATH': str(Path(data) / 'sessions'),
    }
    # a server compiles its modules once and keeps the bytecode: measured the same way (a shell may forbid it)
    for name in ('PYTEST_CURRENT_TEST', 'NICEGUI_USER_SIMULATION', 'PYTHONDONTWRITEBYTECODE'):
        env.pop(name, None)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(script), *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f'http://127.0.0.1:{port}'
    while time.perf_counter() - started < 30:
        try:
            if httpx.get(url + '/login', timeout=2).status_code == 200:
                return process, url, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.02)
    process.kill()
    raise RuntimeError(f'{script.name} did not start')


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(10)


def startup(runs: int = 3) -> Figure:
    """A restart of a server that ran before (its bytecode written, its content cache in its data folder), against
    the minimal app, interleaved. Target: at most 1.4x."""
    app_times, base_times = [], []
    data = tempfile.mkdtemp(prefix='cop-bench-startup-')
    for script in (ROOT / 'main.py', MINIMAL):  # a first start writes the bytecode and the content cache
        stop(start(script, data=data)[0])
    for _ in range(runs):
        for script, times in ((ROOT / 'main.py', app_times), (MINIMAL, base_times)):
            process, _, seconds = start(script, data=data)
            times.append(seconds)
            stop(process)
    value, baseline = statistics.median(app_times), statistics.median(base_times)
    return Figure(
        'start-up to first served page',
        value,
        's',
        '< 3 s and <= 1.4x minimal app',
        value < 3.0 and value <= 1.4 * baseline,
        baseline,
        value / baseline,
        note=f'restart, median of {runs}; PDF, QR, calendar and sign-in libraries load on first use',
    )


def page_load(runs: int = 7) -> Figure:
    """Home page in a fresh browser context (empty cache) until its content is visible, against a minimal page."""
    from playwright.sync_api import sync_playwright

    app, app_url, _ = start(ROOT / 'main.py')
    base, base_url, _ = start(MINIMAL)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=['--no-sandbox', '--disable-gpu', '--disable-background-networking']
            )
            timings: dict[str, list[float]] = {'app': [], 'base': []}
            for i in range(runs + 1):
                for key, url, ready in (('app', app_url, 'h1'), ('base', base_url, 'text=Hello')):
                    context = browser.new_context()
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(url + '/', wait_until='load')
                    page.wait_for_selector(ready)
                    elapsed = time.perf_counter() - started
                    if i:  # the first round warms the servers' own caches
                        timings[key].append(elapsed)
                    context.close()
            browser.close()
    finally:
        stop(app)
        stop(base)
    value, baseline = statistics.median(timings['app']), statistics.median(timings['base'])
    ratio = value / baseline
    return Figure(
        'home page load in Chromium', value * 1000, 'ms', '<= 1.5x minimal page', ratio <= 1.5, baseline * 1000, ratio
    )


def memory(clients: int = 100) -> Figure:
    def probe(*args: str) -> dict:
        out = subprocess.run(
            [sys.executable, '-m', 'bench.memory_probe', *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    app = probe('main.py', 'DASHBOARD', str(clients), '--login', 'demo@cop-toolbox.example', DEMO_PASSWORD)
    base = probe(str(MINIMAL), '/', str(clients))
    value = app['per_client'] / 1e6
    return Figure(
        f'server memory per client, dashboard ({clients} clients)',
        value,
        'MB',
        '< 1 MB',
        value < 1.0,
        base['per_client'] / 1e6,
        app['per_client'] / base['per_client'],
        note=f'{app["elements"]} elements per dashboard, {base["elements"]} on the minimal page',
    )


def run() -> list[Figure]:
    figures = [startup(), memory()]
    if Path(CHROMIUM).exists():
        figures.insert(1, page_load())
    return figures
