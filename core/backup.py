"""Online backup and restore of the whole data folder, as one compressed archive with a manifest and checksums.

Consistency. Every data file is only ever replaced whole, by rename (`core.store.AtomicJSONFile`), so a hard link to
a file keeps exactly one complete version of it, whatever is written afterwards. A snapshot therefore takes the
store's write barrier exclusively (in-flight writes finish, new ones wait), hard-links every file into a staging
folder and lets go: a few milliseconds, spent in a worker thread, so the event loop never waits. What the snapshot
holds is what the disk would hold after a power cut at that instant: each file at its last complete version, the
files together at one point in time. Every write acknowledged before the backup began is in it, because the store
acknowledges a write only once it is on disk (group commit). Changes still pending in memory are committed first.
The slow part, hashing and compressing, then works on the frozen links while the server goes on.

A separate process (the `backup` command) cannot take the barrier of a running server, and copying the files one by
one from outside would mix versions of different moments (a community file newer than the accounts file that
lists it). So the command asks the running server for the archive (`POST /admin/backup`, authorised by a key the
server leaves in its data folder, which only whoever can read the data can use); when no server runs, it holds the
folder's lock and copies the quiet files itself.

Anonymity. The archive reveals no time or order of survey answers: members in sorted order, every member with the
same fixed time, owner and mode, gzip without a time stamp or name, a manifest dated to the day, and no rolling
backups (their names and differences would date the answers). Session files are left out too: a restore signs
everyone out rather than bringing back sessions that were closed since.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path, PurePosixPath
from typing import Any

from . import clock
from .store import META_TABLE, SCHEMA_VERSIONS, WRITE_BARRIER, DamagedFileError, Store, parse_json_object

FORMAT = 1  # version of the archive layout; a newer one is refused
MANIFEST = 'MANIFEST.json'
FIXED_MTIME = 946684800  # 2000-01-01: every member gets it, so the archive says nothing about when a file changed
# left out of archives: rolling backups (they date the answers), sessions (sign-ins are not restored), run files
# and the mail queue and survey invitation lists (a restore must not send old mails; the address list of a survey
# round lives only while the round is open, core/survey_invites.py)
EXCLUDED_TOP = {
    'backups',
    'sessions',
    'upgrade-backups',
    '.lock',
    '.server.json',
    '.health-probe',
    'mail-queue',
    'survey-invites',
    '.cache',  # the validated content, kept to start faster (core/content_cache.py): rebuilt from content/
}
STAGING_PREFIX = '.backup-'
ARCHIVE_PATTERN = re.compile(r'^cop-backup-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.tar\.gz$')
CHUNK = 1 << 16


class Exit(IntEnum):
    """Exit codes of the backup and restore commands: a script can tell the failures apart."""

    OK = 0
    FAILED = 1  # an unexpected I/O error
    USAGE = 2  # argparse's own code for bad options
    TARGET_NOT_EMPTY = 3
    CORRUPT = 4  # not an archive of ours, damaged or truncated
    CHECKSUM = 5  # a file does not match the checksum in the manifest
    NEWER = 6  # written by a newer version of the application
    REFUSED = 7  # the server refused the admin token
    UNREACHABLE = 8  # a server holds the data folder but does not answer


class BackupError(Exception):
    def __init__(self, code: Exit, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ArchiveInfo:
    path: Path
    files: int
    size: int
    manifest: dict[str, Any]


# -- taking a backup -------------------------------------------------------------------------------------------------


def app_version() -> str:
    from importlib import metadata

    with contextlib.suppress(metadata.PackageNotFoundError):
        return metadata.version('cop-toolbox')
    text = (Path(__file__).resolve().parents[1] / 'pyproject.toml').read_text(encoding='utf-8')
    found = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    return found.group(1) if found else 'unknown'


def data_files(data_dir: Path) -> Iterator[PurePosixPath]:
    """Every file of the folder that belongs in a backup, as relative paths, sorted."""
    found = []
    for root, dirs, files in os.walk(data_dir):
        rel_root = Path(root).relative_to(data_dir)
        if rel_root == Path('.'):
            dirs[:] = [d for d in dirs if d not in EXCLUDED_TOP and not d.startswith(STAGING_PREFIX)]
        for name in files:
            if name.endswith('.tmp') or (rel_root == Path('.') and name in EXCLUDED_TOP):
                continue
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                found.append(PurePosixPath(*rel_root.parts, name))
    return iter(sorted(found, key=str))


def snapshot(data_dir: Path, staging: Path) -> list[PurePosixPath]:
    """Freeze the folder's files into `staging` (same file system) at one instant; see the module docstring."""
    staging.mkdir(mode=0o700, parents=True)
    with WRITE_BARRIER.exclusive():
        names = list(data_files(data_dir))
        for rel in names:
            target = staging / rel
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                os.link(data_dir / rel, target)
            except OSError:  # no hard links on this file system: a copy, still under the barrier
                shutil.copyfile(data_dir / rel, target)
    return names


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, 'rb') as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, FIXED_MTIME, 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ''
    return info


def write_archive(staging: Path, names: list[PurePosixPath], out_dir: Path) -> ArchiveInfo:
    """Hash and compress the frozen files into `out_dir`; the archive appears there complete or not at all."""
    files = []
    for rel in names:
        digest, size = _sha256(staging / rel)
        files.append({'path': str(rel), 'size': size, 'sha256': digest})
    manifest = {
        'format': FORMAT,
        'application': 'cop-toolbox',
        'version': app_version(),
        'schemas': dict(sorted(SCHEMA_VERSIONS.items())),
        'day': clock.today_iso(),  # never finer than the day
        'files': files,
    }
    manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode('utf-8')
    name = f'cop-backup-{manifest["day"]}-{hashlib.sha256(manifest_bytes).hexdigest()[:8]}.tar.gz'
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / name
    partial = out_dir / f'.{name}.{secrets.token_hex(4)}.part'
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(fd, 'wb') as raw,
            gzip.GzipFile(filename='', mode='wb', fileobj=raw, mtime=0, compresslevel=6) as gz,
            tarfile.open(fileobj=gz, mode='w', format=tarfile.PAX_FORMAT) as tar,
        ):
            tar.addfile(_member(MANIFEST, len(manifest_bytes)), io.BytesIO(manifest_bytes))
            for entry in files:
                with open(staging / entry['path'], 'rb') as f:
                    tar.addfile(_member(entry['path'], entry['size']), f)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return ArchiveInfo(final, len(files), final.stat().st_size, manifest)


def backup_folder(data_dir: Path, out_dir: Path) -> ArchiveInfo:
    """Snapshot and archive a folder (from a thread of the server, or from the command when no server runs)."""
    staging = data_dir / f'{STAGING_PREFIX}{secrets.token_hex(6)}'
    try:
        names = snapshot(data_dir, staging)
        return write_archive(staging, names, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


async def backup_store(store: Store, out_dir: Path) -> ArchiveInfo:
    """The online backup of a running server: commit what is pending, then snapshot and archive in a thread."""
    await asyncio.gather(*(db.commit() for db in store.open_databases() if db.dirty))
    return await asyncio.to_thread(backup_folder, store.data_dir, out_dir)


# -- reading an archive back -----------------------------------------------------------------------------------------


def _safe_member_path(name: str) -> PurePosixPath:
    rel = PurePosixPath(name)
    if rel.is_absolute() or not rel.parts or any(p in ('', '.', '..') for p in rel.parts) or '\\' in name:
        raise BackupError(Exit.CORRUPT, f'the archive holds an unsafe path: {name!r}')
    return rel


def _check_manifest(raw: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw.decode('utf-8'))
        files = manifest['files']
        schemas = manifest['schemas']
        version = manifest.get('version', '?')
        if not isinstance(files, list) or not isinstance(schemas, dict) or not isinstance(manifest['format'], int):
            raise TypeError
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as e:
        raise BackupError(Exit.CORRUPT, 'the manifest of the archive cannot be read') from e
    if manifest['format'] > FORMAT:
        raise BackupError(
            Exit.NEWER, f'the archive was made by a newer version of the application ({version}); upgrade first'
        )
    for kind, schema in schemas.items():
        current = SCHEMA_VERSIONS.get(kind)
        if current is None or not isinstance(schema, int) or schema > current:
            raise BackupError(
                Exit.NEWER,
                f'the archive holds {kind} data of schema {schema}, newer than this version reads ({current}); '
                f'restore it with version {version} or later',
            )
    return manifest


def _check_data_file(path: Path, rel: PurePosixPath) -> str | None:
    """A restored data file's own schema must be one this version reads; returns a warning for a damaged file."""
    if not (str(rel) == 'accounts.json' or (rel.parent == PurePosixPath('communities') and rel.suffix == '.json')):
        return None
    kind = 'accounts' if str(rel) == 'accounts.json' else 'community'
    try:
        data = parse_json_object(path.read_bytes(), path)
    except DamagedFileError as e:
        return f'{rel} was already damaged when the backup was taken ({e.reason}); restored as it was'
    schema = int(data.get(META_TABLE, {}).get('1', {}).get('schema', 0))
    if schema > SCHEMA_VERSIONS[kind]:
        raise BackupError(Exit.NEWER, f'{rel} has schema {schema}, newer than this version reads')
    return None


def extract_verified(archive: Path, into: Path) -> tuple[dict[str, Any], list[str]]:
    """Unpack `archive` into the empty folder `into`, checking every member against the manifest. Returns the
    manifest and warnings; raises BackupError (leaving the partial content for the caller to remove)."""
    warnings: list[str] = []
    try:
        with tarfile.open(archive, mode='r:gz') as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(Exit.CORRUPT, f'{archive.name} is not a CoP-toolbox backup (no manifest first)')
            manifest = _check_manifest(tar.extractfile(first).read())
            expected = {f['path']: f for f in manifest['files']}
            seen = set()
            while (member := tar.next()) is not None:
                rel = _safe_member_path(member.name)
                entry = expected.get(str(rel))
                if not member.isfile() or entry is None or str(rel) in seen:
                    raise BackupError(Exit.CORRUPT, f'{member.name} is in the archive but not in its manifest')
                seen.add(str(rel))
                target = into / rel
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, 'wb') as out, tar.extractfile(member) as src:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                if digest.hexdigest() != entry['sha256'] or size != entry['size']:
                    raise BackupError(Exit.CHECKSUM, f'{rel} does not match its checksum in the manifest')
                if warning := _check_data_file(target, rel):
                    warnings.append(warning)
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise BackupError(Exit.CORRUPT, f'{archive.name} is damaged or truncated ({e or type(e).__name__})') from e
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(
            Exit.CORRUPT, f'{archive.name} is truncated: {len(missing)} file(s) missing, e.g. {missing[0]}'
        )
    return manifest, warnings


def verify(archive: Path) -> dict[str, Any]:
    """Check an archive completely without keeping anything (after a download, before trusting it)."""
    scratch = archive.parent / f'.verify-{secrets.token_hex(6)}'
    scratch.mkdir(mode=0o700)
    try:
        return extract_verified(archive, scratch)[0]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def restore(archive: Path, target: Path) -> tuple[dict[str, Any], list[str]]:
    """Restore into `target`, which must be missing or empty. Everything is checked in a hidden sibling folder first;
    only a complete, verified copy is renamed into place, so nothing is ever overwritten."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(Exit.TARGET_NOT_EMPTY, f'{target} is not empty: restore into a new or empty folder')
    if not archive.is_file():
        raise BackupError(Exit.CORRUPT, f'{archive} does not exist or is not a file')
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f'.{target.name}.restoring-{secrets.token_hex(4)}'
    staging.mkdir(mode=0o700)
    try:
        manifest, warnings = extract_verified(archive, staging)
        if target.exists():
            target.rmdir()  # empty, checked above; fails rather than overwrite if something appeared meanwhile
        os.rename(staging, target)
    except OSError as e:
        raise BackupError(Exit.FAILED, f'cannot restore into {target}: {e.strerror or e}') from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest, warnings
