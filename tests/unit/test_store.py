"""The store: atomic writes, group commit, backups, damaged files, migrations, erasure."""

from __future__ import annotations

import asyncio
import json
import os
import stat

import pytest
from tinydb import Query

from core import store as store_module
from core.store import BackupPolicy, DamagedFileError, Database, Store


def make_db(tmp_path, policy: BackupPolicy | None = None) -> Database:
    policy = policy or BackupPolicy(keep=3, min_interval=0)
    return Database(tmp_path / 'c.json', 'community', tmp_path / 'backups', policy)


def test_new_file_is_written_with_schema_version_and_owner_only(tmp_path):
    db = make_db(tmp_path)
    data = json.loads((tmp_path / 'c.json').read_text())
    assert data['_meta']['1'] == {'schema': store_module.SCHEMA_VERSIONS['community'], 'kind': 'community'}
    assert db.schema_version == store_module.SCHEMA_VERSIONS['community']
    assert stat.S_IMODE(os.stat(tmp_path / 'c.json').st_mode) == 0o600


async def test_commit_makes_changes_durable_and_readable_by_a_fresh_open(tmp_path):
    db = make_db(tmp_path)
    db.table('notes').insert({'text': 'één'})
    assert db.dirty
    await db.commit()
    assert not db.dirty
    again = Database(tmp_path / 'c.json', 'community', tmp_path / 'backups', BackupPolicy())
    assert again.table('notes').all() == [{'text': 'één'}]


async def test_concurrent_commits_share_writes(tmp_path, monkeypatch):
    db = make_db(tmp_path)
    writes = []
    original = db.file.write

    def counting_write(payload: bytes) -> None:
        writes.append(len(payload))
        original(payload)

    monkeypatch.setattr(db.file, 'write', counting_write)

    async def writer(i: int) -> None:
        db.table('answers').insert({'n': i})
        await db.commit()

    await asyncio.gather(*(writer(i) for i in range(200)))
    assert len(writes) < 20, f'{len(writes)} writes for 200 commits: no grouping'
    on_disk = json.loads((tmp_path / 'c.json').read_text())
    assert sorted(d['n'] for d in on_disk['answers'].values()) == list(range(200))


async def test_a_commit_that_fails_is_not_confirmed_and_is_retried(tmp_path, monkeypatch):
    db = make_db(tmp_path)
    db.table('t').insert({'a': 1})

    def broken(payload: bytes) -> None:
        raise OSError(28, 'No space left on device')

    original = db.file.write
    monkeypatch.setattr(db.file, 'write', broken)
    with pytest.raises(OSError):
        await db.commit()
    assert db.dirty
    monkeypatch.setattr(db.file, 'write', original)
    await db.commit()
    assert not db.dirty


def test_leftover_temporary_file_is_ignored_and_removed(tmp_path):
    db = make_db(tmp_path)
    db.table('t').insert({'a': 1})
    db.flush()
    (tmp_path / 'c.json.tmp').write_text('{"half": ')  # a crash before the rename
    again = Database(tmp_path / 'c.json', 'community', tmp_path / 'backups', BackupPolicy())
    assert again.table('t').all() == [{'a': 1}]
    assert not (tmp_path / 'c.json.tmp').exists()


def test_backups_rotate_and_keep_only_the_newest(tmp_path):
    db = make_db(tmp_path, BackupPolicy(keep=3, min_interval=0))
    for i in range(6):
        db.table('t').insert({'i': i})
        db.flush()
    backups = db.file.backups()
    assert len(backups) == 3
    newest = json.loads(backups[0].path.read_text())
    assert len(newest['t']) == 5  # the version before the last write


def test_backup_interval_keeps_bursts_from_pushing_out_old_versions(tmp_path):
    db = make_db(tmp_path, BackupPolicy(keep=3, min_interval=3600))
    for i in range(10):
        db.table('t').insert({'i': i})
        db.flush()
    assert len(db.file.backups()) == 1


def test_corrupt_file_is_reported_not_crashing(tmp_path):
    (tmp_path / 'c.json').write_text('{"community": {"1": {"name": "x"}')
    with pytest.raises(DamagedFileError) as info:
        make_db(tmp_path)
    assert 'not valid JSON' in info.value.reason
    assert (tmp_path / 'c.json').read_text().startswith('{"community"')  # left untouched


def test_wrong_structure_and_newer_schema_are_damaged(tmp_path):
    (tmp_path / 'c.json').write_text('[1, 2]')
    with pytest.raises(DamagedFileError):
        make_db(tmp_path)
    (tmp_path / 'c.json').write_text(json.dumps({'_meta': {'1': {'schema': 999, 'kind': 'community'}}}))
    with pytest.raises(DamagedFileError) as info:
        make_db(tmp_path)
    assert 'newer version' in info.value.reason


def test_store_isolates_a_damaged_community_and_restores_a_backup(tmp_path):
    store = Store(tmp_path, BackupPolicy(keep=5, min_interval=0))
    good = store.create_community('a' * 16)
    good.table('community').insert({'name': 'Good'})
    good.flush()
    bad = store.create_community('b' * 16)
    bad.table('community').insert({'name': 'Before'})
    bad.flush()
    bad.table('community').update({'name': 'After'}, doc_ids=[1])
    bad.flush()  # keeps the 'Before' version as a backup
    store._open.clear()  # as after a restart
    (tmp_path / 'communities' / f'{"b" * 16}.json').write_bytes(b'\x00\x01garbage')
    with pytest.raises(DamagedFileError):
        store.community('b' * 16)
    assert store.community('a' * 16).table('community').get(doc_id=1)['name'] == 'Good'
    backups = store.community_backups('b' * 16)
    assert backups
    restored = store.restore_community('b' * 16, backups[0].name)
    assert restored.table('community').get(doc_id=1)['name'] in {'Before', 'After'}
    # the damaged bytes were kept aside as a backup, not thrown away
    assert any(b.path.read_bytes().startswith(b'\x00\x01') for b in store.community_backups('b' * 16))


def test_erase_removes_file_and_every_backup(tmp_path):
    store = Store(tmp_path, BackupPolicy(keep=5, min_interval=0))
    db = store.create_community('c' * 16)
    for i in range(3):
        db.table('t').insert({'i': i})
        db.flush()
    assert store.community_backups('c' * 16)
    store.erase_community('c' * 16)
    assert not (tmp_path / 'communities' / f'{"c" * 16}.json').exists()
    assert not (tmp_path / 'backups' / f'c-{"c" * 16}').exists()
    with pytest.raises(KeyError):
        store.community('c' * 16)


def test_one_database_object_per_file(tmp_path):
    store = Store(tmp_path)
    store.create_community('d' * 16)
    assert store.community('d' * 16) is store.community('d' * 16)


@pytest.mark.parametrize('bad_id', ['../accounts', 'ABCDEF0123456789', '', 'a' * 15, 'a' * 16 + '/x'])
def test_community_ids_cannot_reach_other_files(tmp_path, bad_id):
    store = Store(tmp_path)
    with pytest.raises(KeyError):
        store.community(bad_id)


def test_migration_hook_runs_in_order_and_keeps_a_backup(tmp_path, monkeypatch):
    (tmp_path / 'c.json').write_text(json.dumps({'community': {'1': {'title': 'Old name'}}}))  # version 0
    calls = []

    def v0_to_v1(data):
        calls.append(0)

    def v1_to_v2(data):
        calls.append(1)
        for doc in data['community'].values():
            doc['name'] = doc.pop('title')

    monkeypatch.setitem(store_module.SCHEMA_VERSIONS, 'community', 2)
    monkeypatch.setitem(store_module.MIGRATIONS, 'community', {0: v0_to_v1, 1: v1_to_v2})
    db = make_db(tmp_path)
    assert calls == [0, 1]
    assert db.table('community').get(doc_id=1) == {'name': 'Old name'}
    assert db.schema_version == 2
    assert json.loads((tmp_path / 'c.json').read_text())['_meta']['1']['schema'] == 2
    assert any('title' in b.path.read_text() for b in db.file.backups())
    make_db(tmp_path)  # opening again runs nothing more
    assert calls == [0, 1]


def test_drop_backups_removes_every_kept_version_and_keeping_goes_on(tmp_path):
    db = make_db(tmp_path, BackupPolicy(keep=3, min_interval=0))
    for i in range(3):
        db.table('t').insert({'secret': f'withdrawn {i}'})
        db.flush()
    assert db.file.backups()
    db.table('t').truncate()
    db.flush()
    db.drop_backups()
    assert db.file.backups() == []
    assert not any('withdrawn' in p.read_text() for p in (tmp_path / 'backups').rglob('*') if p.is_file())
    db.table('t').insert({'i': 1})
    db.flush()
    assert len(db.file.backups()) == 1


def test_kept_versions_are_named_and_dated_by_the_day_only_and_rewritten_in_place(tmp_path):
    import re
    from datetime import UTC, datetime

    db = make_db(tmp_path, BackupPolicy(keep=3, min_interval=0))
    for i in range(5):
        db.table('t').insert({'secret': f'answer {i}'})
        db.flush()
    midnight = datetime.combine(datetime.now(UTC).date(), datetime.min.time(), tzinfo=UTC).timestamp()
    backups = db.file.backups()
    assert len(backups) == 3 and [b.sequence for b in backups] == sorted((b.sequence for b in backups), reverse=True)
    for path in [tmp_path / 'c.json', *(b.path for b in backups), tmp_path / 'backups']:
        assert path.stat().st_mtime == midnight, path  # no time of day set by the application
    assert all(re.fullmatch(r'\d{4}-\d{2}-\d{2}-\d{6}\.json', b.name) for b in backups)

    def drop_answer_2(data):
        table = data.get('t', {})
        doomed = [k for k, d in table.items() if d.get('secret') == 'answer 2']
        for k in doomed:
            del table[k]
        return bool(doomed)

    holding = [b.name for b in backups if 'answer 2' in b.path.read_text()]
    untouched = {b.name: b.path.read_bytes() for b in backups if b.name not in holding}
    assert db.rewrite_backups(drop_answer_2) == len(holding) > 0
    after = db.file.backups()
    assert [b.name for b in after] == [b.name for b in backups]
    assert not any('answer 2' in b.path.read_text() for b in after)
    assert all(b.path.read_bytes() == untouched[b.name] for b in after if b.name in untouched)
    assert all('answer 1' in b.path.read_text() for b in after if b.name in holding)  # the rest of it stays


def test_backups_named_by_the_time_of_an_earlier_version_are_renamed_to_the_day(tmp_path):
    folder = tmp_path / 'backups'
    folder.mkdir()
    for stamp in ('20260105T101112123456Z', '20260106T080000000001Z'):
        (folder / f'{stamp}.json').write_text('{"t": {}}')
    db = make_db(tmp_path)
    names = [b.name for b in db.file.backups()]
    assert names == ['2026-01-06-000002.json', '2026-01-05-000001.json']  # order kept, time of day gone


def test_a_partitioned_table_is_one_table_to_its_readers_and_one_part_per_round_on_disk(tmp_path):
    db = make_db(tmp_path)
    answers = db.table('survey_answers')
    ids = answers.insert_multiple([{'round': r, 'n': n} for n in range(6) for r in ('r1', 'r2')])
    assert min(ids) > 10**6 and ids != sorted(ids)  # random ids: no arrival order
    assert len(answers) == 12 and answers.count(Query()['round'] == 'r1') == 6
    assert len(db.partition('survey_answers', 'r2')) == 6
    assert 'survey_answers' in db.tinydb.tables() and not any('@' in n for n in db.tinydb.tables())
    db.flush()
    parts = sorted(p.name.split('.')[0] for p in (tmp_path / 'c').iterdir())
    assert parts == ['survey_answers@r1', 'survey_answers@r2']
    main = json.loads((tmp_path / 'c.json').read_text())
    assert 'survey_answers@r1' not in main and set(main['_segments']['1']) == {'survey_answers@r1', 'survey_answers@r2'}
    answers.remove(Query()['round'] == 'r1')
    db.flush()
    assert [p.name.split('.')[0] for p in (tmp_path / 'c').iterdir()] == ['survey_answers@r2']  # its file went
    again = make_db(tmp_path)
    assert sorted(d['n'] for d in again.table('survey_answers').all()) == list(range(6))


def test_a_commit_rewrites_only_the_parts_it_changed(tmp_path):
    db = make_db(tmp_path)
    for r in ('old', 'new'):
        db.partition('survey_answers', r).insert({'round': r, 'text': 'x' * 5000})
    db.flush()
    old = next((tmp_path / 'c').glob('survey_answers@old.*'))
    inode = old.stat().st_ino
    db.partition('survey_answers', 'new').insert({'round': 'new', 'text': 'y'})
    db.table('notes').insert({'t': 1})
    db.flush()
    assert old.exists() and old.stat().st_ino == inode
    assert db.file.last_bytes < 5000 + 2000  # the changed part and the main file, not the old round


def test_a_damaged_or_lost_part_makes_the_community_damaged_and_a_kept_version_restores_it(tmp_path):
    store = Store(tmp_path, BackupPolicy(keep=5, min_interval=0))
    db = store.create_community('d' * 16)
    db.partition('survey_answers', 'r').insert({'round': 'r', 'text': 'eerste'})
    db.flush()
    db.partition('survey_answers', 'r').insert({'round': 'r', 'text': 'tweede'})
    db.flush()
    store._open.clear()  # as after a restart
    (part,) = (tmp_path / 'communities' / ('d' * 16)).iterdir()
    part.write_bytes(b'{"survey_answers@r": {"1": ')
    with pytest.raises(DamagedFileError) as info:
        store.community('d' * 16)
    assert 'damaged part' in info.value.reason
    part.unlink()
    with pytest.raises(DamagedFileError) as info:
        store.community('d' * 16)
    assert 'lost its part' in info.value.reason
    backups = store.community_backups('d' * 16)
    assert backups and all(store.read_community_backup('d' * 16, b) for b in backups)
    restored = store.restore_community('d' * 16, backups[0].name)
    assert [d['text'] for d in restored.table('survey_answers').all()] == ['eerste']
    store.erase_community('d' * 16)
    assert not (tmp_path / 'communities' / ('d' * 16)).exists()
    assert not (tmp_path / 'backups' / f'c-{"d" * 16}').exists()
