"""The health check's verdicts (a store that cannot write, a damaged file) and the log lines (JSON shape, scrubbing
of addresses and tokens, routes instead of paths)."""

from __future__ import annotations

import io
import json
import logging
import re
import shutil

import pytest

from core import logs
from core.config import Settings
from core.health import HealthCheck
from core.services import build_services
from core.store import DamagedFileError


@pytest.fixture
async def services(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    owner = await services.accounts.sign_up('Owner', 'owner@fod.example.be', 'a good long password')
    community = await services.communities.create(owner.id, {'name': 'CoP'})
    services.cid = community.id
    return services


async def test_health_turns_503_while_a_data_file_cannot_be_written_and_recovers(services):
    health = HealthCheck(services.store, '9.9')
    status, body = health.report()
    assert status == 200 and body['status'] == 'ok' and body['version'] == '9.9'
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\dZ', body['last_write'])  # to the minute, no seconds
    db = services.store.community(services.cid)
    blocker = db.file.path.with_name(db.file.path.name + '.tmp')
    blocker.mkdir()  # the temporary file cannot be created: the write fails as on a full or read-only disk
    db.table('community').update({'name': 'Changed'})
    with pytest.raises(OSError):
        await db.commit()
    status, body = health.report()
    assert status == 503 and body['status'] == 'failing' and body['failing_files'] == 1
    blocker.rmdir()
    await db.commit()
    assert health.report()[0] == 200


async def test_health_turns_503_when_the_data_folder_refuses_a_new_file(services):
    (services.store.data_dir / '.health-probe').mkdir()
    status, body = HealthCheck(services.store, '1').report()
    assert status == 503 and body['data_folder'] == {'readable': True, 'writable': False}


async def test_health_counts_damaged_files_without_naming_them(services):
    other = await services.communities.create(services.accounts.by_email('owner@fod.example.be').id, {'name': 'B'})
    services.store._open.pop(other.id)
    path = services.store.communities_dir / f'{other.id}.json'
    path.write_text('{"community": {"1": {"name": "B"')
    with pytest.raises(DamagedFileError):
        services.store.community(other.id)
    status, body = HealthCheck(services.store, '1').report()
    assert status == 200 and body['damaged_files'] == 1 and other.id not in json.dumps(body)
    shutil.copy(services.store.community_backups(other.id)[0].path, path)
    services.store.community(other.id)
    assert HealthCheck(services.store, '1').report()[1]['damaged_files'] == 0


def _captured(fmt: str) -> tuple[logging.Logger, io.StringIO]:
    logs.configure(fmt)
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == logs.HANDLER_NAME)
    buffer = io.StringIO()
    handler.setStream(buffer)
    return logging.getLogger('cop.test'), buffer


def test_json_lines_carry_route_and_community_and_scrub_addresses_and_tokens(monkeypatch):
    monkeypatch.setattr(logs, '_providers', [lambda: ('/s/{cid}/{token}', '0123456789abcdef')])
    log, buffer = _captured('json')
    try:
        log.warning('mail to %s failed, link %s', 'an.peeters@fod.example.be', 'Zx8_pQ2-rT5yU7iO9pA1sD3f')
        try:
            raise ValueError('bad receipt for jan@example.be')
        except ValueError:
            log.exception('submission failed')
    finally:
        logs.configure('text')
    first, second = (json.loads(line) for line in buffer.getvalue().splitlines())
    assert first['level'] == 'WARNING' and first['logger'] == 'cop.test'
    assert first['message'] == 'mail to <email> failed, link <token>'
    assert first['path'] == '/s/{cid}/{token}' and first['community'] == '0123456789abcdef'
    assert 'ValueError' in second['error'] and 'jan@example.be' not in second['error']
    assert '@' not in buffer.getvalue()


def test_paths_without_a_route_keep_only_words_and_record_ids():
    assert logs.redact_path('/c/0123456789abcdef/survey?x=1') == '/c/0123456789abcdef/survey'
    assert logs.redact_path('/s/0123456789abcdef/kX9_2mPq-Lr8sT4vW6yZ1aB3') == '/s/0123456789abcdef/*'
    assert logs.redact_path('/m/ABC123') == '/m/*'
    assert logs.scrub('plain words stay, 2026-12-02 too') == 'plain words stay, 2026-12-02 too'
