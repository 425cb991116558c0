"""The demo (`--demo`) walks the whole journey: a newcomer sees every step done, the kick-off's needs block with
results, and a plan whose actions each have an owner and a due date."""

from __future__ import annotations

import pytest

from core import demo
from core.config import Settings
from core.i18n import LANGUAGES, Translator
from core.journey import carried, finished
from core.needs import lines
from core.services import build_services

PASSWORD = 'a demo password that is long'


@pytest.fixture
async def seeded(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    owner, cid = await demo.seed(services, PASSWORD)
    yield services, owner, cid
    services.close()


async def test_the_demo_journey_has_every_step_done(seeded):
    services, owner, cid = seeded
    steps = services.journey.progress(owner, cid)
    assert finished(steps), [s.key for s in steps if not s.done]
    assert not any(s.skipped for s in steps)


async def test_the_demo_needs_round_is_closed_above_its_threshold_and_feeds_the_kickoff(seeded):
    services, owner, cid = seeded
    [needs_round] = services.needs.rounds(owner, cid)
    assert needs_round.status == 'closed' and needs_round.verified
    summary = services.needs.latest(owner, cid)
    assert summary is not None and summary.count >= 2 * needs_round.threshold
    assert summary.tools()[0][0] == 'teams'  # what people in a federal service use already
    for lang in LANGUAGES:
        shown = lines(summary, Translator(services.content.ui, lang))
        assert len(shown) >= 5 and all(answers for _, answers in shown)
    scenario = services.kickoff.current(owner, cid)
    assert any(block.kind == 'needs' for block in scenario.blocks)  # the block these results appear under


async def test_every_demo_action_is_carried_by_someone_by_a_day(seeded):
    services, owner, cid = seeded
    actions = services.plan.actions(owner, cid)
    assert len(actions) >= 4 and all(carried(a) for a in actions)
    scenario = services.kickoff.current(owner, cid)
    kickoff_action = next(a for a in actions if a.title == 'Startbijeenkomst houden')
    assert kickoff_action.due == scenario.date  # the kick-off action is due on the kick-off day


@pytest.mark.parametrize(
    ('today', 'kickoff'),
    [
        ('2026-12-03', '2027-01-12'),  # 24 days on is 27 December: after the holidays, a Tuesday
        ('2026-10-01', '2026-10-27'),
        ('2027-06-10', '2027-07-06'),
    ],
)
def test_the_demo_kickoff_is_a_tuesday_outside_the_christmas_holidays(today, kickoff):
    from datetime import UTC, date, datetime

    from core import clock

    with clock.frozen(datetime.fromisoformat(today).replace(hour=9, tzinfo=UTC)):
        day = demo.kickoff_day()
    assert day == date.fromisoformat(kickoff) and day.weekday() == 1
