"""Durable storage: one TinyDB per data file, atomic writes, group commit, rolling backups, migrations.

Each data file is held in memory by exactly one `Database` (and one TinyDB object) for the life of the process.
TinyDB reads and writes that in-memory dict, so queries cost no disk I/O. Durability comes from `commit()`: every
caller returns only once its own change is on disk, which is what the UI confirms to the user, and concurrent calls
share one write (group commit): a burst of a hundred answers costs one or two fsyncs.

Layout (schema 3): a write costs what it changes, not what the community has gathered over the years. The bulky,
append-mostly tables (`PARTITIONED`: survey and feedback answers, personal links, imported open answers) are split
by round: each round's part is a table of its own in memory and a file of its own on disk, in a folder beside the
main file (`communities/<id>/`). The main file (`communities/<id>.json`) holds every other table and a manifest
naming the part files. A commit serialises only the tables changed since the last one (the main file is put together
from cached pieces), writes each changed part to a new file under a new random name, then replaces the main file by
rename: that rename is the one commit point, so the files on disk are always one consistent version, and a hard link
to the main file and its parts keeps that version (a kept backup costs no copying). Parts are serialised off the
event loop, document by document, from shallow copies taken on it: the loop never waits for a big round.

Documents returned by TinyDB share nested objects with the in-memory state: treat them as read-only and write
through the table API.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
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
from tinydb.table import Document, Table

from . import clock

log = logging.getLogger(__name__)

META_TABLE = '_meta'
ID_PATTERN = re.compile(r'^[0-9a-f]{16}$')

# Current schema version per kind of file, and the migrations that lead there: MIGRATIONS[kind][n] turns the raw
# data of version n into version n + 1 (in place). Version 0 is a file written before versions existed.
SCHEMA_VERSIONS: dict[str, int] = {'accounts': 1, 'community': 3}

# The bulky, append-mostly tables of a community (core/survey.py), and the field they are split by: each round's
# documents are a table `<name>@<round>` in memory and a file of their own on disk. `db.table(name)` is a view of all
# of them together; `db.partition(name, round)` is one round's table (what the hot paths use: cost of one round).
PARTITIONED: dict[str, str] = {'survey_answers': 'round', 'survey_codes': 'round', 'survey_texts': 'round'}
PART_SEP = '@'
SEGMENTS = '_segments'  # in the main file: {"1": {partition table: its file in the parts folder}}
SAFE_KEY = re.compile(r'^[A-Za-z0-9_-]{1,64}$')


def partition_name(table: str, key: Any) -> str:
    return f'{table}{PART_SEP}{key if isinstance(key, str) else ""}'


def logical_name(name: str) -> str:
    return name.split(PART_SEP, 1)[0]


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


def _split_by_round(data: dict[str, Any]) -> None:
    """Schema 3: the bulky tables are split by round (see PARTITIONED). The logical table stays as an empty
    placeholder, so that a community that had it still exports it."""
    for name, field in PARTITIONED.items():
        table = data.get(name)
        if not isinstance(table, dict):
            continue
        data[name] = {}
        for doc_id, doc in table.items():
            key = doc.get(field) if isinstance(doc, dict) else None
            data.setdefault(partition_name(name, key), {})[doc_id] = doc


MIGRATIONS: dict[str, dict[int, Callable[[dict[str, Any]], None]]] = {
    'accounts': {},
    'community': {1: _survey_snapshots, 2: _split_by_round},
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
    """A data file that is only ever replaced whole, never rewritten in place, with its parts (see the module
    docstring): `parts_dir` holds one file per partition table, each written once under a random name and never
    changed, and the main file's manifest says which of them belong to the current version."""

    def __init__(self, path: Path, backup_dir: Path, policy: BackupPolicy) -> None:
        self.path = path
        self.backup_dir = backup_dir
        self.policy = policy
        self.parts_dir = path.with_suffix('')
        self._tmp = path.with_name(path.name + '.tmp')
        self._lock = threading.Lock()
        self.manifest: dict[str, str] = {}  # the parts of the version on disk: partition table -> file name
        self.last_write: float | None = None  # when this process last wrote the file (for the health check)
        self.write_error: str | None = None  # why the last write failed, None once one succeeds
        self.last_bytes = 0  # bytes written by the last write (main file and changed parts): what a change costs
        self._last_kept: float | None = None  # when this process last kept a version: in memory only
        self._legacy_renamed = False  # old-style backup names exist only from before an upgrade: looked for once

    def read(self) -> dict[str, Any] | None:
        """The file's content with its parts, None if it does not exist; DamagedFileError if the file or one of its
        parts is not a JSON object. Part files of no version (left by a crash before or after the commit point)
        are removed."""
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()  # a leftover of a crash before the rename: the old file is still complete
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise DamagedFileError(self.path, f'cannot be read ({e.strerror})') from e
        data = parse_json_object(raw, self.path)
        self.manifest = _manifest(data, self.path)
        load_parts(data, self.manifest, self.parts_dir, self.path)
        self._remove_orphans()
        return data

    def _remove_orphans(self) -> None:
        if not self.parts_dir.is_dir():
            return
        wanted = set(self.manifest.values())
        for p in self.parts_dir.iterdir():
            if p.name not in wanted:
                with contextlib.suppress(OSError):
                    p.unlink()

    def write(self, payload: bytes, backup: bool = True, parts: dict[str, bytes | None] | None = None) -> None:
        """Replace the file atomically with `payload` (a JSON object without the manifest), after writing the
        changed `parts` (partition table -> its content, None: gone), keeping the previous version as a backup when
        due (and `backup`: a write that erases something keeps none, so it pushes no older version out)."""
        parts = parts or {}
        with self._lock, WRITE_BARRIER.shared():
            written: list[str] = []
            try:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                manifest = dict(self.manifest)
                for name, body in parts.items():
                    manifest.pop(name, None)
                    if body is not None:
                        self.parts_dir.mkdir(mode=0o700, exist_ok=True)
                        file = f'{_safe_part(name)}.{secrets.token_hex(6)}.json'
                        written.append(file)
                        _write_part(self.parts_dir / file, body)
                        manifest[name] = file
                if written:
                    fsync_dir(self.parts_dir)
                full = with_manifest(payload, manifest)
                _write_synced(self._tmp, full)
                if backup and self.path.exists() and self._backup_due():
                    self._keep_backup()
                os.replace(self._tmp, self.path)
            except OSError as e:
                for file in written:  # of no version: the old main file still names the old parts
                    for leftover in (file, f'{file}.tmp'):
                        with contextlib.suppress(OSError):
                            (self.parts_dir / leftover).unlink()
                self.write_error = e.strerror or type(e).__name__
                raise
            fsync_dir(self.path.parent)
            self._drop_superseded(manifest, written)
            stamp_day(self.path, self.path.parent)  # the file's and folder's times say the day, not the write
            self.last_bytes = len(full) + sum(len(b) for b in parts.values() if b is not None)
            self.last_write, self.write_error = time.time(), None  # in memory only

    def _drop_superseded(self, manifest: dict[str, str], written: list[str]) -> None:
        old = set(self.manifest.values()) - set(manifest.values())
        self.manifest = manifest
        for file in old:
            with contextlib.suppress(OSError):
                (self.parts_dir / file).unlink()  # a kept version holds its own link
        if old or written:
            fsync_dir(self.parts_dir)
            stamp_day(*(self.parts_dir / f for f in written), self.parts_dir)

    # backups ---------------------------------------------------------------------------------------------------

    def backups(self) -> list[BackupInfo]:
        """Kept versions, newest first. A version is `<day>-<sequence>.json` (a link to the main file of that
        time) and, if it had parts, the folder `<day>-<sequence>/` of links to them."""
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

    def read_version(self, info: BackupInfo) -> dict[str, Any]:
        """A kept version's whole content (main file and parts); DamagedFileError if any of it cannot be read."""
        data = parse_json_object(info.path.read_bytes(), info.path)
        load_parts(data, _manifest(data, info.path), info.path.with_suffix(''), info.path)
        return data

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
        with contextlib.suppress(DamagedFileError, OSError):  # the parts of the version on disk, read from it
            manifest = _manifest(parse_json_object(self.path.read_bytes(), self.path), self.path)
            if manifest:
                folder = target.with_suffix('')
                folder.mkdir(mode=0o700, exist_ok=True)
                for file in manifest.values():
                    _link_or_copy(self.parts_dir / file, folder / file)
                fsync_dir(folder)
                stamp_day(*(folder / f for f in manifest.values()), folder)
        _link_or_copy(self.path, target)  # the current inode is about to be replaced: a hard link keeps it for free
        self._last_kept = time.monotonic()
        for old in existing[self.policy.keep - 1 :]:
            with contextlib.suppress(OSError):
                old.path.unlink()
            shutil.rmtree(old.path.with_suffix(''), ignore_errors=True)
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
        """Apply `change` to every kept version (its whole content, parts included) and rewrite those it changed:
        how a withdrawn survey answer leaves every backup while the rest of each backup stays. Only the files whose
        content changed are written again, as new files (a link shared with the live data or another version is
        never written through). Returns the number of versions rewritten. A version that cannot be read is left as
        it is."""
        rewritten = 0
        with self._lock, WRITE_BARRIER.shared():
            for info in self.backups():
                try:
                    if _rewrite_version(info, change):
                        rewritten += 1
                except (DamagedFileError, OSError):
                    continue
            if rewritten:
                fsync_dir(self.backup_dir)
                stamp_day(self.backup_dir)
        return rewritten

    def restore(self, backup_name: str) -> None:
        """Put a kept version back in place (validated first). The replaced version is kept as a backup too."""
        source = self.backup_dir / Path(backup_name).name
        payload = source.read_bytes()
        data = parse_json_object(payload, source)
        manifest = _manifest(data, source)
        load_parts(dict(data), manifest, source.with_suffix(''), source)  # every part is there and readable
        with self._lock, WRITE_BARRIER.shared():
            if self.path.exists():
                self._keep_backup()
            if manifest:
                self.parts_dir.mkdir(mode=0o700, exist_ok=True)
                for file in manifest.values():
                    if not (self.parts_dir / file).exists():
                        _link_or_copy(source.with_suffix('') / file, self.parts_dir / file)
                fsync_dir(self.parts_dir)
            _write_synced(self._tmp, payload)
            os.replace(self._tmp, self.path)
            fsync_dir(self.path.parent)
            stamp_day(self.path, self.path.parent)
            self.manifest = manifest

    def drop_backups(self) -> None:
        """Delete every kept version, so that data just erased from the file is gone from the disk as well."""
        with self._lock, WRITE_BARRIER.shared():
            shutil.rmtree(self.backup_dir, ignore_errors=True)
            fsync_dir(self.backup_dir.parent)

    def erase(self) -> None:
        """Delete the file, its parts, its temporary file and every backup."""
        with self._lock, WRITE_BARRIER.shared():
            for p in (self.path, self._tmp):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()
            shutil.rmtree(self.parts_dir, ignore_errors=True)
            shutil.rmtree(self.backup_dir, ignore_errors=True)
            fsync_dir(self.path.parent)
            self.manifest = {}


def _rewrite_version(info: BackupInfo, change: Callable[[dict[str, Any]], bool]) -> bool:
    raw = info.path.read_bytes()
    data = parse_json_object(raw, info.path)
    manifest = _manifest(data, info.path)
    folder = info.path.with_suffix('')
    before = load_parts(data, manifest, folder, info.path)
    if not change(data):
        return False
    new_manifest = dict(manifest)
    for name in [n for n in data if PART_SEP in n]:
        body = part_payload(name, data[name].items())
        if before.get(name) == body:
            continue
        file = f'{_safe_part(name)}.{secrets.token_hex(6)}.json'
        _write_part(folder / file, body)
        stamp_day(folder / file, date=info.taken.date())
        new_manifest[name] = file
    for name in [n for n in manifest if n not in data]:
        new_manifest.pop(name)
    main = {n: t for n, t in data.items() if PART_SEP not in n}
    payload = with_manifest(dump(main), new_manifest)
    tmp = info.path.with_name(info.path.name + '.tmp')
    _write_synced(tmp, payload)
    os.replace(tmp, info.path)  # a new inode: the old one, with the answer, is released
    stamp_day(info.path, date=info.taken.date())
    for file in set(manifest.values()) - set(new_manifest.values()):
        with contextlib.suppress(OSError):
            (folder / file).unlink()
    if manifest or new_manifest:
        fsync_dir(folder)
        stamp_day(folder, date=info.taken.date())
    return True


def _manifest(data: dict[str, Any], path: Path) -> dict[str, str]:
    """Take the parts manifest out of a main file's data (checked: names and plain file names only)."""
    manifest = data.pop(SEGMENTS, {}).get('1', {})
    if not isinstance(manifest, dict) or not all(
        isinstance(k, str) and PART_SEP in k and isinstance(v, str) and v == Path(v).name and v.endswith('.json')
        for k, v in manifest.items()
    ):
        raise DamagedFileError(path, 'has a damaged list of its parts')
    return manifest


def load_parts(data: dict[str, Any], manifest: dict[str, str], folder: Path, main: Path) -> dict[str, bytes]:
    """Read the parts named by `manifest` into `data`; returns their raw content. DamagedFileError (about the main
    file, which is what the damaged-file flow offers to restore) if one is missing or unreadable."""
    raws = {}
    for name, file in manifest.items():
        try:
            raw = (folder / file).read_bytes()
        except OSError as e:
            raise DamagedFileError(main, f'has lost its part {file} ({e.strerror})') from e
        try:
            part = parse_json_object(raw, folder / file)
        except DamagedFileError as e:
            raise DamagedFileError(main, f'has a damaged part {file}: {e.reason}') from e
        data[name] = part.get(name, {})
        raws[name] = raw
    return raws


def with_manifest(payload: bytes, manifest: dict[str, str]) -> bytes:
    """The main file: its tables, and the manifest of its parts if it has any."""
    if not manifest:
        return payload
    entry = b'"' + SEGMENTS.encode() + b'":' + dump({'1': dict(sorted(manifest.items()))})
    return payload[:-1] + (b',' if payload != b'{}' else b'') + entry + b'}'


def dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(',', ':')).encode('utf-8')


def _doc_order(item: tuple[Any, Any]) -> tuple[int, int, str]:
    key = str(item[0])
    return (0, int(key), '') if key.isdigit() else (1, 0, key)


def part_payload(name: str, docs: Any) -> bytes:
    """A part file: one table, its documents sorted by id (random ids: storage order is no arrival order), each
    serialised on its own, so that a worker thread doing this lets the event loop in between documents."""
    body = b','.join(dump(str(k)) + b':' + dump(d) for k, d in sorted(docs, key=_doc_order))
    return b'{' + dump(name) + b':{' + body + b'}}'


def _safe_part(name: str) -> str:
    table, _, key = name.partition(PART_SEP)
    if not SAFE_KEY.fullmatch(key):
        key = 'h' + hashlib.sha256(key.encode()).hexdigest()[:16]
    return f'{table}{PART_SEP}{key}'


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileExistsError:
        pass
    except OSError:
        shutil.copyfile(source, target)


def read_whole(path: Path) -> dict[str, Any]:
    """A data file's whole content as stored: its tables, and each partitioned table put together from its parts
    (for tests, tools and a look at the disk; the store itself keeps the parts apart)."""
    data = parse_json_object(path.read_bytes(), path)
    load_parts(data, _manifest(data, path), path.with_suffix(''), path)
    for name in [n for n in data if PART_SEP in n]:
        data.setdefault(logical_name(name), {}).update(data.pop(name))
    return data


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


def _write_part(path: Path, payload: bytes) -> None:
    """A new part file: written and forced to disk under a temporary name, then renamed, so that a crash never leaves
    an empty or half-written file under a part's name (one of no version: removed on the next read)."""
    staging = path.with_name(f'{path.name}.tmp')
    _write_synced(staging, payload)
    os.replace(staging, path)


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


class _Table(Table):
    """A TinyDB table that tells its Database which table a write changed: a commit serialises only those."""

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        self._storage._database._touched.add(self.name)
        super()._update_table(updater)


class _TinyDB(TinyDB):
    table_class = _Table

    def table(self, name: str, **kwargs: Any) -> Any:
        field = self.storage._database.partitioned.get(name)
        if field is not None:
            return PartitionedTable(self, name, field)
        return super().table(name, **kwargs)

    def tables(self) -> set[str]:
        """The logical tables: the parts of a partitioned table count as that one table."""
        return {logical_name(name) for name in self.storage.read() or {}}

    def drop_table(self, name: str) -> None:
        self.storage._database._touched.add(name)
        super().drop_table(name)

    def drop_tables(self) -> None:
        self.storage._database._touched.update(self.storage.read() or {})
        super().drop_tables()


class PartitionedTable:
    """All parts of a partitioned table together, with the part of TinyDB's table API the services use. Reads
    and writes through it cost the whole table (exports, erasure, retention: rare); the hot paths take one round's
    part with `Database.partition`. Documents inserted here get random ids (no arrival order) and go to the part of
    their round."""

    def __init__(self, tinydb: _TinyDB, name: str, field: str) -> None:
        self._tinydb = tinydb
        self.name = name
        self.field = field

    def partition(self, key: Any) -> Table:
        return self._tinydb.table(partition_name(self.name, key))

    def _parts(self) -> list[Table]:
        prefix = self.name + PART_SEP
        return [self._tinydb.table(n) for n in list(self._tinydb.storage.read() or {}) if n.startswith(prefix)]

    def all(self) -> list[Document]:
        return [doc for part in self._parts() for doc in part.all()]

    def __iter__(self):
        return iter(self.all())

    def __len__(self) -> int:
        return sum(len(part) for part in self._parts())

    def search(self, cond: Any) -> list[Document]:
        return [doc for part in self._parts() for doc in part.search(cond)]

    def count(self, cond: Any) -> int:
        return sum(part.count(cond) for part in self._parts())

    def get(self, cond: Any = None, doc_id: int | None = None, doc_ids: list[int] | None = None) -> Any:
        if doc_ids is not None:
            return [doc for part in self._parts() for doc in part.get(doc_ids=doc_ids) or []]
        for part in self._parts():
            doc = part.get(cond, doc_id)
            if doc is not None:
                return doc
        return None

    def contains(self, cond: Any = None, doc_id: int | None = None) -> bool:
        return any(part.contains(cond, doc_id) for part in self._parts())

    def insert(self, document: dict[str, Any]) -> int:
        return self.insert_multiple([document])[0]

    def insert_multiple(self, documents: Any) -> list[int]:
        groups: dict[Any, list[Document]] = {}
        ids = []
        for document in documents:
            doc_id = document.doc_id if isinstance(document, Document) else secrets.randbits(52) + 1
            key = document.get(self.field)
            groups.setdefault(key if isinstance(key, str) else None, []).append(Document(dict(document), doc_id))
            ids.append(doc_id)
        for key, docs in groups.items():
            self.partition(key).insert_multiple(docs)
        return ids

    def _split(self, doc_ids: list[int] | None) -> list[tuple[Table, list[int] | None]]:
        if doc_ids is None:
            return [(part, None) for part in self._parts()]
        out = []
        for part in self._parts():
            mine = [i for i in doc_ids if part.contains(doc_id=i)]
            if mine:
                out.append((part, mine))
        return out

    def update(self, fields: Any, cond: Any = None, doc_ids: list[int] | None = None) -> list[int]:
        return [i for part, ids in self._split(doc_ids) for i in part.update(fields, cond, ids)]

    def remove(self, cond: Any = None, doc_ids: list[int] | None = None) -> list[int]:
        return [i for part, ids in self._split(doc_ids) for i in part.remove(cond, ids)]

    def truncate(self) -> None:
        for part in self._parts():
            part.truncate()

    def clear_cache(self) -> None:
        for part in self._parts():
            part.clear_cache()

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        """Run a raw TinyDB updater over the whole table, then put each document back in its round's part."""
        merged: dict[int, Any] = {}
        for part in self._parts():
            merged.update({int(k): v for k, v in part._read_table().items()})
        updater(merged)
        groups: dict[str, dict[int, Any]] = {}
        for doc_id, doc in merged.items():
            groups.setdefault(partition_name(self.name, doc.get(self.field)), {})[doc_id] = doc
        for part in self._parts():
            content = groups.pop(part.name, {})
            part._update_table(lambda table, content=content: (table.clear(), table.update(content)))
        for name, content in groups.items():
            self._tinydb.table(name)._update_table(lambda table, content=content: table.update(content))
        self._tinydb.storage.read().setdefault(self.name, {})  # the table exists, if empty: an export carries it


class Database:
    """One data file: its TinyDB, its durability and its schema version."""

    def __init__(self, path: Path, kind: str, backup_dir: Path, policy: BackupPolicy) -> None:
        self.path = path
        self.kind = kind
        self.partitioned = PARTITIONED if kind == 'community' else {}
        self.file = AtomicJSONFile(path, backup_dir, policy)
        data = self.file.read()
        created = data is None
        self._data: dict[str, Any] = data or {}
        self._version = 0  # bumped on every change
        self._durable = 0  # the version known to be on disk
        self._touched: set[str] = set()  # tables changed since the last commit took its snapshot
        self._pieces: dict[str, bytes] = {}  # the main file's tables, serialised (kept for unchanged tables)
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._indexes: dict[tuple[str, str], tuple[tuple[tuple[str, int], ...], dict[Any, tuple[str, str]]]] = {}
        migrated = self._migrate()
        self._touched = {n for n in self._data if PART_SEP not in n}  # pieces still to serialise once
        if created or migrated:
            self._touched = set(self._data)  # written whole, in the new layout
        self.tinydb = _TinyDB(storage=_MemoryStorage, database=self)
        if created or migrated:
            self._changed()
            self.flush()

    def table(self, name: str) -> Any:
        return self.tinydb.table(name)

    def partition(self, name: str, key: Any) -> Table:
        """One round's part of a partitioned table (a plain TinyDB table: its cost is that round's, not history's)."""
        if name not in self.partitioned:
            raise KeyError(name)
        return self.tinydb.table(partition_name(name, key))

    def find(self, name: str, field: str, value: Any) -> Document | None:
        """The document of partitioned table `name` whose `field` is `value`, at the cost of a dictionary lookup
        however many parts the table has (a personal survey link is looked up among every round's links on each
        page load). For a field that is set at insert and never changed afterwards, unique across the parts. The
        index is rebuilt when a part appears, goes or changes its length; a hit is checked against the document."""
        prefix = name + PART_SEP
        shape = tuple((n, len(t)) for n, t in self._data.items() if n.startswith(prefix) and isinstance(t, dict))
        index_shape, index = self._indexes.get((name, field), ((), {}))
        if index_shape != shape:
            index = {
                doc.get(field): (part, doc_id)
                for part, _ in shape
                for doc_id, doc in self._data[part].items()
                if isinstance(doc, dict)
            }
            self._indexes[(name, field)] = (shape, index)
        part, doc_id = index.get(value, ('', ''))
        doc = self._data.get(part, {}).get(doc_id) if part else None
        if not isinstance(doc, dict) or doc.get(field) != value:
            return None
        return Document(dict(doc), int(doc_id))

    @property
    def schema_version(self) -> int:
        meta = self._data.get(META_TABLE, {}).get('1', {})
        return int(meta.get('schema', 0))

    @property
    def dirty(self) -> bool:
        return self._version != self._durable

    def _changed(self) -> None:
        self._version += 1

    def _snapshot(self) -> tuple[int, bytes, dict[str, list[tuple[str, dict[str, Any]]] | None], set[str]]:
        """On the event loop: the changed tables of the main file serialised (they are small), and shallow copies of
        the changed parts (serialised later, in a worker thread; a part's documents are replaced, never changed
        inside, by the services that write them)."""
        touched, self._touched = self._touched, set()
        parts: dict[str, list[tuple[str, dict[str, Any]]] | None] = {}
        for name in touched:
            table = self._data.get(name)
            if PART_SEP in name:
                if not table:
                    self._data.pop(name, None)  # an emptied part: its file goes
                    parts[name] = None
                else:
                    parts[name] = [(k, dict(d)) for k, d in table.items()]
            elif table is None:
                self._pieces.pop(name, None)
            else:
                self._pieces[name] = dump(table)
        main = b'{' + b','.join(dump(name) + b':' + piece for name, piece in self._pieces.items()) + b'}'
        return self._version, main, parts, touched

    def _write(self, main: bytes, parts: dict[str, Any], backup: bool) -> None:
        payloads = {name: None if docs is None else part_payload(name, docs) for name, docs in parts.items()}
        if payloads:
            self.file.write(main, backup, payloads)
        elif backup:
            self.file.write(main)
        else:
            self.file.write(main, False)

    def flush(self) -> None:
        """Write synchronously if anything changed (start-up, shutdown, scripts)."""
        if not self.dirty:
            return
        version, main, parts, touched = self._snapshot()
        try:
            self._write(main, parts, True)
        except BaseException:
            self._touched |= touched
            raise
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
            version, main, parts, touched = self._snapshot()
            try:
                await asyncio.to_thread(self._write, main, parts, backup)
            except BaseException:
                self._touched |= touched  # written by the next commit
                raise
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

    def read_community_backup(self, cid: str, info: BackupInfo) -> dict[str, Any]:
        """A kept version's whole content; DamagedFileError if any file of it cannot be read."""
        return self._community_file(cid).read_version(info)

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
