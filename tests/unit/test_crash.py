"""kill -9 during a burst of writes: every file stays readable and no confirmed write is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from core.store import BackupPolicy, Store

ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent("""
    import asyncio, sys
    sys.path.insert(0, sys.argv[2])
    from core.store import BackupPolicy, Store

    async def main():
        store = Store(__import__('pathlib').Path(sys.argv[1]), BackupPolicy(keep=3, min_interval=0))
        dbs = [store.create_community(f'{i:016x}') for i in range(3)]

        async def writer(w):
            n = 0
            while True:
                db = dbs[n % 3]
                db.table('answers').insert({'writer': w, 'n': n, 'text': 'x' * 200})
                await db.commit()
                print(f'ack {db.path.stem} {w} {n}', flush=True)   # confirmed to the "user" only now
                n += 1

        await asyncio.gather(*(writer(w) for w in range(20)))

    asyncio.run(main())
""")


def test_kill_9_during_burst_loses_no_acknowledged_write(tmp_path):
    script = tmp_path / 'writer.py'
    script.write_text(WRITER)
    data = tmp_path / 'data'
    proc = subprocess.Popen([sys.executable, str(script), str(data), str(ROOT)], stdout=subprocess.PIPE, text=True)
    acked: list[tuple[str, int, int]] = []
    deadline = time.monotonic() + 30
    while len(acked) < 1500 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        _, cid, w, n = line.split()
        acked.append((cid, int(w), int(n)))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert len(acked) >= 300, 'the writer did not get going'

    for path in (data / 'communities').glob('*.json'):
        json.loads(path.read_text())  # every file is complete JSON
    store = Store(data, BackupPolicy())
    stored = set()
    for cid in {a[0] for a in acked}:
        for doc in store.community(cid).table('answers').all():
            stored.add((cid, doc['writer'], doc['n']))
    missing = [a for a in acked if a not in stored]
    assert not missing, f'{len(missing)} acknowledged writes lost, e.g. {missing[:3]}'
