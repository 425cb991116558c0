"""Start-up check of the data folder: which schema each file has, which files are damaged, and the migration of
older files, with a backup archive of the whole folder taken first.

The store migrates a file whenever it opens it; doing all of it here, at start-up, means an upgrade happens once,
visibly, behind one backup the operator can restore, instead of file by file while people use the app. A folder
holding any file of a newer schema (written by a newer version) is refused before anything is opened: an older
version would not understand it, and writing to it could lose what it does not know.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .backup import STAGING_PREFIX, ArchiveInfo, backup_folder
from .store import META_TABLE, SCHEMA_VERSIONS, BackupPolicy, DamagedFileError, Store, parse_json_object

log = logging.getLogger(__name__)

UPGRADE_BACKUPS = 'upgrade-backups'


class CannotStart(Exception):
    """The folder cannot be served by this version; the message tells the operator what to do."""


@dataclass
class FolderReport:
    schemas: dict[str, int] = field(default_factory=dict)  # data file (relative path) -> schema version
    damaged: dict[str, str] = field(default_factory=dict)  # data file -> why it cannot be read
    backup: ArchiveInfo | None = None  # taken before migrating

    @property
    def older(self) -> list[str]:
        return sorted(name for name, schema in self.schemas.items() if schema < SCHEMA_VERSIONS[_kind(name)])

    @property
    def newer(self) -> list[str]:
        return sorted(name for name, schema in self.schemas.items() if schema > SCHEMA_VERSIONS[_kind(name)])


def _kind(name: str) -> str:
    return 'accounts' if name == 'accounts.json' else 'community'


def scan(data_dir: Path) -> FolderReport:
    """Read every data file once (no store opened, nothing written)."""
    report = FolderReport()
    paths = [data_dir / 'accounts.json', *sorted((data_dir / 'communities').glob('*.json'))]
    for path in paths:
        name = str(path.relative_to(data_dir))
        try:
            data = parse_json_object(path.read_bytes(), path)
        except FileNotFoundError:
            continue
        except OSError as e:
            report.damaged[name] = f'cannot be read ({e.strerror})'
            continue
        except DamagedFileError as e:
            report.damaged[name] = e.reason
            continue
        meta = data.get(META_TABLE, {}).get('1', {})
        report.schemas[name] = int(meta.get('schema', 0)) if data else SCHEMA_VERSIONS[_kind(name)]
    return report


def prepare(data_dir: Path, policy: BackupPolicy | None = None) -> FolderReport:
    """Check the folder before the server opens it; migrate older files after a full backup. CannotStart when the
    folder is from a newer version or its accounts file is unreadable."""
    for stale in data_dir.glob(f'{STAGING_PREFIX}*'):  # left by a backup the process did not live to finish
        shutil.rmtree(stale, ignore_errors=True)
    report = scan(data_dir)
    if report.newer:
        name = report.newer[0]
        raise CannotStart(
            f'the data folder {data_dir} was written by a newer version of CoP-toolbox ({name} has schema '
            f'{report.schemas[name]}; this version knows {SCHEMA_VERSIONS[_kind(name)]}). Start the newer version '
            f'again, or restore a backup made by this version into a new folder.'
        )
    if 'accounts.json' in report.damaged:
        raise CannotStart(
            f'{data_dir / "accounts.json"} {report.damaged["accounts.json"]}. Put back its last good version from '
            f'{data_dir / "backups" / "accounts"} or restore a backup archive into a new folder.'
        )
    if report.older:
        report.backup = backup_folder(data_dir, data_dir / UPGRADE_BACKUPS)
        log.info('upgrading %d data file(s); backup taken first: %s', len(report.older), report.backup.path.name)
        store = Store(data_dir, policy)
        for name in report.older:
            if name != 'accounts.json':
                store.community(Path(name).stem)
        store.flush_all()
    return report
