"""A write costs what it changes, not what the community gathered over the years (issue #13): in a community with
20,000 survey answers over five earlier rounds (generated here, not checked in), a survey submission, a kompas
answer and an IT-tools edit each put on disk about as many bytes as the same write in an empty community, and the
parts of the earlier rounds are not touched at all."""

from __future__ import annotations

import random

from bench.history import long_history, sheet
from core.config import Settings
from core.services import build_services
from core.store import read_whole

PASSWORD = 'scale test password 1'


async def writes(services, owner: str, cid: str) -> dict[str, int]:
    """Bytes written by one survey submission (personal link), one kompas answer and one IT-tools edit."""
    db = services.store.community(cid)
    surveys = services.surveys
    survey_round = await surveys.create(owner, cid, threshold=5, open_now=True)
    instrument = surveys.instrument_of(survey_round)
    (code,) = await surveys.make_codes(owner, cid, survey_round.id, 1)
    answers = sheet(instrument, random.Random(2))
    await surveys.submit(cid, survey_round.token, surveys.ticket(cid, survey_round.token), answers, code=code)
    out = {'survey': db.file.last_bytes}
    sheet_round = await services.kompas.start(owner, cid)
    item = services.kompas.instrument_of(sheet_round).scored_items[0].id
    await services.kompas.answer(owner, cid, sheet_round.id, item, 4)
    out['kompas'] = db.file.last_bytes
    actor = services.ittools.user_actor(services.accounts.get(owner), cid)
    comparison = await services.ittools.create(actor, cid, 'Vergelijking', template_id='m365')
    await services.ittools.set_score(actor, cid, comparison.id, comparison.keys()[0], 3)
    out['ittools'] = db.file.last_bytes
    return out


async def test_a_write_touches_a_bounded_number_of_bytes_however_long_the_history(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=86400))
    owner = (await services.accounts.sign_up('Coordinator', 'scale@example.be', PASSWORD)).id
    empty = (await services.communities.create(owner, {'name': 'Nieuw'})).id
    big = (await services.communities.create(owner, {'name': 'Tien jaar oud'})).id
    await long_history(services, owner, big, answers=20_000, rounds=5)
    parts = services.store.communities_dir / big
    history = {p.name: p.stat().st_ino for p in parts.iterdir()}
    history_bytes = sum(p.stat().st_size for p in parts.iterdir())
    assert len(history) == 5 and history_bytes > 10_000_000  # five rounds of 4,000 realistic answers

    small, large = await writes(services, owner, empty), await writes(services, owner, big)
    for name in small:
        # the manifest of the big community names five more parts: a few hundred bytes, whatever their size
        assert large[name] <= small[name] + 2_000, (name, small, large)
        assert large[name] < history_bytes / 500, (name, large[name], history_bytes)
    assert all(p.stat().st_ino == history[p.name] for p in parts.iterdir() if p.name in history)  # never rewritten
    assert set(history) <= {p.name for p in parts.iterdir()}

    services.close()
    reopened = build_services(Settings(data_dir=tmp_path / 'data'))
    assert len(reopened.store.community(big).table('survey_answers')) == 20_001  # and all of it reads back
    assert len(read_whole(services.store.communities_dir / f'{big}.json')['survey_answers']) == 20_001


async def test_a_personal_link_is_found_without_reading_every_rounds_links(tmp_path, monkeypatch):
    """Opening a personal link looks its keyed hash up in an index, not through the links of every round ever run;
    the index follows new rounds, new links and deleted rounds (a restored file is a new Database, with its own)."""
    from core import store
    from core.errors import NotFound

    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    surveys = services.surveys
    owner = (await services.accounts.sign_up('Coordinator', 'links@example.be', PASSWORD)).id
    cid = (await services.communities.create(owner, {'name': 'Veel rondes'})).id
    rounds = [await surveys.create(owner, cid, threshold=5, open_now=True) for _ in range(6)]
    codes = {r.id: await surveys.make_codes(owner, cid, r.id, 300) for r in rounds}

    def no_scan(*args, **kwargs):
        raise AssertionError('every round was read')

    monkeypatch.setattr(store.PartitionedTable, 'get', no_scan)
    monkeypatch.setattr(store.PartitionedTable, 'search', no_scan)
    for survey_round in rounds:
        assert surveys.by_code(cid, codes[survey_round.id][-1]) == (survey_round, False)
    later = await surveys.create(owner, cid, threshold=5, open_now=True)  # after the index was built
    (fresh,) = await surveys.make_codes(owner, cid, later.id, 1)
    assert surveys.by_code(cid, fresh) == (later, False)
    await surveys.submit(
        cid,
        later.token,
        surveys.ticket(cid, later.token),
        sheet(surveys.instrument_of(later), random.Random(1)),
        code=fresh,
    )
    assert surveys.by_code(cid, fresh) == (later, True)  # used: a change that leaves the index as it is
    await surveys.delete(owner, cid, rounds[0].id)
    for code in (codes[rounds[0].id][0], 'x' * 22):
        try:
            surveys.by_code(cid, code)
        except NotFound:
            continue
        raise AssertionError("a deleted round's link or a forged one still opens")
