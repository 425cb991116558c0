"""IT-tools comparison in core: catalogues, arithmetic, the service's rules, concurrency, persistence, export."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core import clock
from core.accounts import Accounts
from core.communities import Communities
from core.content import load_ui_strings
from core.errors import AppError, NotFound, PermissionDenied, ValidationError
from core.i18n import Catalog, Translator
from core.ittools import COMPARISONS, MEETINGS, ITTools
from core.ittools import rooms as ittools_rooms
from core.ittools.catalogue import load_catalogue
from core.ittools.model import Comparison, CriterionRef, Entry, ToolRef, clean_display_name, meeting_from_doc
from core.ittools.report import completeness_facts, export_csv
from core.ittools.scoring import cell_stats, completeness, results, weight_shares
from core.ittools.view import completeness_text, hides_shared, stats_words
from core.store import BackupPolicy, DamagedFileError, Store
from core.yamlcheck import CONTENT_DIR, ContentError

PASSWORD = 'a good long password'
CATALOGUE = load_catalogue(CONTENT_DIR / 'catalogues')
UI = load_ui_strings(CONTENT_DIR / 'ui')


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path, BackupPolicy(min_interval=0))


@pytest.fixture
def accounts(store):
    return Accounts(store.accounts)


@pytest.fixture
def communities(store, accounts):
    return Communities(store, accounts)


@pytest.fixture
def ittools(store, communities, accounts):
    return ITTools(store, communities, accounts, CATALOGUE)


@pytest.fixture
async def people(accounts):
    return {
        name: await accounts.sign_up(name.title(), f'{name}@b.be', PASSWORD)
        for name in ('owner', 'co', 'coach', 'other')
    }


@pytest.fixture
async def cid(communities, people):
    c = await communities.create(people['owner'].id, {'name': 'CoP Digitaal', 'stage': 'maturing'})
    for role, who in (('co_coordinator', 'co'), ('coach', 'coach')):
        token, _ = await communities.invite(people['owner'].id, c.id, role)
        await communities.accept(people[who].id, token)
    return c.id


@pytest.fixture
def owner(ittools, people, cid):
    return ittools.user_actor(people['owner'], cid)


@pytest.fixture
async def comparison(ittools, owner, cid):
    return await ittools.create(owner, cid, 'Onze ruimte', template_id='m365')


# -- catalogues ----------------------------------------------------------------------------------------------------


def test_catalogues_are_complete_in_three_languages():
    assert len(CATALOGUE.criteria) >= 20 and len(CATALOGUE.tools) >= 10 and len(CATALOGUE.templates) == 3
    groups = {g.id for g in CATALOGUE.groups}
    assert {'communication', 'content', 'events', 'people', 'public_sector', 'usability'} <= groups
    for needed in (
        'discussion_forum',
        'chat',
        'qa_search',
        'document_sharing',
        'co_editing',
        'calendar_events',
        'video_meetings',
        'external_members',
        'notifications',
        'mobile_use',
        'data_protection',
        'accessibility',
        'single_sign_on',
        'office_integration',
        'archiving_export',
        'open_source',
        'cost',
        'it_support',
        'ease_of_use',
    ):
        assert CATALOGUE.criterion(needed) is not None, needed
    for needed in (
        'teams',
        'sharepoint',
        'viva_engage',
        'nextcloud',
        'discourse',
        'humhub',
        'mattermost',
        'element',
        'wooclap',
        'whiteboard',
    ):
        tool = CATALOGUE.tool(needed)
        assert tool is not None and all(tool.description[lang] for lang in ('nl', 'fr', 'en', 'de')), needed
    # a generic tool name is translated, a proper name is not
    assert CATALOGUE.tool('whiteboard').name['fr'].startswith('Tableau blanc')
    assert CATALOGUE.tool('teams').name == dict.fromkeys(('nl', 'fr', 'en', 'de'), 'Microsoft Teams')
    assert all(c.source for c in CATALOGUE.criteria) and all(t.source for t in CATALOGUE.tools)


@pytest.mark.parametrize('tool_id', ['webex', 'zoom', 'confluence', 'jitsi', 'eusurvey'])
def test_meeting_wiki_and_survey_tools_are_in_the_catalogue_in_four_languages(tool_id):
    """Issue 15 item 6: the tools federal services actually meet, each with a source and an official address."""
    tool = CATALOGUE.tool(tool_id)
    assert tool is not None
    assert tool.source and tool.url.startswith('https://')
    for lang in ('nl', 'fr', 'en', 'de'):
        assert tool.kind.get(lang) and len(tool.description.get(lang, '')) > 200, lang
        # every row ends by sending the reader to the people who know the contract and the installation
        assert any(
            word in tool.description[lang] for word in ('IT-dienst', 'informatique', 'IT department', 'IT-Abteilung')
        )


def _catalogue_files(tmp_path: Path, criteria: str | None = None, tools: str | None = None) -> Path:
    folder = tmp_path / 'catalogues'
    folder.mkdir(exist_ok=True)
    (folder / 'criteria.yaml').write_text(criteria or (CONTENT_DIR / 'catalogues' / 'criteria.yaml').read_text())
    (folder / 'tools.yaml').write_text(tools or (CONTENT_DIR / 'catalogues' / 'tools.yaml').read_text())
    return folder


@pytest.mark.parametrize(
    'change, expected',
    [
        (
            ('    tools: [teams, sharepoint, viva_engage, humhub]', '    tools: [teams, sharepoint, slack]'),
            ['template m365.tools', "unknown tool 'slack'"],
        ),
        (
            (
                '      data_protection: 5\n      accessibility: 4\n      single_sign_on: 3\n      archiving_export: 3',
                '      data_protection: 9\n      accessibility: 4\n      single_sign_on: 3\n      archiving_export: 3',
            ),
            ['template m365.weights.data_protection', '9 is outside 0..5'],
        ),
        (
            ('    must: [data_protection]\n  - id: open_source', '    must: [cost]\n  - id: open_source'),
            ['template m365.must', "'cost' is not one of its criteria"],
        ),
        (('  - id: padlet', '  - id: teams'), ['tools', "id 'teams' is used twice"]),
        (('    name: Padlet', '    name: ""'), ['tool padlet.name', 'must not be empty']),
    ],
)
def test_a_broken_tools_file_names_file_item_and_problem(tmp_path, change, expected):
    text = (CONTENT_DIR / 'catalogues' / 'tools.yaml').read_text()
    assert change[0] in text
    folder = _catalogue_files(tmp_path, tools=text.replace(change[0], change[1], 1))
    with pytest.raises(ContentError) as info:
        load_catalogue(folder)
    message = str(info.value)
    assert 'tools.yaml' in message
    for part in expected:
        assert part in message, message


def test_a_broken_criteria_file_names_the_criterion(tmp_path):
    text = (CONTENT_DIR / 'catalogues' / 'criteria.yaml').read_text()
    broken = text.replace('          fr: Messagerie instantanée (chat)\n', '', 1)
    with pytest.raises(ContentError) as info:
        load_catalogue(_catalogue_files(tmp_path, criteria=broken))
    assert 'criteria.yaml' in str(info.value) and 'criterion chat.title' in str(info.value) and 'fr' in str(info.value)


@pytest.mark.parametrize('templates', ['templates: []\n', ''])
def test_a_tools_file_without_a_template_is_refused(tmp_path, templates):
    # the page for a new comparison starts from the first template: content must not be able to take it away
    text = (CONTENT_DIR / 'catalogues' / 'tools.yaml').read_text()
    folder = _catalogue_files(tmp_path, tools=text[: text.index('templates:')] + templates)
    with pytest.raises(ContentError) as info:
        load_catalogue(folder)
    assert 'tools.yaml' in str(info.value) and 'templates' in str(info.value)


# -- arithmetic ------------------------------------------------------------------------------------------------------


def _matrix(weights: dict[str, int], scores: dict[str, int | None], tools=('a', 'b', 'c'), must=()) -> Comparison:
    comparison = Comparison(
        id='cx',
        title='x',
        created='2026-01-01T00:00:00+00:00',
        updated='2026-01-01T00:00:00+00:00',
        tools=[ToolRef(t, catalogue=False, name=t) for t in tools],
        criteria=[CriterionRef(c, weight=w, must=c in must, catalogue=False, title=c) for c, w in weights.items()],
    )
    for key, value in scores.items():
        comparison.scores[key] = Entry(value, 'x', 'u:x', '2026-01-01T00:00:00+00:00', 1)
    return comparison


def test_weighted_totals_shares_and_ranking():
    comparison = _matrix({'p': 4, 'q': 1}, {'a:p': 3, 'a:q': 0, 'b:p': 2, 'b:q': 3, 'c:p': 2, 'c:q': 3})
    shares = weight_shares(comparison.criteria)
    assert shares == {'p': 0.8, 'q': 0.2}
    out = {r.tool_id: r for r in results(comparison)}
    assert out['a'].points == 12 and out['a'].max_points == 15 and out['a'].percent == pytest.approx(0.8)
    assert out['b'].points == 11 and out['c'].points == 11
    assert [r.tool_id for r in results(comparison)] == ['a', 'b', 'c']
    assert out['b'].rank == out['c'].rank == 2  # a tie shares the rank
    assert out['a'].scored == out['a'].cells  # complete


def test_must_have_failure_excludes_and_ranks_last():
    comparison = _matrix({'p': 5, 'q': 1}, {'a:p': 3, 'a:q': 0, 'b:p': 1, 'b:q': 3}, tools=('a', 'b'), must=('q',))
    ranked = results(comparison)
    assert [r.tool_id for r in ranked] == ['b', 'a']
    assert ranked[1].excluded and ranked[1].failed == ('q',) and ranked[1].rank == 2
    assert not ranked[0].excluded


def test_unscored_cells_count_as_zero_and_zero_weights_do_not_divide_by_zero():
    comparison = _matrix({'p': 2, 'q': 2}, {'a:p': 3})
    first = results(comparison)[0]
    assert first.tool_id == 'a' and first.percent == pytest.approx(0.5) and first.scored == 1 < first.cells
    assert weight_shares(_matrix({'p': 0}, {}).criteria) == {'p': 0.0}
    assert all(r.percent == 0 for r in results(_matrix({'p': 0}, {'a:p': 3})))


def test_spread_and_disagreement():
    stats = cell_stats([0, 3, 2])
    assert stats.n == 3 and stats.mean == pytest.approx(5 / 3) and (stats.low, stats.high) == (0, 3)
    assert stats.disagreement and stats.rounded == 2
    calm = cell_stats([2, 2, 3])
    assert not calm.disagreement and calm.rounded == 2
    assert cell_stats([1, 2]).rounded == 2  # half up
    assert not cell_stats([0]).disagreement and cell_stats([]) is None


# -- the service -----------------------------------------------------------------------------------------------------


async def test_create_from_a_template_takes_its_weights_and_must_haves(ittools, owner, cid, comparison):
    assert [t.id for t in comparison.tools] == ['teams', 'sharepoint', 'viva_engage', 'humhub']
    dp = comparison.criterion('data_protection')
    assert dp.weight == 5 and dp.must
    own = await ittools.create(owner, cid, 'Eigen', tool_ids=['nextcloud', 'discourse'], criterion_ids=['chat', 'cost'])
    assert [c.weight for c in own.criteria] == [3, 3] and not any(c.must for c in own.criteria)
    assert [c.id for c in ittools.comparisons(owner, cid)] == [own.id, comparison.id]


@pytest.mark.parametrize(
    'title, tools, criteria, key',
    [
        ('', ['teams'], ['chat'], 'ittools.error.required'),
        ('x' * 121, ['teams'], ['chat'], 'error.too_long'),
        ('Ok', [], ['chat'], 'ittools.error.no_tools'),
        ('Ok', ['teams'], [], 'ittools.error.no_criteria'),
        ('Ok', ['slack'], ['chat'], 'error.invalid'),
        ('Ok', ['teams'], ['<script>'], 'error.invalid'),
        ('Ok', [['teams']], ['chat'], 'error.invalid'),
    ],
)
async def test_create_refuses_bad_input(ittools, owner, cid, title, tools, criteria, key):
    with pytest.raises(ValidationError) as info:
        await ittools.create(owner, cid, title, tool_ids=tools, criterion_ids=criteria)
    assert info.value.key == key
    assert ittools.comparisons(owner, cid) == []


async def test_roles_decide_who_may_change_what(ittools, people, cid, comparison):
    coach = ittools.user_actor(people['coach'], cid)
    co = ittools.user_actor(people['co'], cid)
    with pytest.raises(PermissionDenied):
        await ittools.set_score(coach, cid, comparison.id, 'teams:qa_search', 2)
    with pytest.raises(PermissionDenied):
        await ittools.create(coach, cid, 'Nee', template_id='m365')
    entry = await ittools.set_score(co, cid, comparison.id, 'teams:qa_search', 2)
    assert entry.value == 2 and entry.by == 'Co'
    assert ittools.comparison(coach, cid, comparison.id).score('teams:qa_search') == 2  # a coach reads
    with pytest.raises(NotFound):
        ittools.user_actor(people['other'], cid)


@pytest.mark.parametrize(
    'key, value, error',
    [
        ('teams:qa_search', 4, 'ittools.error.score'),
        ('teams:qa_search', -1, 'ittools.error.score'),
        ('teams:qa_search', 2.5, 'ittools.error.score'),
        ('teams:qa_search', True, 'ittools.error.score'),
        ('teams:qa_search', '2', 'ittools.error.score'),
        ('slack:qa_search', 2, 'ittools.error.cell'),
        ('teams:chat', 2, 'ittools.error.cell'),
        ('teams', 2, 'ittools.error.cell'),
        (['teams', 'qa_search'], 2, 'ittools.error.cell'),
        (None, 2, 'ittools.error.cell'),
    ],
)
async def test_bad_scores_and_cells_are_refused_and_nothing_is_stored(
    ittools, owner, cid, comparison, store, key, value, error
):
    before = json.dumps(store.community(cid).table(COMPARISONS).all())
    with pytest.raises(ValidationError) as info:
        await ittools.set_score(owner, cid, comparison.id, key, value)
    assert info.value.key == error
    assert json.dumps(store.community(cid).table(COMPARISONS).all()) == before


async def test_weights_and_notes_are_checked(ittools, owner, cid, comparison):
    for bad in (6, -1, 2.0, '3', None, True):
        with pytest.raises(ValidationError):
            await ittools.set_weight(owner, cid, comparison.id, 'qa_search', weight=bad if bad is not None else 'x')
    with pytest.raises(ValidationError):
        await ittools.set_weight(owner, cid, comparison.id, 'unknown', weight=2)
    with pytest.raises(ValidationError):
        await ittools.set_weight(owner, cid, comparison.id, 'qa_search', must='yes')
    criterion = await ittools.set_weight(owner, cid, comparison.id, 'qa_search', weight=0, must=True)
    assert criterion.weight == 0 and criterion.must
    with pytest.raises(ValidationError) as info:
        await ittools.set_note(owner, cid, comparison.id, 'teams:qa_search', 'x' * 501)
    assert info.value.key == 'error.too_long'
    entry = await ittools.set_note(owner, cid, comparison.id, 'teams:qa_search', ' Goed\x00 <b>zoeken</b>\n\n\n\nja ')
    assert entry.value == 'Goed <b>zoeken</b>\n\nja'  # kept as plain text: the pages never render it as HTML


async def test_concurrent_edits_keep_every_different_cell_and_the_last_of_the_same(
    ittools, people, cid, comparison, store, tmp_path
):
    owner = ittools.user_actor(people['owner'], cid)
    co = ittools.user_actor(people['co'], cid)
    seen = []
    ittools.subscribe(cid, comparison.id, seen.append)
    await asyncio.gather(
        ittools.set_score(owner, cid, comparison.id, 'teams:qa_search', 1),
        ittools.set_score(co, cid, comparison.id, 'humhub:qa_search', 3),
        ittools.set_score(owner, cid, comparison.id, 'teams:co_editing', 2),
        ittools.set_score(co, cid, comparison.id, 'teams:co_editing', 3),
    )
    current = ittools.comparison(owner, cid, comparison.id)
    assert current.score('teams:qa_search') == 1 and current.score('humhub:qa_search') == 3
    assert current.score('teams:co_editing') == 3 and current.scores['teams:co_editing'].by == 'Co'
    assert [c.kind for c in seen] == ['score'] * 4
    # on disk, read back by a fresh store: the same
    reopened = ITTools(Store(tmp_path, BackupPolicy(min_interval=0)), ittools.communities, ittools.accounts, CATALOGUE)
    again = reopened.room(cid, comparison.id).comparison
    assert {k: e.value for k, e in again.scores.items()} == {k: e.value for k, e in current.scores.items()}


async def test_undo_takes_back_ones_own_change_unless_someone_changed_it_since(ittools, people, cid, comparison):
    owner = ittools.user_actor(people['owner'], cid)
    co = ittools.user_actor(people['co'], cid)
    await ittools.set_score(owner, cid, comparison.id, 'teams:qa_search', 1)
    await ittools.set_score(owner, cid, comparison.id, 'teams:qa_search', 3)
    await ittools.undo(owner, cid, comparison.id)
    assert ittools.comparison(owner, cid, comparison.id).score('teams:qa_search') == 1
    await ittools.undo(owner, cid, comparison.id)
    assert ittools.comparison(owner, cid, comparison.id).score('teams:qa_search') is None
    with pytest.raises(ValidationError) as info:
        await ittools.undo(owner, cid, comparison.id)
    assert info.value.key == 'ittools.error.nothing_to_undo'
    await ittools.set_score(owner, cid, comparison.id, 'teams:qa_search', 2)
    await ittools.set_score(co, cid, comparison.id, 'teams:qa_search', 0)
    with pytest.raises(ValidationError) as info:
        await ittools.undo(owner, cid, comparison.id)
    assert info.value.key == 'ittools.error.undo_changed' and info.value.params == {'name': 'Co'}
    assert ittools.comparison(owner, cid, comparison.id).score('teams:qa_search') == 0  # theirs stays
    await ittools.set_weight(co, cid, comparison.id, 'qa_search', weight=5)
    await ittools.undo(co, cid, comparison.id)
    assert ittools.comparison(co, cid, comparison.id).criterion('qa_search').weight == 3


async def test_a_failed_write_takes_the_change_back_and_resets_the_pages_that_saw_it(
    ittools, owner, cid, comparison, store, monkeypatch
):
    # the others hear an edit before it is on disk (a meeting does not wait for an fsync); only the author's
    # acknowledgement waits. If the disk refuses, the change is taken back and every open page starts again from
    # the model as it is (a reset), so nobody keeps seeing a value that was not saved.
    seen = []
    ittools.subscribe(cid, comparison.id, lambda change: seen.append((change.kind, room_score())))

    def room_score():
        return ittools.comparison(owner, cid, comparison.id).score('teams:qa_search')

    def broken(payload):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(store.community(cid).file, 'write', broken)
    with pytest.raises(AppError) as info:
        await ittools.set_score(owner, cid, comparison.id, 'teams:qa_search', 2)
    assert info.value.key == 'ittools.error.save'
    assert room_score() is None
    assert seen == [('score', 2), ('reset', None)]
    assert not ittools.can_undo(owner, cid, comparison.id)
    seen.clear()
    with pytest.raises(AppError):
        await ittools.set_weight(owner, cid, comparison.id, 'qa_search', weight=5)
    assert [kind for kind, _ in seen] == ['criterion', 'reset']
    assert ittools.comparison(owner, cid, comparison.id).criterion('qa_search').weight == 3


async def test_a_broken_listener_does_not_stop_the_others(ittools, owner, cid, comparison):
    seen = []

    def broken(change):
        raise RuntimeError('page gone')

    ittools.subscribe(cid, comparison.id, broken)
    ittools.subscribe(cid, comparison.id, seen.append)
    await ittools.set_score(owner, cid, comparison.id, 'teams:qa_search', 2)
    assert [c.kind for c in seen] == ['score']


async def test_structure_changes(ittools, owner, cid, comparison):
    ref = await ittools.add_tool(owner, cid, comparison.id, name='  Ons intranet ', description='Drupal')
    assert ref.id.startswith('t_') and ref.name == 'Ons intranet'
    with pytest.raises(ValidationError):
        await ittools.add_tool(owner, cid, comparison.id, name='ons INTRANET')
    with pytest.raises(ValidationError):
        await ittools.add_tool(owner, cid, comparison.id, 'teams')
    await ittools.add_tool(owner, cid, comparison.id, 'nextcloud')
    own = await ittools.add_criterion(owner, cid, comparison.id, title='Werkt met eID', weight=2)
    await ittools.set_score(owner, cid, comparison.id, f'{ref.id}:{own.id}', 3)
    await ittools.remove_tool(owner, cid, comparison.id, ref.id)
    current = ittools.comparison(owner, cid, comparison.id)
    assert current.tool(ref.id) is None and not any(k.startswith(ref.id) for k in current.scores)
    await ittools.remove_criterion(owner, cid, comparison.id, own.id)
    assert current.criterion(own.id) is None
    await ittools.rename(owner, cid, comparison.id, 'Nieuwe naam')
    assert current.title == 'Nieuwe naam'
    await ittools.delete(owner, cid, comparison.id)
    with pytest.raises(NotFound):
        ittools.comparison(owner, cid, comparison.id)


# -- meetings ----------------------------------------------------------------------------------------------------------


async def _meeting(ittools, owner, cid, comparison, mode='together'):
    meeting = await ittools.meetings.start_meeting(owner, cid, comparison.id, mode=mode)
    ref = ittools.meetings.find_meeting(meeting.code, 'browser', '10.0.0.1')
    return meeting, ref


async def test_a_meeting_code_is_short_easy_and_forgiving(ittools, owner, cid, comparison):
    meeting, ref = await _meeting(ittools, owner, cid, comparison)
    assert len(meeting.code) == 6 and not set(meeting.code) & set('0O1IL25SB8UVZG6')
    typed = f' {meeting.code[:3].lower()}-{meeting.code[3:]} '
    assert ittools.meetings.find_meeting(typed, 's', 'a').meeting_id == ref.meeting_id
    assert ref.title == 'Onze ruimte' and ref.community_name == 'CoP Digitaal'
    again = await ittools.meetings.start_meeting(owner, cid, comparison.id)
    assert again.code == meeting.code  # one meeting at a time


async def test_wrong_codes_are_rate_limited_per_browser_without_locking_out_the_room(ittools, owner, cid, comparison):
    meeting, _ = await _meeting(ittools, owner, cid, comparison)
    wrong = 0
    for _ in range(10):
        try:
            ittools.meetings.find_meeting('XXXXXX', 'guesser', '10.0.0.9')
        except NotFound as e:
            assert e.key == 'meeting.error.code'
            wrong += 1
        except ValidationError as e:
            assert e.key == 'meeting.error.too_many' and e.params['minutes'] >= 1
            break
    else:
        raise AssertionError('wrong codes were never locked out')
    assert 3 <= wrong <= 6  # a few typos are forgiven
    with pytest.raises(ValidationError):
        ittools.meetings.find_meeting(meeting.code, 'guesser', '10.0.0.9')  # even the right code, for a while
    assert ittools.meetings.find_meeting(meeting.code, 'colleague', '10.0.0.9').code == meeting.code  # same address
    for garbage in (None, 42, '', 'x' * 10_000, '<script>'):
        with pytest.raises(NotFound):
            ittools.meetings.find_meeting(garbage, f'other-{garbage!r:.10}', '10.0.0.7')


@pytest.mark.parametrize(
    'name, key',
    [
        ('', 'meeting.error.name_required'),
        ('   ', 'meeting.error.name_required'),
        ('<b>Anna</b>', 'meeting.error.name_markup'),
        ('<img src=x onerror=alert(1)>', 'meeting.error.name_markup'),
        ('A' * 10_000, 'error.too_long'),
        ('A' * 41, 'error.too_long'),
        (12, 'error.invalid'),
    ],
)
async def test_bad_display_names_are_refused(ittools, owner, cid, comparison, name, key):
    _, ref = await _meeting(ittools, owner, cid, comparison)
    with pytest.raises(ValidationError) as info:
        await ittools.meetings.join(ref, name)
    assert info.value.key == key
    assert ittools.meetings.meeting(cid, comparison.id).participants == {}


def test_display_names_are_cleaned():
    assert clean_display_name('  Anna \u202e  De\tWit ') == 'Anna De Wit'
    assert clean_display_name('Élodie') == 'Élodie'


async def test_participants_edit_together_but_never_run_the_meeting(ittools, owner, cid, comparison):
    _, ref = await _meeting(ittools, owner, cid, comparison)
    anna = await ittools.meetings.join(ref, 'Anna')
    with pytest.raises(ValidationError) as info:
        await ittools.meetings.join(ref, 'anna')
    assert info.value.key == 'meeting.error.name_taken'
    entry = await ittools.set_score(anna, cid, comparison.id, 'teams:qa_search', 2)
    assert entry.by == 'Anna' and entry.by_id == anna.id
    await ittools.set_note(anna, cid, comparison.id, 'teams:qa_search', 'zoekt ook in bijlagen')
    with pytest.raises(PermissionDenied) as info:
        await ittools.set_weight(anna, cid, comparison.id, 'qa_search', weight=5)
    assert info.value.key == 'meeting.error.weights_locked'
    for action in (
        ittools.meetings.set_mode(anna, cid, comparison.id, 'private'),
        ittools.meetings.end_meeting(anna, cid, comparison.id),
        ittools.meetings.set_weights_policy(anna, cid, comparison.id, 'everyone'),
        ittools.record_decision(anna, cid, comparison.id, 'teams', 'x', '2026-01-01'),
        ittools.delete(anna, cid, comparison.id),
        ittools.meetings.adopt_means(anna, cid, comparison.id),
        ittools.create(anna, cid, 'x', template_id='m365'),
    ):
        with pytest.raises(PermissionDenied):
            await action
    with pytest.raises(PermissionDenied):
        ittools.comparisons(anna, cid)
    await ittools.meetings.set_weights_policy(owner, cid, comparison.id, 'everyone')
    await ittools.set_weight(anna, cid, comparison.id, 'qa_search', weight=5)
    await ittools.meetings.set_weights_policy(owner, cid, comparison.id, 'locked')
    with pytest.raises(PermissionDenied):
        await ittools.set_weight(owner, cid, comparison.id, 'qa_search', weight=1)  # locked for everyone
    # someone with a participant id of another meeting gets nothing
    stranger = type(anna)(id='p:0123456789abcdef', name='X', meeting_id=ref.meeting_id)
    with pytest.raises(PermissionDenied):
        await ittools.set_score(stranger, cid, comparison.id, 'teams:qa_search', 1)


async def test_private_round_then_reveal(ittools, owner, cid, comparison):
    _, ref = await _meeting(ittools, owner, cid, comparison, mode='private')
    anna, bert = await ittools.meetings.join(ref, 'Anna'), await ittools.meetings.join(ref, 'Bert')
    await ittools.set_score(owner, cid, comparison.id, 'teams:qa_search', 3)
    await ittools.set_score(anna, cid, comparison.id, 'teams:qa_search', 0)
    await ittools.set_score(bert, cid, comparison.id, 'teams:qa_search', 1)
    await ittools.set_score(bert, cid, comparison.id, 'humhub:qa_search', 2)
    assert ittools.comparison(owner, cid, comparison.id).scores == {}  # nothing shared yet
    assert ittools.meetings.private_scores(anna, cid, comparison.id) == {'teams:qa_search': 0}
    rights = ittools.meetings.rights(anna, cid, comparison.id)
    assert rights.private and not rights.totals and not rights.stats and not rights.notes
    with pytest.raises(PermissionDenied) as info:
        await ittools.set_note(anna, cid, comparison.id, 'teams:qa_search', 'anchoring')
    assert info.value.key == 'meeting.error.private_notes'
    with pytest.raises(PermissionDenied):
        await ittools.meetings.set_mode(anna, cid, comparison.id, 'revealed')
    await ittools.meetings.set_mode(owner, cid, comparison.id, 'revealed')
    stats = ittools.room(cid, comparison.id).stats()
    assert stats['teams:qa_search'].n == 3 and stats['teams:qa_search'].disagreement
    assert not stats['humhub:qa_search'].disagreement
    assert ittools.meetings.rights(anna, cid, comparison.id).stats
    await ittools.set_score(anna, cid, comparison.id, 'teams:qa_search', 2)  # the agreed value
    filled = await ittools.meetings.adopt_means(owner, cid, comparison.id)
    assert filled == 1 and ittools.comparison(owner, cid, comparison.id).score('humhub:qa_search') == 2
    assert ittools.comparison(owner, cid, comparison.id).score('teams:qa_search') == 2
    await ittools.meetings.set_mode(owner, cid, comparison.id, 'private')  # a new round starts empty
    assert ittools.meetings.private_scores(anna, cid, comparison.id) == {}


async def test_ending_a_meeting_stops_the_code_and_keeps_the_result(ittools, owner, cid, comparison):
    meeting, ref = await _meeting(ittools, owner, cid, comparison)
    anna = await ittools.meetings.join(ref, 'Anna')
    await ittools.set_score(anna, cid, comparison.id, 'teams:qa_search', 2)
    await ittools.meetings.end_meeting(owner, cid, comparison.id)
    with pytest.raises(NotFound) as info:
        ittools.meetings.find_meeting(meeting.code, 'b', 'a')
    assert info.value.key == 'meeting.error.ended'
    with pytest.raises(PermissionDenied) as info:
        await ittools.set_score(anna, cid, comparison.id, 'teams:qa_search', 3)
    assert info.value.key == 'meeting.error.ended'
    assert ittools.comparison(owner, cid, comparison.id).score('teams:qa_search') == 2
    with pytest.raises(NotFound):
        await ittools.meetings.join(ref, 'Bert')


async def test_an_expired_meeting_no_longer_lets_anyone_in(ittools, owner, cid, comparison, store):
    meeting, ref = await _meeting(ittools, owner, cid, comparison)
    anna = await ittools.meetings.join(ref, 'Anna')
    ittools.room(cid, comparison.id).meeting.expires = '2000-01-01T00:00:00+00:00'
    store.accounts.table('ittools_codes').update({'expires': '2000-01-01T00:00:00+00:00'})
    with pytest.raises(NotFound) as info:
        ittools.meetings.find_meeting(meeting.code, 'b', 'a')
    assert info.value.key == 'meeting.error.ended'
    with pytest.raises(PermissionDenied):
        await ittools.set_score(anna, cid, comparison.id, 'teams:qa_search', 3)


# -- decision, export, import ------------------------------------------------------------------------------------------


async def test_decision_is_validated_and_retrievable_as_plain_data(ittools, owner, cid, comparison):
    assert ittools.latest_decision(cid) is None
    for tool, why, day, key in (
        ('slack', 'x', '2026-03-01', 'ittools.error.decision_tool'),
        ('teams', '  ', '2026-03-01', 'ittools.error.rationale_required'),
        ('teams', 'x', '01/03/2026', 'ittools.error.date'),
        ('teams', 'x', '2026-02-30', 'ittools.error.date'),
        ('teams', 'x' * 2001, '2026-03-01', 'error.too_long'),
    ):
        with pytest.raises(ValidationError) as info:
            await ittools.record_decision(owner, cid, comparison.id, tool, why, day)
        assert info.value.key == key
    await ittools.set_score(owner, cid, comparison.id, 'teams:data_protection', 2)
    await ittools.set_score(owner, cid, comparison.id, 'humhub:data_protection', 0)
    await ittools.record_decision(owner, cid, comparison.id, 'teams', 'Iedereen kent het.', '2026-03-01')
    record = ittools.latest_decision(cid)
    json.dumps(record)  # plain data
    assert record['tool_id'] == 'teams' and record['tool_name']['fr'] == 'Microsoft Teams'
    assert record['rationale'] == 'Iedereen kent het.' and record['date'] == '2026-03-01'
    assert record['ranking'][0]['tool_id'] == 'teams' and record['ranking'][0]['rank'] == 1
    humhub = next(r for r in record['ranking'] if r['tool_id'] == 'humhub')
    assert humhub['excluded'] and humhub['failed'][0]['nl'].startswith('Gegevensbescherming')
    assert {c['id'] for c in record['criteria']} == {c.id for c in comparison.criteria}
    assert sum(c['share'] for c in record['criteria']) == pytest.approx(1)


async def test_csv_export_is_spreadsheet_safe(ittools, owner, cid, comparison):
    await ittools.set_score(owner, cid, comparison.id, 'teams:qa_search', 2)
    await ittools.set_note(owner, cid, comparison.id, 'teams:qa_search', '=HYPERLINK("http://evil")')
    t = Translator(
        Catalog(
            {
                'ittools.csv.criterion': {'nl': 'Criterium'},
                'ittools.csv.score_of': {'nl': '{tool}'},
                'ittools.csv.note_of': {'nl': '{tool} notitie'},
            }
        ),
        'nl',
    )
    payload = export_csv(CATALOGUE, ittools.comparison(owner, cid, comparison.id), t)
    assert payload.startswith('\ufeff'.encode())
    rows = list(csv.reader(io.StringIO(payload.decode('utf-8-sig')), delimiter=';'))
    header = rows[0]
    assert header[0] == 'Criterium' and 'Microsoft Teams' in header
    qa = next(r for r in rows if r[0].startswith('Vragen'))
    column = header.index('Microsoft Teams')
    assert qa[column] == '2' and qa[column + 1] == '\'=HYPERLINK("http://evil")'


async def test_export_and_import_carry_the_comparison_and_refuse_tampering(
    ittools, communities, people, owner, cid, comparison
):
    _, ref = await _meeting(ittools, owner, cid, comparison)
    await ittools.set_score(await ittools.meetings.join(ref, 'Anna'), cid, comparison.id, 'teams:qa_search', 2)
    payload = communities.export(people['owner'].id, cid)
    document = json.loads(payload)
    assert 'ittools_comparisons' in document['tables']
    assert 'ittools_meetings' not in document['tables']  # live meetings stay behind
    copy = await communities.import_(people['other'].id, payload)
    other = ittools.user_actor(people['other'], copy.id)
    imported = ittools.comparisons(other, copy.id)[0]
    assert imported.score('teams:qa_search') == 2
    assert (
        ittools.meetings.meeting(copy.id, imported.id) is None
    )  # the copied meeting is over: its code leads elsewhere

    def tampered(change) -> bytes:
        doc = json.loads(payload)
        change(doc['tables']['ittools_comparisons'][0])
        return json.dumps(doc).encode()

    for change in (
        lambda d: d['scores']['teams:qa_search'].update(value=7),
        lambda d: d['scores'].update({'slack:chat': d['scores']['teams:qa_search']}),
        lambda d: d['criteria'][0].update(weight=9),
        lambda d: d.update(title='x' * 500),
        lambda d: d['tools'].append({'id': 'Bad Id', 'catalogue': True}),
        lambda d: d['scores']['teams:qa_search'].update(rev=10**9),
    ):
        with pytest.raises(ValidationError) as info:
            await communities.import_(people['other'].id, tampered(change))
        assert info.value.key.startswith('import.error.') and info.value.params['table'] == 'ittools_comparisons'


# -- reading cheaply, damaged files, the rooms kept in memory ----------------------------------------------------------


async def test_an_unreadable_comparison_is_a_damaged_file_not_a_crash(ittools, owner, cid, comparison, store):
    store.community(cid).table(COMPARISONS).update({'scores': 'not a mapping'}, doc_ids=[1])
    ittools.drop_room(cid, comparison.id)
    with pytest.raises(DamagedFileError):
        ittools.comparison(owner, cid, comparison.id)
    assert ittools.comparisons(owner, cid) == [] and ittools.count(cid) == 1 and not ittools.has_decision(cid)


async def test_decision_and_count_are_read_without_loading_every_comparison(ittools, owner, cid, comparison):
    assert not ittools.has_decision(cid) and ittools.latest_decided(cid) is None and ittools.count(cid) == 1
    second = await ittools.create(owner, cid, 'Tweede', template_id='m365')
    with clock.frozen(datetime(2026, 3, 2, 10, tzinfo=UTC)):
        await ittools.record_decision(owner, cid, second.id, 'humhub', 'Later.', '2026-03-02')
    with clock.frozen(datetime(2026, 3, 1, 10, tzinfo=UTC)):
        await ittools.record_decision(owner, cid, comparison.id, 'teams', 'Eerst.', '2026-03-01')
    assert ittools.has_decision(cid) and ittools.count(cid) == 2
    assert ittools.latest_decided(cid).id == second.id == ittools.latest_decision(cid)['comparison_id']


async def test_running_meetings_are_listed_from_one_read(ittools, owner, cid, comparison):
    other = await ittools.create(owner, cid, 'Zonder vergadering', template_id='m365')
    assert ittools.active_meetings(owner, cid) == {}
    meeting, _ = await _meeting(ittools, owner, cid, comparison)
    running = ittools.active_meetings(owner, cid)
    assert list(running) == [comparison.id] and running[comparison.id].code == meeting.code and other.id not in running
    await ittools.meetings.end_meeting(owner, cid, comparison.id)
    assert ittools.active_meetings(owner, cid) == {}


async def test_meetings_stored_with_the_old_scorer_names_still_read(ittools, owner, cid, comparison, store):
    await _meeting(ittools, owner, cid, comparison, mode='private')
    doc = dict(store.community(cid).table(MEETINGS).all()[0])
    assert 'scorer_names' not in doc
    doc['scorer_names'] = {'u:abc': 'Clara'}  # as files written by earlier versions hold it
    assert meeting_from_doc(doc).id == doc['id']


async def test_private_scoring_hides_who_edits_from_everyone_not_only_from_scorers(
    ittools, people, owner, cid, comparison
):
    coach = ittools.user_actor(people['coach'], cid)
    room = ittools.room(cid, comparison.id)
    assert not hides_shared(room, ittools.meetings.rights(coach, cid, comparison.id))
    await _meeting(ittools, owner, cid, comparison, mode='private')
    for actor in (coach, owner):
        assert hides_shared(room, ittools.meetings.rights(actor, cid, comparison.id))
    await ittools.meetings.set_mode(owner, cid, comparison.id, 'revealed')
    assert not hides_shared(room, ittools.meetings.rights(coach, cid, comparison.id))


async def test_rooms_nobody_has_open_are_a_bounded_cache(ittools, owner, cid, comparison, monkeypatch):
    monkeypatch.setattr(ittools_rooms, 'MAX_IDLE_ROOMS', 2)
    others = [await ittools.create(owner, cid, f'Nummer {i}', template_id='m365') for i in range(4)]
    ittools.subscribe(cid, comparison.id, lambda change: None)  # a page has this one open
    for other in others:
        ittools.comparison(owner, cid, other.id)
    assert set(ittools.rooms.loaded) == {(cid, comparison.id), (cid, others[2].id), (cid, others[3].id)}
    assert ittools.comparison(owner, cid, others[0].id).title == 'Nummer 0'  # read again when needed


# -- issue 17: the reveal replaces, completeness, plain words ----------------------------------------------------------


def test_completeness_counts_cells_fully_scored_criteria_and_unscored_must_haves():
    comparison = _matrix(
        {'p': 3, 'q': 3, 'r': 1}, {'a:p': 2, 'b:p': 0, 'a:q': 3, 'b:r': None}, tools=('a', 'b'), must=('q', 'r')
    )
    comparison.scores.pop('b:r')
    done = completeness(comparison)
    assert (done.cells, done.scored_cells, done.criteria, done.scored_criteria) == (6, 3, 3, 1)
    assert done.must_unscored == ('q', 'r') and not done.complete and done.share == pytest.approx(0.5)
    full = completeness(_matrix({'p': 1}, {'a:p': 0, 'b:p': 3}, tools=('a', 'b'), must=('p',)))
    assert full.complete and full.must_unscored == ()
    assert not completeness(_matrix({}, {})).complete  # an empty matrix is not a complete one


def test_completeness_in_words_names_the_unscored_must_haves():
    t = Translator(UI, 'fr')
    comparison = _matrix({'p': 3, 'q': 3}, {'a:p': 2, 'b:p': 1}, tools=('a', 'b'), must=('q',))
    lines = completeness_text(completeness(comparison), ['Sécurité'], t)
    assert lines[0] == '1 critères sur 2 sont notés pour chaque outil (50\u00a0% des cellules).'
    assert 'Sécurité' in lines[1]


async def test_the_reveal_replaces_earlier_shared_scores_and_the_average_uses_only_the_round(
    ittools, owner, cid, comparison
):
    await ittools.set_score(owner, cid, comparison.id, 'teams:qa_search', 0)  # shared, before the round
    await ittools.set_score(owner, cid, comparison.id, 'humhub:qa_search', 3)
    await ittools.set_score(owner, cid, comparison.id, 'teams:ease_of_use', 1)  # the round leaves this one alone
    meeting, ref = await _meeting(ittools, owner, cid, comparison)
    anna, bert = await ittools.meetings.join(ref, 'Anna'), await ittools.meetings.join(ref, 'Bert')
    await ittools.meetings.set_mode(owner, cid, comparison.id, 'private')
    for actor, key, value in (
        (anna, 'teams:qa_search', 3),
        (bert, 'teams:qa_search', 2),
        (anna, 'humhub:qa_search', 1),
        (bert, 'humhub:qa_search', 1),
        (anna, 'teams:data_protection', 2),
    ):
        await ittools.set_score(actor, cid, comparison.id, key, value)
    await ittools.meetings.set_mode(owner, cid, comparison.id, 'revealed')
    shown = ittools.comparison(owner, cid, comparison.id)
    assert shown.score('teams:qa_search') is None and shown.score('humhub:qa_search') is None  # no old value beside
    assert shown.score('teams:ease_of_use') == 1  # not scored in the round: kept
    await ittools.set_score(bert, cid, comparison.id, 'humhub:qa_search', 2)  # agreed after the reveal: kept
    assert await ittools.meetings.adopt_means(owner, cid, comparison.id) == 2
    after = ittools.comparison(owner, cid, comparison.id)
    assert after.score('teams:qa_search') == 3  # mean 2.5 of the round, not mixed with the earlier 0
    assert after.score('humhub:qa_search') == 2 and after.score('teams:data_protection') == 2
    assert after.score('teams:ease_of_use') == 1
    stored = ittools.room(cid, comparison.id).db.table(COMPARISONS).all()[0]['scores']
    assert stored['teams:qa_search']['value'] == 3  # on disk too


def test_round_figures_are_put_in_plain_words_with_the_figures_for_a_tooltip():
    t = Translator(UI, 'nl')
    words = stats_words(cell_stats([1, 2, 2]), t)
    assert words['text'] == 'Voorstel: 2 · Goed'
    assert words['range'] == '3 stemmen, van 1 tot 2'
    assert words['detail'] == 'In cijfers: gemiddelde 1,7, laagste 1, hoogste 2, 3 stemmen'
    assert 'gem.' not in words['text'] + words['range'] and 'n=' not in words['text'] + words['range']
    same = stats_words(cell_stats([3]), Translator(UI, 'fr'))
    assert same['range'] == '1 vote\u00a0: 3 (Très bien)' and not same['disagree']


async def test_the_dossier_states_how_complete_the_matrix_was(ittools, owner, cid, comparison):
    await ittools.set_score(owner, cid, comparison.id, 'teams:data_protection', 2)
    await ittools.record_decision(owner, cid, comparison.id, 'teams', 'Snel beslist.', '2026-03-01')
    record = ittools.latest_decision(cid)
    json.dumps(record)
    facts = completeness_facts(record, Translator(UI, 'nl'))
    assert len(facts) == 1 and facts[0][0] == 'Volledigheid van de matrix:'
    assert facts[0][1].startswith(f'0 van de {len(comparison.criteria)} criteria')
    assert 'Onmisbaar en nog niet voor elke tool gescoord' in facts[0][1]
    assert completeness_facts({'title': 'older record'}, Translator(UI, 'nl')) == []


async def test_a_join_builds_the_presence_list_once_per_language_not_once_per_page(
    ittools, owner, cid, comparison, monkeypatch
):
    from core.ittools import view
    from core.ittools.live import Room

    catalog = UI
    t_nl, t_fr = Translator(catalog, 'nl'), Translator(catalog, 'fr')
    built = []
    lines = view.presence_lines
    monkeypatch.setattr(view, 'presence_lines', lambda rows, t, **kw: built.append(t.lang) or lines(rows, t, **kw))
    sorted_rows = []
    present = Room._present
    monkeypatch.setattr(Room, '_present', lambda room: sorted_rows.append(1) or present(room))
    _, ref = await _meeting(ittools, owner, cid, comparison, mode='private')
    shown: dict[int, str] = {}

    def page(n: int, t: Translator):  # what each open page does when the presence changes
        def heard(change):
            if change.kind in ('presence', 'progress', 'meeting'):
                shown[n] = ittools.presence_view(cid, comparison.id, t, show_progress=True).text

        return heard

    for n in range(60):
        ittools.subscribe(cid, comparison.id, page(n, t_nl if n % 2 else t_fr))
    people = []
    for n in range(20):
        people.append(await ittools.meetings.join(ref, f'Deelnemer {n:02}'))
        ittools.enter(people[-1], cid, comparison.id)
    # one text per change and language for sixty pages: twenty entries, and the first name given (nobody there yet)
    assert built.count('nl') == built.count('fr') == 21
    assert len(sorted_rows) == 21
    assert 'Deelnemer 19' in shown[1] and 'Deelnemer 19' in shown[0] and shown[1] != shown[0]
    built.clear()
    await ittools.set_score(people[0], cid, comparison.id, 'teams:qa_search', 2)  # private progress: 1/48
    assert 'Deelnemer 00: 1/48' in shown[1] and built.count('nl') == 1
    assert ittools.presence_view(cid, comparison.id, t_nl, show_progress=True).text == shown[1]
    assert built.count('nl') == 1  # nothing changed: the same text, not built again
