"""Durable storage: one TinyDB per JSON file, atomic writes, group commit, rolling backups, migrations.

Each file is held in memory by exactly one `Database` (and one TinyDB object) for the life of the process. TinyDB
reads and writes that in-memory dict, so queries cost no disk I/O. Durability comes from `commit()`: it serialises
the dict on the event loop (consistent: nothing else runs meanwhile) and writes it in a worker thread to a temporary
file, fsyncs it, renames it over the old file and fsyncs the folder. Concurrent `commit()` calls share one write
(group commit): a burst of a hundred answers costs one or two fsyncs, and every caller returns only once its own
change is on disk, which is what the UI confirms to the user.

Documents returned by TinyDB share nested objects with the in-memory state: treat them as read-only and write
through the table API.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from . import clock

log = logging.getLogger(__name__)

META_TABLE = '_meta'
ID_PATTERN = re.compile(r'^[0-9a-f]{16}$')

# Current schema version per kind of file, and the migrations that lead there: MIGRATIONS[kind][n] turns the raw
# data of version n into version n + 1 (in place). Version 0 is a file written before versions existed.
SCHEMA_VERSIONS: dict[str, int] = {'accounts': 1, 'community': 2}


def _survey_snapshots(data: dict[str, Any]) -> None:
    """Schema 2: survey rounds have a mode (personal links or an open link) and answers belong to a released
    snapshot or not. Rounds answered before came through an open link. Their answers count as released only where
    the coordinator could already see them all (a closed round at or above its threshold); an open round's answers
    are released by the open-link rule, once it closes."""
    rounds = data.get('survey_rounds') or {}
    answers = data.get('survey_answers') or {}
    counts: dict[Any, int] = {}
    for doc in answers.values():
        counts[doc.get('round')] = counts.get(doc.get('round'), 0) + 1
    seen = set()
    for doc in rounds.values():
        doc.setdefault('mode', 'open')
        if doc.get('status') == 'closed' and counts.get(doc.get('id'), 0) >= int(doc.get('threshold', 10**6)):
            seen.add(doc.get('id'))
    for doc in answers.values():
        doc.pop('id', None)
        doc.pop('day', None)
        doc['released'] = doc.get('round') in seen
    data.setdefault('survey_texts', {})  # so that an export carries the table the open answers go to


MIGRATIONS: dict[str, dict[int, Callable[[dict[str, Any]], None]]] = {
    'accounts': {},
    'community': {1: _survey_snapshots},
}


class StoreError(Exception):
    """Base class of storage problems."""


class DamagedFileError(StoreError):
    """A data file cannot be read. `reason` says why; the file is left untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f'{path.name}: {reason}')
        self.path = path
        self.reason = reason


BACKUP_NAME = re.compile(r'^(\d{4}-\d{2}-\d{2})-(\d{6})\.json$')  # the day it was kept, then a sequence number
LEGACY_BACKUP_NAME = re.compile(r'^\d{8}T\d{12}Z(_.*)?\.json$')  # named by the microsecond before: renamed on sight


@dataclass(frozen=True)
class BackupPolicy:
    keep: int = 5  # versions kept per file
    min_interval: float = 300.0  # seconds between two kept versions, so a burst of writes cannot push out all of them


@dataclass(frozen=True)
class BackupInfo:
    """A kept version. Its name holds the day it was kept and a sequence number, never a time of day: a version
    kept between two survey answers must not date them (the file's modification time is set to that day too)."""

    name: str
    path: Path
    taken: datetime  # midnight (UTC) of the day it was kept
    size: int
    sequence: int


class WriteBarrier:
    """Lets an online backup freeze the data files for a moment: every file change holds it shared, a snapshot holds
    it exclusively (and goes first once it waits, so a stream of writes cannot starve it). Files are only ever
    replaced by rename, so a snapshot is a set of hard links taken while nothing changes: a few milliseconds."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._writers = 0
        self._frozen = False
        self._waiting = 0

    @contextlib.contextmanager
    def shared(self):
        with self._cond:
            self._cond.wait_for(lambda: not self._frozen and not self._waiting)
            self._writers += 1
        try:
            yield
        finally:
            with self._cond:
                self._writers -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def exclusive(self):
        with self._cond:
            self._waiting += 1
            self._cond.wait_for(lambda: not self._frozen and not self._writers)
            self._waiting -= 1
            self._frozen = True
        try:
            yield
        finally:
            with self._cond:
                self._frozen = False
                self._cond.notify_all()


WRITE_BARRIER = WriteBarrier()  # one per process: a snapshot pauses every data-file write for its few milliseconds


class AtomicJSONFile:
    """A JSON file that is only ever replaced whole, never rewritten in place."""

    def __init__(self, path: Path, backup_dir: Path, policy: BackupPolicy) -> None:
        self.path = path
        self.backup_dir = backup_dir
        self.policy = policy
        self._tmp = path.with_name(path.name + '.tmp')
        self._lock = threading.Lock()
        self.last_write: float | None = None  # when this process last wrote the file (for the health check)
        self.write_error: str | None = None  # why the last write failed, None once one succeeds
        self._last_kept: float | None = None  # when this process last kept a version: in memory only
        self._legacy_renamed = False  # old-style backup names exist only from before an upgrade: looked for once

    def read(self) -> dict[str, Any] | None:
        """The file's content, None if it does not exist; DamagedFileError if it is not a JSON object."""
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()  # a leftover of a crash before the rename: the old file is still complete
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise DamagedFileError(self.path, f'cannot be read ({e.strerror})') from e
        return parse_json_object(raw, self.path)

    def write(self, payload: bytes, backup: bool = True) -> None:
        """Replace the file atomically with `payload`, keeping the previous version as a backup when due (and
        `backup`: a write that erases something keeps none, so it pushes no older version out)."""
        with self._lock, WRITE_BARRIER.shared():
            try:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                _write_synced(self._tmp, payload)
                if backup and self.path.exists() and self._backup_due():
                    self._keep_backup()
                os.replace(self._tmp, self.path)
            except OSError as e:
                self.write_error = e.strerror or type(e).__name__
                raise
            fsync_dir(self.path.parent)
            stamp_day(self.path, self.path.parent)  # the file's and folder's times say the day, not the write
            self.last_write, self.write_error = time.time(), None  # in memory only

    # backups ---------------------------------------------------------------------------------------------------

    def backups(self) -> list[BackupInfo]:
        """Kept versions, newest first."""
        if not self.backup_dir.is_dir():
            return []
        if not self._legacy_renamed:
            self._rename_legacy()
            self._legacy_renamed = True
        infos = []
        for p in self.backup_dir.glob('*.json'):
            match = BACKUP_NAME.match(p.name)
            if match is None:
                continue
            with contextlib.suppress(ValueError, OSError):
                taken = datetime.fromisoformat(match.group(1)).replace(tzinfo=UTC)
                infos.append(BackupInfo(p.name, p, taken, p.stat().st_size, int(match.group(2))))
        return sorted(infos, key=lambda b: b.sequence, reverse=True)

    def keep_backup_now(self) -> None:
        """Keep the current version regardless of the interval (before a migration or a restore)."""
        with self._lock, WRITE_BARRIER.shared():
            if self.path.exists():
                self._keep_backup()

    def _backup_due(self) -> bool:
        """A version is kept at most every `min_interval` seconds, timed in memory only. After a restart nothing
        says when the last one was kept except its day: then the first write of a new day keeps one."""
        existing = self.backups()
        if not existing or self.policy.min_interval <= 0:
            return True
        if self._last_kept is None:
            return existing[0].taken.date() != clock.today()
        return time.monotonic() - self._last_kept >= self.policy.min_interval

    def _keep_backup(self) -> None:
        self.backup_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        existing = self.backups()
        sequence = existing[0].sequence + 1 if existing else 1
        target = self.backup_dir / f'{clock.today().isoformat()}-{sequence:06d}.json'
        try:
            os.link(self.path, target)  # the current inode is about to be replaced: a hard link keeps it for free
        except OSError:
            shutil.copyfile(self.path, target)
        self._last_kept = time.monotonic()
        for old in existing[self.policy.keep - 1 :]:
            with contextlib.suppress(OSError):
                old.path.unlink()
        fsync_dir(self.backup_dir)
        stamp_day(target, self.backup_dir)

    def _rename_legacy(self) -> None:
        """Backups named by earlier versions after the microsecond they were kept get a name without the time."""
        legacy = sorted(p for p in self.backup_dir.glob('*.json') if LEGACY_BACKUP_NAME.match(p.name))
        if not legacy:
            return
        numbers = [int(m.group(2)) for p in self.backup_dir.glob('*.json') if (m := BACKUP_NAME.match(p.name))]
        sequence = max(numbers, default=0)
        for p in legacy:
            sequence += 1
            day = f'{p.name[0:4]}-{p.name[4:6]}-{p.name[6:8]}'
            target = p.with_name(f'{day}-{sequence:06d}.json')
            with contextlib.suppress(OSError):
                os.replace(p, target)
                stamp_day(target, date=date.fromisoformat(day))
        stamp_day(self.backup_dir)

    def rewrite_backups(self, change: Callable[[dict[str, Any]], bool]) -> int:
        """Apply `change` to every kept version and rewrite (atomically, under the same name and day) those it
        changed: how a withdrawn survey answer leaves every backup while the rest of each backup stays. Returns the
        number of versions rewritten. A version that cannot be read is left as it is."""
        rewritten = 0
        with self._lock, WRITE_BARRIER.shared():
            for info in self.backups():
                try:
                    data = parse_json_object(info.path.read_bytes(), info.path)
                except (DamagedFileError, OSError):
                    continue
                if not change(data):
                    continue
                payload = json.dumps(data, ensure_ascii=False, separators=(',', ':')).encode('utf-8')
                tmp = info.path.with_name(info.path.name + '.tmp')
                _write_synced(tmp, payload)
                os.replace(tmp, info.path)  # a new inode: the old one, with the answer, is released
                stamp_day(info.path, date=info.taken.date())
                rewritten += 1
            if rewritten:
                fsync_dir(self.backup_dir)
                stamp_day(self.backup_dir)
        return rewritten

    def restore(self, backup_name: str) -> None:
        """Put a kept version back in place (validated first). The replaced file is kept as a backup too."""
        source = self.backup_dir / Path(backup_name).name
        payload = source.read_bytes()
        parse_json_object(payload, source)
        with self._lock, WRITE_BARRIER.shared():
            if self.path.exists():
                self._keep_backup()
            _write_synced(self._tmp, payload)
            os.replace(self._tmp, self.path)
            fsync_dir(self.path.parent)
            stamp_day(self.path, self.path.parent)

    def drop_backups(self) -> None:
        """Delete every kept version, so that data just erased from the file is gone from the disk as well."""
        with self._lock, WRITE_BARRIER.shared():
            shutil.rmtree(self.backup_dir, ignore_errors=True)
            fsync_dir(self.backup_dir.parent)

    def erase(self) -> None:
        """Delete the file, its temporary file and every backup."""
        with self._lock, WRITE_BARRIER.shared():
            for p in (self.path, self._tmp):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()
            shutil.rmtree(self.backup_dir, ignore_errors=True)
            fsync_dir(self.path.parent)


def parse_json_object(raw: bytes, path: Path) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode('utf-8'))
    except UnicodeDecodeError as e:
        raise DamagedFileError(path, 'is not UTF-8 text') from e
    except json.JSONDecodeError as e:
        raise DamagedFileError(path, f'is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})') from e
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DamagedFileError(path, 'does not have the structure of a data file')
    return data


def _write_synced(path: Path, payload: bytes) -> None:
    """Write a new file readable by the owner only, and force it to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'wb') as f:
        f.write(payload)
        f.flush()
        os.fsync(f.fileno())


def stamp_day(*paths: Path, date: date | None = None) -> None:
    """Set the access and modification times of these files or folders to midnight (UTC) of `date` (today), so
    that no time of day set by the application can date a write. The inode change time cannot be set this way."""
    midnight = datetime.combine(date or clock.today(), datetime.min.time(), tzinfo=UTC).timestamp()
    for path in paths:
        with contextlib.suppress(OSError):
            os.utime(path, (midnight, midnight))


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _MemoryStorage(Storage):
    """TinyDB storage over the in-memory dict of a `Database`: every write marks it dirty."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def read(self) -> dict[str, Any] | None:
        return self._database._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._database._data = data
        self._database._changed()


class Database:
    """One data file: its TinyDB, its durability and its schema version."""

    def __init__(self, path: Path, kind: str, backup_dir: Path, policy: BackupPolicy) -> None:
        self.path = path
        self.kind = kind
        self.file = AtomicJSONFile(path, backup_dir, policy)
        data = self.file.read()
        created = data is None
        self._data: dict[str, Any] = data or {}
        self._version = 0  # bumped on every change
        self._durable = 0  # the version known to be on disk
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        migrated = self._migrate()
        self.tinydb = TinyDB(storage=_MemoryStorage, database=self)
        if created or migrated:
            self._changed()
            self.flush()

    def table(self, name: str) -> Table:
        return self.tinydb.table(name)

    @property
    def schema_version(self) -> int:
        meta = self._data.get(META_TABLE, {}).get('1', {})
        return int(meta.get('schema', 0))

    @property
    def dirty(self) -> bool:
        return self._version != self._durable

    def _changed(self) -> None:
        self._version += 1

    def _snapshot(self) -> tuple[int, bytes]:
        return self._version, json.dumps(self._data, ensure_ascii=False, separators=(',', ':')).encode('utf-8')

    def flush(self) -> None:
        """Write synchronously if anything changed (start-up, shutdown, scripts)."""
        if not self.dirty:
            return
        version, payload = self._snapshot()
        self.file.write(payload)
        self._durable = max(self._durable, version)

    async def commit(self, backup: bool = True) -> None:
        """Return once every change made before this call is on disk. Concurrent calls share writes. `backup`
        False: this write keeps no backup (an erasure, whose previous version must not become a new backup)."""
        target = self._version
        if self._durable >= target:
            return
        async with self._get_lock():
            if self._durable >= target:
                return  # another caller's write already carried this change
            version, payload = self._snapshot()
            if backup:
                await asyncio.to_thread(self.file.write, payload)
            else:
                await asyncio.to_thread(self.file.write, payload, False)
            self._durable = max(self._durable, version)

    def drop_backups(self) -> None:
        """Delete this file's kept versions (after erasing something that must not come back with a restore).
        Call it after the commit that erased it: that write may itself have kept the previous version."""
        self.file.drop_backups()

    def rewrite_backups(self, change: Callable[[dict[str, Any]], bool]) -> int:
        """Apply `change` to the raw data of every kept version, rewriting those it changed (see AtomicJSONFile).
        Call it after the commit that made the same change to the file itself."""
        return self.file.rewrite_backups(change)

    def _get_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    def _migrate(self) -> bool:
        current = SCHEMA_VERSIONS[self.kind]
        meta = self._data.get(META_TABLE, {}).get('1')
        if meta is not None and meta.get('kind') not in (None, self.kind):
            raise DamagedFileError(self.path, f'holds {meta.get("kind")!r} data, not {self.kind!r}')
        version = int((meta or {}).get('schema', 0)) if self._data else current
        if version > current:
            raise DamagedFileError(self.path, f'was written by a newer version of the application (schema {version})')
        if version == current and meta is not None:
            return False
        if self._data:
            self.file.keep_backup_now()
        for step in range(version, current):
            migration = MIGRATIONS[self.kind].get(step)
            if migration is not None:
                log.info('migrating %s from schema %d to %d', self.path.name, step, step + 1)
                migration(self._data)
        self._data[META_TABLE] = {'1': {'schema': current, 'kind': self.kind}}
        return True


class Store:
    """The registry of open data files: exactly one Database (and TinyDB) per file in the process."""

    def __init__(self, data_dir: Path, policy: BackupPolicy | None = None) -> None:
        self.data_dir = data_dir
        self.policy = policy or BackupPolicy()
        self.communities_dir = data_dir / 'communities'
        self.backups_dir = data_dir / 'backups'
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.communities_dir.mkdir(mode=0o700, exist_ok=True)
        self.accounts = Database(data_dir / 'accounts.json', 'accounts', self.backups_dir / 'accounts', self.policy)
        self._open: dict[str, Database] = {}
        self.damaged: set[str] = set()  # names of data files found unreadable (for the health check)

    def _community_file(self, cid: str) -> AtomicJSONFile:
        return AtomicJSONFile(
            self.communities_dir / f'{_check_id(cid)}.json', self.backups_dir / f'c-{cid}', self.policy
        )

    def community_exists(self, cid: str) -> bool:
        return cid in self._open or self._community_file(cid).path.exists()

    def community(self, cid: str) -> Database:
        """The open Database of a community; DamagedFileError if its file cannot be read, KeyError if absent."""
        db = self._open.get(_check_id(cid))
        if db is not None:
            return db
        file = self._community_file(cid)
        if not file.path.exists():
            raise KeyError(cid)
        try:
            db = Database(file.path, 'community', file.backup_dir, self.policy)
        except DamagedFileError:
            self.damaged.add(file.path.name)
            raise
        self.damaged.discard(file.path.name)
        self._open[cid] = db
        return db

    def create_community(self, cid: str) -> Database:
        file = self._community_file(cid)
        if cid in self._open or file.path.exists():
            raise StoreError(f'community {cid} exists already')
        db = Database(file.path, 'community', file.backup_dir, self.policy)
        self._open[cid] = db
        return db

    def community_backups(self, cid: str) -> list[BackupInfo]:
        return self._community_file(cid).backups()

    def restore_community(self, cid: str, backup_name: str) -> Database:
        """Replace a community's file by a kept version and reopen it."""
        self._open.pop(cid, None)
        self._community_file(cid).restore(backup_name)
        return self.community(cid)

    def erase_community(self, cid: str) -> None:
        """Delete the community's file and all its backups: nothing of it stays on disk."""
        self._open.pop(cid, None)
        self._community_file(cid).erase()
        self.damaged.discard(f'{cid}.json')

    def open_databases(self) -> list[Database]:
        return [self.accounts, *self._open.values()]

    def flush_all(self) -> None:
        for db in self.open_databases():
            try:
                db.flush()
            except OSError:
                log.exception('could not write %s', db.path.name)


def _check_id(cid: str) -> str:
    if not ID_PATTERN.fullmatch(cid):
        raise KeyError(cid)
    return cid
