"""Pages of sheets started on an instrument version that has since been replaced: they show and accept the
sheet's own version (the profile and the facilitation checklist, like the kompas)."""

from __future__ import annotations

import pytest
import yaml
from nicegui import app
from nicegui.testing import User

from core.questionnaire import parse_instrument
from core.yamlcheck import CONTENT_DIR, Checker
from tests.unit.test_profile import NEW_ITEM, NEW_WORDING, bump_to_v2

from .helpers import PASSWORD, log_in, settle
from .test_kompas import answer, count


@pytest.fixture
def new_version(monkeypatch):
    """Publish the next version of an instrument in the running app (the current one stays readable, as if
    archived)."""

    def publish(instrument_id: str):
        instruments = app.state.services.content.instruments
        path = CONTENT_DIR / 'instruments' / f'{instrument_id}.yaml'
        v2 = parse_instrument(bump_to_v2(yaml.safe_load(path.read_text())), Checker(path))
        monkeypatch.setitem(instruments._by_key, (instrument_id, v2.version), v2)
        monkeypatch.setitem(instruments._current, instrument_id, v2)
        return v2

    return publish


async def test_an_open_profile_keeps_its_version_after_a_new_one(user: User, new_version):
    services = app.state.services
    me = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(me.id, {'name': 'CoP'})
    cid = community.id
    old = services.profiles.instrument
    sheet = await services.profiles.start(me.id)
    assert new_version('profile').version == old.version + 1 == services.profiles.instrument.version

    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/profile')
    await user.should_see(f'0 van {len(old.scored_items)} vragen beantwoord')
    before = len(user.back_history)
    user.find(marker='profile-continue').click()
    await settle(user, before)
    await user.should_see(old.items[0].statement['nl'])
    await user.should_not_see(NEW_WORDING['nl'])
    assert count(user, f'question-{NEW_ITEM}') == 0
    await answer(user, old.items[0].id, 4)
    assert services.profiles.get(me.id, sheet.id).answers == {old.items[0].id: 4}
    await user.open(f'/c/{cid}/profile/review')
    await user.should_see(f'1 van {len(old.scored_items)} vragen beantwoord')
    await user.should_not_see(NEW_WORDING['nl'])


async def test_an_open_checklist_keeps_its_version_and_a_finished_one_cannot_be_reviewed(user: User, new_version):
    services = app.state.services
    me = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(me.id, {'name': 'CoP'})
    cid = community.id
    old = services.facilitation.instrument
    session = await services.facilitation.record(me.id, cid, name='Intervisie', day='2026-01-05')
    new_version('animation')

    await log_in(user, 'owner@example.be')
    base = f'/c/{cid}/facilitation/{session.id}'
    await user.open(f'{base}/answer')
    first = old.dimensions[0]
    await user.should_see(first.items[0].statement['nl'])
    await user.should_not_see(NEW_WORDING['nl'])
    scale_item = next(i for i in first.items if i.type == 'scale')
    await answer(user, scale_item.id, 3)
    await user.open(f'{base}/review')
    await user.should_see(marker='finish')
    await user.should_not_see(NEW_WORDING['nl'])

    await services.facilitation.finish(me.id, cid, session.id)
    await user.open(f'{base}/review')  # finished: back to the session, as the answer page does
    await user.should_see(marker='checklist-done')
    assert user.back_history[-1] == base
