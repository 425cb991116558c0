"""The health check a load balancer or a monitoring system polls: cheap, and revealing no personal data.

It reads only what the store already knows (the last successful write, the last failed one, the files found
damaged) plus a tiny write probe in the data folder, done at most every few seconds. The time of the last write is
rounded down to the minute: a health check is public, and a precise time could date the last survey answer.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .store import Store

PROBE = '.health-probe'
PROBE_EVERY = 5.0  # seconds between two disk probes, however often the check is polled


@dataclass(frozen=True)
class FolderState:
    readable: bool
    writable: bool


def probe(data_dir: Path) -> FolderState:
    """Can the process list the folder, and create, write and delete a file in it (a full disk or a read-only
    mount fails here)? No fsync: this must stay cheap."""
    readable = os.access(data_dir, os.R_OK | os.X_OK)
    writable = False
    path = data_dir / PROBE
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            writable = os.write(fd, b'ok') == 2
        finally:
            os.close(fd)
            path.unlink()
    return FolderState(readable, writable)


class HealthCheck:
    def __init__(self, store: Store, version: str, clock=time.monotonic) -> None:
        self.store = store
        self.version = version
        self._clock = clock
        self._probed: tuple[float, FolderState] | None = None
        self._lock = threading.Lock()
        self._before_start = _newest_write(store.data_dir)  # so a restart does not look like a silent store

    def folder(self) -> FolderState:
        with self._lock:
            now = self._clock()
            if self._probed is None or now - self._probed[0] >= PROBE_EVERY:
                self._probed = (now, probe(self.store.data_dir))
            return self._probed[1]

    def report(self, folder: FolderState | None = None) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body): 503 when the store cannot write. Call it on the event loop (it reads the store's
        registry); `folder` is the probe's result, taken beforehand in a worker thread by an async caller."""
        folder = folder or self.folder()
        files = [db.file for db in self.store.open_databases()]
        failing = sum(1 for f in files if f.write_error is not None)
        last = max((f.last_write for f in files if f.last_write is not None), default=self._before_start)
        ok = folder.readable and folder.writable and not failing
        body = {
            'status': 'ok' if ok else 'failing',
            'version': self.version,
            'data_folder': {'readable': folder.readable, 'writable': folder.writable},
            'failing_files': failing,
            'damaged_files': len(self.store.damaged),
            'last_write': _minute(last),
        }
        return (200 if ok else 503), body


def _newest_write(data_dir: Path) -> float | None:
    times = []
    for path in [data_dir / 'accounts.json', *(data_dir / 'communities').glob('*.json')]:
        with contextlib.suppress(OSError):
            times.append(path.stat().st_mtime)
    return max(times, default=None)


def _minute(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).strftime('%Y-%m-%dT%H:%MZ')
