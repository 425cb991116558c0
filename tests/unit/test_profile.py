"""Profiles and checklists across instrument versions: a sheet started on a version that has since been archived
is shown, answered and scored on its own version, never on the current one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from core import sheets
from core.config import Settings
from core.content import load_content
from core.errors import ValidationError
from core.questionnaire import fingerprint
from core.services import build_services
from core.yamlcheck import CONTENT_DIR

PASSWORD = 'a good long password'
NEW_WORDING = {'nl': 'Nieuwe formulering', 'fr': 'Nouvelle formulation', 'en': 'New wording'}
NEW_ITEM = 'new_in_v2'


def bump_to_v2(raw: dict) -> dict:
    """Version 2 of an instrument: its first statement reworded, a question added to its first dimension."""
    raw = json.loads(json.dumps(raw))
    raw['version'] = 2
    items = raw['dimensions'][0]['items']
    items[0]['statement'] = NEW_WORDING
    items.append(
        {'id': NEW_ITEM, 'statement': NEW_WORDING, 'suggestion': NEW_WORDING, 'source': 'test'}
        if raw['kind'] == 'profile'
        else {'id': NEW_ITEM, 'statement': NEW_WORDING, 'source': 'test'}
    )
    return raw


def content_with_v2(tmp_path: Path, *instrument_ids: str):
    """A copy of the content in which these instruments have a version 2 and version 1 is archived."""
    folder = tmp_path / 'content'
    shutil.copytree(CONTENT_DIR, folder)
    instruments = folder / 'instruments'
    versions = json.loads((instruments / 'versions.json').read_text())
    for instrument_id in instrument_ids:
        path = instruments / f'{instrument_id}.yaml'
        shutil.copy(path, instruments / 'archive' / f'{instrument_id}.v1.yaml')
        raw = bump_to_v2(yaml.safe_load(path.read_text()))
        path.write_text(yaml.safe_dump(raw, allow_unicode=True))
        versions[instrument_id]['2'] = fingerprint(raw)
    (instruments / 'versions.json').write_text(json.dumps(versions))
    return load_content(folder)


@pytest.fixture
async def world(tmp_path):
    content = content_with_v2(tmp_path, 'profile', 'animation')
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0), content)
    owner = await services.accounts.sign_up('Owner', 'owner@b.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP'})
    return services, owner.id, community.id


async def test_a_profile_on_an_archived_version_is_answered_on_that_version(world):
    services, me, _ = world
    profiles = services.profiles
    old = services.content.instruments.get('profile', 1)
    sheet = sheets.new_sheet(profiles._table, old, owner=me, shared=[])  # started before version 2 came out
    assert profiles.instrument.version == 2
    assert profiles.open_profile(me).id == sheet.id
    assert profiles.instrument_of(sheet) is old
    assert profiles.instrument_of(sheet).items[0].statement != NEW_WORDING
    with pytest.raises(ValidationError) as info:
        await profiles.answer(me, sheet.id, NEW_ITEM, 4, version=1)  # only in version 2
    assert info.value.key == 'questionnaire.error.unknown_item'
    with pytest.raises(ValidationError) as info:
        await profiles.answer(me, sheet.id, old.items[0].id, 4, version=2)  # a page showing version 2
    assert info.value.key == 'questionnaire.error.version'
    await profiles.answer(me, sheet.id, old.items[0].id, 4, version=1)
    await profiles.comment(me, sheet.id, old.items[0].id, 'Klopt')
    await profiles.finish(me, sheet.id)
    outcome = profiles.result(me, sheet.id)
    assert outcome.instrument is old and [f.item.statement for f in outcome.strengths] == [old.items[0].statement]
    assert (await profiles.start(me)).version == 2  # a new profile takes the current version


async def test_a_checklist_on_an_archived_version_is_answered_on_that_version(world):
    services, me, cid = world
    facilitation = services.facilitation
    session = await facilitation.record(me, cid, name='Intervisie', day='2026-01-05')
    assert session.sheet.version == 2
    old = services.content.instruments.get('animation', 1)
    sheet = sheets.new_sheet(
        facilitation._table(cid), old, by=me, name='Oud', day='2026-01-04', method='', participants=None
    )
    assert facilitation.instrument_of(sheet) is old and facilitation.instrument_of(session.sheet).version == 2
    with pytest.raises(ValidationError):
        await facilitation.answer(me, cid, sheet.id, NEW_ITEM, 3, 1)
    first = next(i for i in old.items if i.type == 'scale')
    await facilitation.answer(me, cid, sheet.id, first.id, 3, 1)
    assert facilitation.outcome(me, cid, sheet.id).instrument is old
