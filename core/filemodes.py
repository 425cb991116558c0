"""The data folder holds personal data, password hashes, sessions and secrets: only the account that runs the
application may read it. Checked at every start: folders 0700 and files 0600, fixed where they are not, and what was
fixed (or could not be) is reported."""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

UMASK = 0o077  # everything the process creates from now on: owner only


@dataclass
class ModeReport:
    fixed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def restrict(data_dir: Path) -> ModeReport:
    """Make `data_dir` and everything in it owner-only. Symbolic links are neither followed nor changed."""
    report = ModeReport()
    if not data_dir.exists():
        return report
    _restrict_one(data_dir, 0o700, data_dir, report)
    for root, dirs, files in os.walk(data_dir):
        for name in dirs:
            _restrict_one(Path(root) / name, 0o700, data_dir, report)
        for name in files:
            _restrict_one(Path(root) / name, 0o600, data_dir, report)
    return report


def _restrict_one(path: Path, wanted: int, base: Path, report: ModeReport) -> None:
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or not stat.S_IMODE(info.st_mode) & 0o077:
            return
        path.chmod(stat.S_IMODE(info.st_mode) & wanted)
        report.fixed.append(str(path.relative_to(base)) or '.')
    except OSError:
        report.failed.append(str(path.relative_to(base)) or '.')


def secure_data_dir(data_dir: Path) -> ModeReport:
    """At start: new files owner-only (umask), existing ones fixed; says what it did."""
    os.umask(UMASK)
    report = restrict(data_dir)
    if report.fixed:
        log.warning(
            'the data folder was readable by others: made owner-only (%d items, e.g. %s)',
            len(report.fixed),
            ', '.join(report.fixed[:3]),
        )
    if report.failed:
        log.error('could not make these owner-only, fix them by hand: %s', ', '.join(report.failed[:10]))
    return report
