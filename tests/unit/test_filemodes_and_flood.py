"""Owner-only data folder (checked and fixed at start) and the flood gauge that makes new browsers wait."""

from __future__ import annotations

import os
import stat

from core import filemodes
from core.ratelimit import FailureLimiter, Flood


def mode(path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_readable_data_folder_is_made_owner_only_and_reported(tmp_path, caplog):
    data = tmp_path / 'data'
    (data / 'sessions').mkdir(parents=True)
    (data / 'backups' / 'accounts').mkdir(parents=True)
    files = [
        data / 'accounts.json',
        data / 'sessions' / 'storage-user-x.json',
        data / 'backups' / 'accounts' / 'a.json',
    ]
    for f in files:
        f.write_text('{}')
        f.chmod(0o644)
    for d in (data, data / 'sessions', data / 'backups', data / 'backups' / 'accounts'):
        d.chmod(0o755)
    (data / 'link').symlink_to('/etc/hostname')
    old_umask = os.umask(0o022)
    try:
        report = filemodes.secure_data_dir(data)
        assert os.umask(0o022) == 0o077  # what the process creates from now on is owner-only too
    finally:
        os.umask(old_umask)
    assert all(mode(f) == 0o600 for f in files)
    assert all(mode(d) == 0o700 for d in (data, data / 'sessions', data / 'backups', data / 'backups' / 'accounts'))
    assert 'sessions/storage-user-x.json' in report.fixed and not report.failed
    assert 'made owner-only' in caplog.text
    assert filemodes.restrict(data).fixed == []  # nothing left to fix


def test_outside_a_flood_nobody_waits_and_during_one_only_newcomers_do():
    now = [0.0]
    flood = Flood(threshold=10, window=600, base_wait=30, max_wait=300, clock=lambda: now[0])
    limiter = FailureLimiter(5, 600, 30, 900, clock=lambda: now[0], flood=flood)
    for i in range(10):
        limiter.failure(f'browser-{i}')
    assert flood.newcomer_wait(age=0) == 0
    for i in range(10):
        limiter.failure(f'browser-{i}')
    assert flood.level() == 20
    assert flood.newcomer_wait(age=0) == 60  # twice the threshold: a minute for a browser seen just now
    assert flood.newcomer_wait(age=45) == 15
    assert flood.newcomer_wait(age=3600) == 0  # a browser from before the flood is not slowed down
    now[0] += 601
    assert flood.newcomer_wait(age=0) == 0  # the flood has passed


def test_limiters_that_count_successes_stay_out_of_the_flood():
    flood = Flood(threshold=1)
    FailureLimiter(10, 600, 60, 600, flood=None).failure('x')
    assert flood.level() == 0
