"""The one server process of a data folder: a lock that keeps a second process out (TinyDB is single-process), and a
run file that tells the operator's commands how to reach the server.

The run file `.server.json` (owner-only, like the whole folder) holds the server's address and a random key made at
each start. The `backup` command, run by whoever can read the data folder, presents that key to the server's admin
endpoint: reading the folder already gives access to all the data, so the key grants nothing more. Remote callers
(a backup system pulling over HTTPS) use the operator's `--admin-token` instead.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LOCK_FILE = '.lock'
RUN_FILE = '.server.json'


class FolderInUse(Exception):
    """Another process holds the data folder."""


@dataclass
class Instance:
    data_dir: Path
    fd: int
    key: str = ''

    def announce(self, url: str) -> None:
        """Write the run file once the address is known."""
        self.key = secrets.token_urlsafe(32)
        path, tmp = self.data_dir / RUN_FILE, self.data_dir / (RUN_FILE + '.tmp')
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            json.dump({'pid': os.getpid(), 'url': url, 'key': self.key}, f)
        os.replace(tmp, path)

    def release(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.data_dir / RUN_FILE).unlink()
        with contextlib.suppress(OSError):
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)


def hold(data_dir: Path) -> Instance:
    """Take the folder's lock for the life of this process; FolderInUse if another process has it."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        running = server_of(data_dir)
        who = f' (process {running["pid"]})' if running else ''
        raise FolderInUse(f'another process{who} is using the data folder {data_dir}') from None
    return Instance(data_dir, fd)


@contextlib.contextmanager
def held_or_running(data_dir: Path) -> Iterator[Instance | None]:
    """The folder's lock for the duration of a command (None while a server holds it)."""
    try:
        instance = hold(data_dir)
    except FolderInUse:
        yield None
        return
    try:
        yield instance
    finally:
        instance.release()


def server_of(data_dir: Path) -> dict | None:
    """The run file of the server holding the folder, None when it cannot be read."""
    try:
        info = json.loads((data_dir / RUN_FILE).read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and {'url', 'key'} <= info.keys() else None
