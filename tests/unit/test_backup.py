"""Online backup and restore: what the archive holds (and never holds), the point-in-time snapshot under writes,
and every refusal of `restore` with its exit code, leaving the target untouched."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest

from core import backup, instance
from core.backup import FIXED_MTIME, MANIFEST, BackupError, Exit
from core.config import Settings
from core.services import build_services
from core.store import SCHEMA_VERSIONS, WRITE_BARRIER

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = 'a good long password'
ANSWER_TEXT = 'De koffiepauzes waren het nuttigste deel van elke bijeenkomst'


def sheet(instrument, value: int, text: str | None = None) -> dict:
    answers = {item.id: value for item in instrument.items if item.type == 'scale'}
    for item in instrument.items:
        if item.type == 'choice':
            answers[item.id] = item.options[0].id
        elif item.type == 'text' and text:
            answers[item.id] = text
    return answers


async def build_world(folder: Path, communities: int = 3, answers: int = 4):
    """A realistic folder: accounts, several communities, an open survey round with answers in each."""
    services = build_services(Settings(data_dir=folder, backup_interval=0))
    owner = await services.accounts.sign_up('Owner', 'owner@fod.example.be', PASSWORD)
    rounds = []
    for n in range(communities):
        community = await services.communities.create(owner.id, {'name': f'CoP {n}'})
        survey_round = await services.surveys.create(
            owner.id,
            community.id,
            threshold=8,
            open_now=True,
            mode='open',  # answered by anyone with the link
        )
        instrument = services.surveys.instrument_of(survey_round)
        for i in range(answers):
            ticket = services.surveys.ticket(community.id, survey_round.token)
            await services.surveys.submit(
                community.id, survey_round.token, ticket, sheet(instrument, 1 + i % 5, f'{ANSWER_TEXT} {n}-{i}')
            )
        rounds.append((community.id, survey_round))
    return services, owner, rounds


@pytest.fixture
async def world(tmp_path):
    services, owner, rounds = await build_world(tmp_path / 'data')
    yield services, owner, rounds
    services.close()


def members(archive: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(archive, 'r:gz') as tar:
        return tar.getmembers()


def rebuild(archive: Path, out: Path, change) -> Path:
    """A copy of `archive` whose members went through `change(name, data) -> (name, data) | None`."""
    buf = io.BytesIO()
    with tarfile.open(archive, 'r:gz') as src, tarfile.open(fileobj=buf, mode='w:gz') as dst:
        for member in src.getmembers():
            changed = change(member.name, src.extractfile(member).read())
            if changed is not None:
                info = tarfile.TarInfo(changed[0])
                info.size = len(changed[1])
                dst.addfile(info, io.BytesIO(changed[1]))
    out.write_bytes(buf.getvalue())
    return out


async def test_archive_holds_every_data_file_with_checksums_and_no_time_or_order(world, tmp_path):
    services, owner, rounds = world
    archive = (await backup.backup_store(services.store, tmp_path / 'out')).path
    assert backup.ARCHIVE_PATTERN.match(archive.name)
    raw = archive.read_bytes()
    assert raw[3] & 0x08 == 0, 'gzip header carries a file name'
    assert raw[4:8] == b'\0\0\0\0', 'gzip header carries a time'
    found = members(archive)
    names = [m.name for m in found]
    assert names[0] == MANIFEST and names[1:] == sorted(names[1:])
    assert {m.mtime for m in found} == {FIXED_MTIME} and {(m.uid, m.gid, m.uname, m.gname) for m in found} == {
        (0, 0, '', '')
    }
    data_dir = services.store.data_dir
    assert (data_dir / 'backups').is_dir()  # rolling versions exist on disk, yet none goes into the archive
    assert not [n for n in names if n.startswith(('backups/', 'sessions/', '.'))]
    expected = {'accounts.json', 'receipt-secret'} | {f'communities/{cid}.json' for cid, _ in rounds}
    parts = {n for n in names[1:] if n.count('/') == 2}  # each round's answers: a part file beside the community's
    assert set(names[1:]) - parts == expected
    assert parts and all(n.split('/')[1] in {cid for cid, _ in rounds} for n in parts)
    with tarfile.open(archive, 'r:gz') as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
        for entry in manifest['files']:
            content = tar.extractfile(entry['path']).read()
            assert hashlib.sha256(content).hexdigest() == entry['sha256'] and len(content) == entry['size']
    assert manifest['schemas'] == SCHEMA_VERSIONS
    assert len(manifest['day']) == 10  # YYYY-MM-DD: nothing finer than the day
    assert 'T' not in json.dumps({k: v for k, v in manifest.items() if k != 'files'})


async def test_restore_gives_back_the_same_files_and_a_folder_the_app_reads(world, tmp_path):
    services, owner, rounds = world
    archive = (await backup.backup_store(services.store, tmp_path / 'out')).path
    target = tmp_path / 'restored'
    manifest, warnings = backup.restore(archive, target)
    assert warnings == []
    for entry in manifest['files']:
        original = (services.store.data_dir / entry['path']).read_bytes()
        assert (target / entry['path']).read_bytes() == original
    assert target.stat().st_mode & 0o077 == 0
    again = build_services(Settings(data_dir=target))
    assert (await again.accounts.authenticate('owner@fod.example.be', PASSWORD, 'test')).id == owner.id
    for cid, survey_round in rounds:
        assert again.surveys.count(cid, survey_round.id) == 4
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith('.')] == []  # no staging left behind


async def test_writes_made_during_the_snapshot_wait_for_it_and_land_after(world, tmp_path):
    services, owner, rounds = world
    cid, survey_round = rounds[0]
    db = services.store.community(cid)
    frozen = threading.Event()
    release = threading.Event()

    def hold_barrier():
        with WRITE_BARRIER.exclusive():
            frozen.set()
            release.wait(5)

    holder = threading.Thread(target=hold_barrier)
    holder.start()
    frozen.wait(5)
    ticket = services.surveys.ticket(cid, survey_round.token)
    instrument = services.surveys.instrument_of(survey_round)
    submit = asyncio.create_task(services.surveys.submit(cid, survey_round.token, ticket, sheet(instrument, 3)))
    await asyncio.sleep(0.2)
    assert not submit.done(), 'a write went to disk while the files were frozen'
    started = time.perf_counter()
    await asyncio.sleep(0.01)
    assert time.perf_counter() - started < 0.1  # the event loop itself never waits for the barrier
    release.set()
    await submit
    holder.join()
    assert not db.dirty and services.surveys.count(cid, survey_round.id) == 5


async def test_backup_under_load_holds_every_answer_acknowledged_before_it_began(world, tmp_path):
    services, owner, rounds = world
    acknowledged: list[str] = []

    async def answer(cid, survey_round, i):
        instrument = services.surveys.instrument_of(survey_round)
        ticket = services.surveys.ticket(cid, survey_round.token)
        await services.surveys.submit(cid, survey_round.token, ticket, sheet(instrument, 2, f'load {cid} {i}'))
        acknowledged.append(f'load {cid} {i}')

    await asyncio.gather(*(answer(cid, r, i) for cid, r in rounds for i in range(10)))
    before = list(acknowledged)
    during = [asyncio.create_task(answer(cid, r, i)) for cid, r in rounds for i in range(10, 30)]
    info = await backup.backup_store(services.store, tmp_path / 'out')
    await asyncio.gather(*during)
    target = tmp_path / 'restored'
    backup.restore(info.path, target)
    text = ''.join(p.read_text() for p in (target / 'communities').rglob('*.json'))
    assert all(json.dumps(a)[1:-1] in text for a in before)


def test_restore_refuses_a_folder_that_is_not_empty_and_leaves_it_alone(tmp_path):
    asyncio.run(build_world(tmp_path / 'data', communities=1, answers=0))
    archive = backup.backup_folder(tmp_path / 'data', tmp_path / 'out').path
    target = tmp_path / 'busy'
    target.mkdir()
    (target / 'notes.txt').write_text('mine')
    with pytest.raises(BackupError) as raised:
        backup.restore(archive, target)
    assert raised.value.code == Exit.TARGET_NOT_EMPTY and 'not empty' in str(raised.value)
    assert [p.name for p in target.iterdir()] == ['notes.txt']
    backup.restore(archive, tmp_path / 'empty-ok')  # a missing folder is fine, and so is an empty one
    (tmp_path / 'empty').mkdir()
    backup.restore(archive, tmp_path / 'empty')
    assert (tmp_path / 'empty' / 'accounts.json').is_file()


@pytest.fixture(scope='module')
def archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp('archive')
    asyncio.run(build_world(folder / 'data', communities=2, answers=3))
    return backup.backup_folder(folder / 'data', folder / 'out').path


def _bump_schema(name, data):
    if name == MANIFEST:
        manifest = json.loads(data)
        manifest['schemas']['community'] = SCHEMA_VERSIONS['community'] + 1
        return name, json.dumps(manifest).encode()
    return name, data


def _tamper(name, data):
    return (name, data.replace(b'CoP 1', b'CoP X')) if name.startswith('communities/') else (name, data)


def _drop_a_file(name, data):
    return None if name == 'accounts.json' else (name, data)


def _evil_path(name, data):
    return ('../escaped.json', data) if name == 'accounts.json' else (name, data)


@pytest.mark.parametrize(
    ('damage', 'code', 'words'),
    [
        ('random', Exit.CORRUPT, 'damaged or truncated'),
        ('truncated', Exit.CORRUPT, 'damaged or truncated'),
        ('checksum', Exit.CHECKSUM, 'does not match its checksum'),
        ('newer', Exit.NEWER, 'newer than this version'),
        ('missing', Exit.CORRUPT, 'missing'),
        ('unsafe', Exit.CORRUPT, 'unsafe path'),
    ],
)
def test_restore_refuses_a_bad_archive_with_a_clear_message_and_writes_nothing(archive, tmp_path, damage, code, words):
    bad = tmp_path / 'bad.tar.gz'
    if damage == 'random':
        bad.write_bytes(b'\x1f\x8b' + bytes(range(256)) * 8)
    elif damage == 'truncated':
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    else:
        change = {'checksum': _tamper, 'newer': _bump_schema, 'missing': _drop_a_file, 'unsafe': _evil_path}[damage]
        rebuild(archive, bad, change)
    target = tmp_path / 'new'
    with pytest.raises(BackupError) as raised:
        backup.restore(bad, target)
    assert raised.value.code == code and words in str(raised.value)
    assert not target.exists() and not (tmp_path / 'escaped.json').exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith('.new')]


def _main(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / 'main.py'), *args]
    return subprocess.run(command, check=False, capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_the_commands_report_each_failure_with_its_own_exit_code(archive, tmp_path):
    truncated = tmp_path / 'cut.tar.gz'
    truncated.write_bytes(archive.read_bytes()[:-200])
    done = _main('restore', str(truncated), '--data-dir', str(tmp_path / 'a'))
    assert done.returncode == Exit.CORRUPT and 'restore failed:' in done.stderr and not (tmp_path / 'a').exists()
    done = _main('restore', str(archive), '--data-dir', str(tmp_path / 'b'))
    assert done.returncode == 0 and 'restored' in done.stdout
    done = _main('restore', str(archive), '--data-dir', str(tmp_path / 'b'))
    assert done.returncode == Exit.TARGET_NOT_EMPTY and 'not empty' in done.stderr
    done = _main('backup', '--to', str(tmp_path / 'again'), '--data-dir', str(tmp_path / 'b'))
    assert done.returncode == 0 and backup.ARCHIVE_PATTERN.match(Path(done.stdout.split()[0]).name)
    done = _main('backup', '--to', str(tmp_path / 'b' / 'offsite'), '--data-dir', str(tmp_path / 'b'))
    assert done.returncode == Exit.USAGE and 'outside the data folder' in done.stderr
    assert not (tmp_path / 'b' / 'offsite').exists()


def test_an_offline_backup_keeps_a_server_from_starting_on_the_folder_meanwhile(tmp_path):
    asyncio.run(build_world(tmp_path / 'data', communities=1, answers=0))
    with instance.held_or_running(tmp_path / 'data') as held:
        assert held is not None
        with pytest.raises(instance.FolderInUse):
            instance.hold(tmp_path / 'data')
    instance.hold(tmp_path / 'data').release()  # free again afterwards


def test_a_gzip_stream_cut_inside_the_manifest_is_reported_as_truncated(archive, tmp_path):
    with gzip.open(archive) as f:
        head = f.read(300)
    bad = tmp_path / 'head.tar.gz'
    bad.write_bytes(gzip.compress(head))
    with pytest.raises(BackupError) as raised:
        backup.restore(bad, tmp_path / 'new')
    assert raised.value.code == Exit.CORRUPT
