"""The operator's commands, run by main.py before the web stack is even imported:

    python main.py backup --to DIR [--data-dir D] [--url URL]
    python main.py restore ARCHIVE --data-dir NEW
    python main.py check [--data-dir D]

Each prints one clear sentence on failure and exits with a code from `core.backup.Exit`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from . import backup, instance, upgrade
from .backup import BackupError, Exit

COMMANDS = ('backup', 'restore', 'check')


def _parser() -> argparse.ArgumentParser:
    default_dir = Path(os.environ.get('COP_DATA_DIR') or 'data')
    parser = argparse.ArgumentParser(prog='python main.py', description='Operator commands of CoP-toolbox.')
    sub = parser.add_subparsers(dest='command', required=True)
    b = sub.add_parser('backup', help='write a consistent backup archive of the data folder, even while it is served')
    b.add_argument('--to', type=Path, required=True, help='folder to write the archive into')
    b.add_argument('--data-dir', type=Path, default=default_dir, help='data folder [COP_DATA_DIR] (default: data)')
    b.add_argument(
        '--url',
        help='ask the server at this address (with COP_ADMIN_TOKEN) instead of the one found in the data folder',
    )
    r = sub.add_parser('restore', help='restore a backup archive into a new, empty data folder')
    r.add_argument('archive', type=Path, help='a cop-backup-*.tar.gz archive')
    r.add_argument('--data-dir', type=Path, required=True, help='the new data folder (missing or empty)')
    c = sub.add_parser('check', help='report schema versions and damaged files of a data folder; changes nothing')
    c.add_argument('--data-dir', type=Path, default=default_dir, help='data folder [COP_DATA_DIR] (default: data)')
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == 'backup':
            return _backup(args.data_dir.expanduser().resolve(), args.to.expanduser().resolve(), args.url)
        if args.command == 'restore':
            return _restore(args.archive.expanduser().resolve(), args.data_dir.expanduser().resolve())
        return _check(args.data_dir.expanduser().resolve())
    except BackupError as e:
        print(f'{args.command} failed: {e}', file=sys.stderr)
        return int(e.code)
    except OSError as e:
        print(f'{args.command} failed: {e.filename or ""} {e.strerror or e}'.strip(), file=sys.stderr)
        return int(Exit.FAILED)


def _backup(data_dir: Path, out_dir: Path, url: str | None) -> int:
    if out_dir.is_relative_to(data_dir):
        raise BackupError(Exit.USAGE, f'write backups outside the data folder, not into {out_dir}')
    if url:
        token = os.environ.get('COP_ADMIN_TOKEN')
        if not token:
            raise BackupError(Exit.REFUSED, "set COP_ADMIN_TOKEN to the server's admin token to use --url")
        path = _download(url, token, out_dir)
    elif not (data_dir / 'accounts.json').is_file():
        raise BackupError(Exit.FAILED, f'{data_dir} is not a CoP-toolbox data folder (no accounts.json)')
    else:
        with instance.held_or_running(data_dir) as held:
            if held is not None:  # no server: the files are quiet, and the lock keeps one from starting meanwhile
                path = backup.backup_folder(data_dir, out_dir).path
            else:
                running = instance.server_of(data_dir)
                if running is None:
                    raise BackupError(Exit.UNREACHABLE, f'a process holds {data_dir} but left no address to reach it')
                path = _download(running['url'], running['key'], out_dir)
    manifest = backup.verify(path)
    print(f'{path} ({len(manifest["files"])} files, {path.stat().st_size} bytes)')
    return int(Exit.OK)


def _download(url: str, token: str, out_dir: Path) -> Path:
    request = urllib.request.Request(
        url.rstrip('/') + '/admin/backup', data=b'', method='POST', headers={'Authorization': f'Bearer {token}'}
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = out_dir / f'.download-{secrets.token_hex(6)}.part'
    try:
        with urllib.request.urlopen(request, timeout=600) as response, open(partial, 'wb') as f:
            disposition = response.headers.get('content-disposition', '')
            while chunk := response.read(1 << 16):
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        found = re.search(r'filename="?([^";]+)"?', disposition)
        name = found.group(1) if found and backup.ARCHIVE_PATTERN.match(found.group(1)) else None
        if name is None:
            raise BackupError(Exit.CORRUPT, f'the server at {url} did not send a backup archive')
        backup.verify(partial)  # checked before it takes an archive's name
        final = out_dir / name
        os.replace(partial, final)
        return final
    except urllib.error.HTTPError as e:
        if e.code in (401, 429):
            raise BackupError(Exit.REFUSED, f'the server at {url} refused the admin token ({e.code})') from e
        raise BackupError(Exit.FAILED, f'the server at {url} could not make the backup ({e.code})') from e
    except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
        raise BackupError(Exit.UNREACHABLE, f'the server at {url} does not answer ({e})') from e
    finally:
        partial.unlink(missing_ok=True)


def _restore(archive: Path, target: Path) -> int:
    manifest, warnings = backup.restore(archive, target)
    for warning in warnings:
        print(f'warning: {warning}', file=sys.stderr)
    communities = sum(1 for f in manifest['files'] if f['path'].startswith('communities/'))
    print(
        f'restored {len(manifest["files"])} files ({communities} communities) of the backup of {manifest["day"]} '
        f'(version {manifest.get("version", "?")}) into {target}; start the server with --data-dir {target}'
    )
    return int(Exit.OK)


def _check(data_dir: Path) -> int:
    if not (data_dir / 'accounts.json').is_file():
        raise BackupError(Exit.FAILED, f'{data_dir} is not a CoP-toolbox data folder (no accounts.json)')
    report = upgrade.scan(data_dir)
    summary = {
        'data_folder': str(data_dir),
        'files': len(report.schemas) + len(report.damaged),
        'schemas': sorted(set(report.schemas.values())),
        'to_migrate': len(report.older),
        'newer_than_this_version': len(report.newer),
        'damaged': sorted(report.damaged),
    }
    print(json.dumps(summary, indent=1))
    if report.newer:
        return int(Exit.NEWER)
    return int(Exit.CORRUPT) if report.damaged else int(Exit.OK)
