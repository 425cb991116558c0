"""Server memory per connected client, measured in a fresh process with NiceGUI's simulated users.

    python -m bench.memory_probe MAIN_FILE PATH N [--login EMAIL PASSWORD]

Prints JSON: resident memory before and after N more clients opened PATH, and the difference per client.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import tempfile
from pathlib import Path


def rss_bytes() -> int:
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) * 1024
    raise RuntimeError('no VmRSS')


async def probe(main_file: str, path: str, n: int, login: tuple[str, str] | None) -> dict:
    import httpx
    from nicegui import app, core
    from nicegui.testing.user import User
    from nicegui.testing.user_simulation import user_simulation

    async with user_simulation(main_file=main_file) as first:
        if login:
            from core import demo

            await demo.seed(app.state.services, login[1])
            await first.open('/login')
            first.find(marker='login-email').type(login[0])
            first.find(marker='login-password').type(login[1])
            first.find(marker='login-submit').click()
            for _ in range(100):
                if len(first.back_history) > 1:
                    break
                await asyncio.sleep(0.05)
            if path == 'DASHBOARD':
                cid = app.state.services.communities.memberships(app.state.services.accounts.by_email(login[0]).id)[
                    0
                ].community_id
                path = f'/c/{cid}'
        users = [
            User(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(core.app), base_url='http://test', cookies=first.http_client.cookies
                )
            )
            for _ in range(n + 1)
        ]
        await users[0].open(path)  # warm-up: first-use caches are not per-client memory
        await asyncio.sleep(0.2)
        gc.collect()
        before = rss_bytes()
        for user in users[1:]:
            await user.open(path)
        await asyncio.sleep(0.5)
        gc.collect()
        after = rss_bytes()
        elements = len(users[-1].client.elements)
        return {
            'before': before,
            'after': after,
            'per_client': (after - before) / n,
            'elements': elements,
            'path': path,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('main_file')
    parser.add_argument('path')
    parser.add_argument('n', type=int)
    parser.add_argument('--login', nargs=2)
    args = parser.parse_args()
    os.environ.setdefault('COP_DATA_DIR', tempfile.mkdtemp(prefix='cop-bench-'))
    os.environ['NICEGUI_STORAGE_PATH'] = tempfile.mkdtemp(prefix='cop-bench-sessions-')
    # NiceGUI's user simulation is made for pytest and, outside it, would start its script mode on reset
    os.environ['PYTEST_CURRENT_TEST'] = 'bench'
    sys.path.insert(0, str(Path(args.main_file).resolve().parent))
    result = asyncio.run(probe(args.main_file, args.path, args.n, tuple(args.login) if args.login else None))
    print(json.dumps(result))


if __name__ == '__main__':
    main()
