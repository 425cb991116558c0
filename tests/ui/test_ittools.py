"""The IT-tools comparison with several simulated people: a coordinator and participants in one meeting.

Each simulated person has their own matrix element; `view.state` is exactly what that person's browser shows
(the element applies every patch it sends). Edits are sent as the browser sends them: events on the element.
"""

from __future__ import annotations

import asyncio
import csv
import io

from nicegui import app
from nicegui.testing import User

from components.ittools_matrix import MatrixView
from core.ittools import COMPARISONS

from .helpers import PASSWORD, create_community, log_in, settle, sign_up


def services():
    return app.state.services


def presence(user: User) -> str:
    return next(iter(user.find(marker='presence').elements)).text


def matrix(user: User) -> MatrixView:
    return next(iter(user.find(marker='matrix').elements))


async def until(check, what: str, timeout: float = 4.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f'timed out waiting for {what}')


class Person:
    """One simulated browser with a matrix: sends edits as events and waits for their acknowledgement."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.seq = 0

    @property
    def view(self) -> MatrixView:
        return matrix(self.user)

    async def send(self, event: str, **args) -> dict:
        self.seq += 1
        seq = self.seq
        view = self.view
        self.user.find(marker='matrix').trigger(event, {**args, 'seq': seq})
        await until(lambda: any(a.get('seq') == seq for a in view.acks), f'{event} ack {seq}')
        return next(a for a in view.acks if a.get('seq') == seq)

    async def score(self, key: str, value) -> dict:
        return await self.send('score', key=key, value=value)

    def shows(self, key: str):
        return self.view.shown_score(key)


async def coordinator_with_comparison(user: User) -> tuple[str, str]:
    await sign_up(user, 'Clara Coördinator', 'clara@example.be')
    cid = await create_community(user, 'CoP Digitaal')
    await user.open(f'/c/{cid}/ittools/new')
    await user.should_see(marker='template-choice')
    before = len(user.back_history)
    user.find(marker='create-comparison').click()
    await settle(user, before)
    await user.should_see(marker='matrix')
    comparison_id = user.back_history[-1].split('/')[-1]
    return cid, comparison_id


async def start_meeting(user: User, cid: str, comparison_id: str, mode: str = 'together') -> str:
    if mode != 'together':
        user.find(marker='start-mode').elements.pop().value = mode
    user.find(marker='start-meeting').click()
    await user.should_see(marker='meeting-code')
    return services().ittools.meetings.meeting(cid, comparison_id).code


async def join(user: User, code: str, name: str) -> Person:
    await user.open('/m')
    user.find(marker='join-code').type(code.lower()[:3] + ' ' + code.lower()[3:])
    before = len(user.back_history)
    user.find(marker='join-go').click()
    await settle(user, before)
    user.find(marker='join-name').type(name)
    before = len(user.back_history)
    user.find(marker='join-submit').click()
    await settle(user, before)
    await user.should_see(marker='matrix')
    return Person(user)


async def test_create_from_template_and_score_with_totals(user: User):
    cid, comparison_id = await coordinator_with_comparison(user)
    clara = Person(user)
    state = clara.view.state
    assert [t['id'] for t in state['tools']] == ['teams', 'sharepoint', 'viva_engage', 'humhub']
    assert next(c for c in state['criteria'] if c['id'] == 'data_protection')['must']
    ack = await clara.score('teams:data_protection', 3)
    assert ack['ok'] and clara.shows('teams:data_protection') == 3
    assert clara.view.state['totals']['teams']['pct'] == '12\u00a0%'  # 5 x 3 of 3 x 43
    await clara.score('humhub:data_protection', 0)
    assert clara.view.state['totals']['humhub']['excluded']
    assert clara.view.state['totals']['teams']['rank'] == 1
    await clara.send('weight', criterion='data_protection', weight=1)
    assert next(c for c in clara.view.state['criteria'] if c['id'] == 'data_protection')['weight'] == 1
    user.find(marker='undo').click()
    await until(
        lambda: next(c for c in clara.view.state['criteria'] if c['id'] == 'data_protection')['weight'] == 5,
        'undo of the weight',
    )


async def test_two_people_edit_different_cells_at_once_and_both_keep_their_edit(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    clara = Person(user)
    anna = await join(create_user(), code, 'Anna')
    bert = await join(create_user(), code, 'Bert')
    await until(
        lambda: all(n in presence(user) for n in ('Anna', 'Bert', 'Clara Coördinator (coördinatie)')),
        'three people present',
    )
    results = await asyncio.gather(
        anna.score('teams:qa_search', 2),
        bert.score('humhub:qa_search', 3),
        clara.score('sharepoint:qa_search', 1),
        anna.score('teams:co_editing', 3),
        bert.score('humhub:co_editing', 0),
    )
    assert all(r['ok'] for r in results)
    expected = {
        'teams:qa_search': 2,
        'humhub:qa_search': 3,
        'sharepoint:qa_search': 1,
        'teams:co_editing': 3,
        'humhub:co_editing': 0,
    }
    for person in (clara, anna, bert):
        assert {k: person.shows(k) for k in expected} == expected
    stored = services().ittools.room(cid, comparison_id).comparison
    assert {k: stored.score(k) for k in expected} == expected
    # the author is named on the others' screens, and never on one's own
    assert clara.view.state['scores']['teams:qa_search']['by'] == 'Anna'
    assert anna.view.state['scores']['teams:qa_search']['mine'] is True


async def test_the_later_edit_of_the_same_cell_wins_everywhere_and_the_earlier_author_can_put_theirs_back(
    user: User, create_user
):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    clara = Person(user)
    anna = await join(create_user(), code, 'Anna')
    await anna.score('viva_engage:notifications', 3)
    await clara.score('viva_engage:notifications', 1)
    for person in (clara, anna):
        await until(lambda p=person: p.shows('viva_engage:notifications') == 1, 'the later value')
    conflict = anna.view.state['conflicts']['viva_engage:notifications']
    assert 'Clara Coördinator' in conflict['text'] and conflict['value'] == 3
    assert 'viva_engage:notifications' not in clara.view.state['conflicts']
    await anna.send('restore', key='viva_engage:notifications')
    for person in (clara, anna):
        await until(lambda p=person: p.shows('viva_engage:notifications') == 3, 'the restored value')
    assert 'viva_engage:notifications' not in anna.view.state['conflicts']
    # a note typed at the same time as someone else's score in that cell: both stay
    await asyncio.gather(
        anna.send('note', key='teams:notifications', text='Digest per e-mail'), clara.score('teams:notifications', 2)
    )
    for person in (clara, anna):
        assert person.view.shown_note('teams:notifications') == 'Digest per e-mail'
        assert person.shows('teams:notifications') == 2


async def test_someone_editing_a_cell_is_shown_to_the_others(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    clara = Person(user)
    anna = await join(create_user(), code, 'Anna')
    anna.user.find(marker='matrix').trigger('focus', {'key': 'teams:co_editing'})
    await until(lambda: clara.view.state['editing'].get('teams:co_editing') == 'Anna', 'the editing mark')
    assert anna.view.state['editing'] == {}  # not on one's own screen
    anna.user.find(marker='matrix').trigger('blur', {'key': 'teams:co_editing'})
    await until(lambda: clara.view.state['editing'] == {}, 'the mark cleared')


async def test_crafted_and_bad_events_are_refused_and_the_meeting_goes_on(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    clara = Person(user)
    anna = await join(create_user(), code, 'Anna')
    room = services().ittools.room(cid, comparison_id)
    before = (dict(room.comparison.scores), [(c.id, c.weight, c.must) for c in room.comparison.criteria])
    for event, args, message in (
        ('weight', {'criterion': 'data_protection', 'weight': 0}, 'De gewichten zijn vergrendeld'),
        ('must', {'criterion': 'data_protection', 'must': False}, 'De gewichten zijn vergrendeld'),
        ('score', {'key': 'teams:qa_search', 'value': 9}, 'Een score is 0, 1, 2 of 3.'),
        ('score', {'key': 'teams:qa_search', 'value': '3'}, 'Een score is 0, 1, 2 of 3.'),
        ('score', {'key': 'slack:chat', 'value': 1}, 'Deze cel bestaat niet'),
        ('score', {'key': {'$gt': ''}, 'value': 1}, 'Deze cel bestaat niet'),
        ('note', {'key': 'teams:qa_search', 'text': 'x' * 5000}, 'Te lang'),
        ('score', {}, 'Deze cel bestaat niet'),
    ):
        ack = await anna.send(event, **args)
        assert not ack['ok'] and ack['message'].startswith(message), (event, args, ack)
    anna.user.find(marker='matrix').trigger('score', 'not even a mapping')
    await asyncio.sleep(0.2)
    assert (dict(room.comparison.scores), [(c.id, c.weight, c.must) for c in room.comparison.criteria]) == before
    # the meeting goes on for everyone
    assert (await anna.score('teams:qa_search', 2))['ok']
    await until(lambda: clara.shows('teams:qa_search') == 2, 'the valid edit')
    # a coordinator's own page controls are not on a participant's page at all
    await anna.user.should_not_see(marker='end-meeting')
    await anna.user.should_not_see(marker='reveal')


async def test_private_scoring_then_reveal_shows_mean_spread_and_disagreement(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id, mode='private')
    clara = Person(user)
    anna = await join(create_user(), code, 'Anna')
    bert = await join(create_user(), code, 'Bert')
    assert anna.view.state['rights']['private'] and anna.view.state['totals'] == {}
    await asyncio.gather(
        anna.score('teams:ease_of_use', 0),
        bert.score('teams:ease_of_use', 3),
        clara.score('teams:ease_of_use', 2),
        bert.score('humhub:ease_of_use', 2),
        anna.score('humhub:ease_of_use', 2),
    )
    # nobody sees anybody else's private score
    assert anna.shows('teams:ease_of_use') == 0 and bert.shows('teams:ease_of_use') == 3
    assert clara.shows('teams:ease_of_use') == 2
    for person in (clara, anna, bert):
        assert person.view.state['scores'] == {} and person.view.state['stats'] == {}
    await until(lambda: 'Bert: 2/48' in presence(user), 'progress shown to the coordinator')
    user.find(marker='reveal').click()
    for person in (clara, anna, bert):
        await until(lambda p=person: 'teams:ease_of_use' in p.view.state['stats'], 'the reveal')
        stats = person.view.state['stats']
        assert stats['teams:ease_of_use']['disagree'] and stats['teams:ease_of_use']['n'] == 3
        assert stats['teams:ease_of_use']['mean'] == '1,7'
        assert not stats['humhub:ease_of_use']['disagree']
        assert person.view.state['rights']['stats'] and not person.view.state['rights']['private']
    await anna.user.should_see(marker='mode-line')
    assert (await bert.score('teams:ease_of_use', 2))['ok']  # the agreed value, set by the group
    await until(lambda: clara.shows('teams:ease_of_use') == 2 and anna.shows('teams:ease_of_use') == 2, 'agreed')


async def test_ending_the_meeting_closes_the_door_and_keeps_the_result(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    anna = await join(create_user(), code, 'Anna')
    await anna.score('teams:qa_search', 2)
    user.find(marker='end-meeting').click()
    await user.should_see(marker='confirm-ok')  # ending is confirmed first
    user.find(marker='confirm-ok').click()
    await until(lambda: anna.view.state['rights']['cells'] is False, 'read-only after the end')
    await anna.user.should_see('Deze vergadering is afgelopen')
    # the notices reach both (the simulated users share one notification list: whoever acted last holds it)
    notices = lambda: user.notify.messages + anna.user.notify.messages  # noqa: E731
    await until(lambda: 'De vergadering is beëindigd.' in notices(), 'the coordinator told')
    assert any(m.startswith('Deze vergadering is afgelopen') for m in notices())
    await anna.user.should_not_see(marker='presence')  # nobody is "present" in a meeting that is over
    ack = await anna.score('teams:qa_search', 3)
    assert not ack['ok'] and 'afgelopen' in ack['message']
    assert services().ittools.room(cid, comparison_id).comparison.score('teams:qa_search') == 2
    page = await anna.user.http_client.get(f'/m/{code}')
    assert page.status_code == 404 and 'Deze vergadering is afgelopen; de code werkt niet meer.' in page.text
    assert 'Waarop letten?' not in page.text  # no matrix: its texts are not even sent


async def test_joining_refuses_bad_codes_and_names_in_the_visitors_language(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    visitor = create_user()
    await visitor.open('/m?lang=fr')
    visitor.find(marker='join-code').type('ZZZ-ZZZ')
    visitor.find(marker='join-go').click()
    await visitor.should_see('Aucune réunion avec ce code.')
    await visitor.open(f'/m/{code}?lang=fr')
    for name, message in (
        ('<b>Bob</b>', "N'utilisez pas < ou > dans votre nom."),
        ('B' * 10_000, 'Trop long\u00a0: 40 caractères au maximum.'),
        ('   ', 'Indiquez un nom que les autres peuvent voir.'),
    ):
        visitor.find(marker='join-name').clear()
        visitor.find(marker='join-name').elements.pop().value = name
        visitor.find(marker='join-submit').click()
        await visitor.should_see(message)
    assert services().ittools.meetings.meeting(cid, comparison_id).participants == {}
    page = await visitor.http_client.get(f'/m/{code}')
    assert 'CoP Digitaal' in page.text and 'clara@example.be' not in page.text


async def test_a_participant_who_reconnects_sees_the_current_state(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    clara = Person(user)
    anna = await join(create_user(), code, 'Anna')
    client = anna.user.client
    for handler in client.disconnect_handlers:  # the connection drops...
        client.safe_invoke(handler)
    await until(lambda: 'Anna, verbinding weg' in presence(user), 'Anna shown as away')
    await clara.score('teams:qa_search', 3)
    # the reconnect: what the browser shows is rebuilt from the current state
    anna.view.state['scores'].clear()
    for handler in client.connect_handlers:  # ...and comes back
        client.safe_invoke(handler)
    assert anna.shows('teams:qa_search') == 3
    await until(lambda: 'verbinding weg' not in presence(user), 'Anna back')


async def test_a_page_without_its_connection_gets_nothing_until_it_is_back(user: User, create_user):
    # a phone put away in a meeting of a hundred: its page is not sent every edit while it cannot receive them
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    clara = Person(user)
    anna = await join(create_user(), code, 'Anna')
    client = anna.user.client
    tab = client.tab_id
    client.tab_id = None  # what NiceGUI does when the last socket of a page drops
    for handler in client.disconnect_handlers:
        client.safe_invoke(handler)
    queued = len(client.outbox.messages)
    await clara.score('teams:qa_search', 3)
    await clara.score('teams:ease_of_use', 1)
    assert len(client.outbox.messages) == queued and anna.shows('teams:qa_search') is None
    client.tab_id = tab
    for handler in client.connect_handlers:  # back: the whole state, once
        client.safe_invoke(handler)
    assert anna.shows('teams:qa_search') == 3 and anna.shows('teams:ease_of_use') == 1
    assert len(client.outbox.messages) <= queued + 1  # one reset (or joined to what waited)


async def test_results_csv_and_decision(user: User):
    cid, comparison_id = await coordinator_with_comparison(user)
    clara = Person(user)
    for key, value in (('teams:data_protection', 2), ('humhub:data_protection', 0), ('teams:ease_of_use', 3)):
        await clara.score(key, value)
    await user.open(f'/c/{cid}/ittools/{comparison_id}/results')
    await user.should_see(marker='ranking-chart')
    await user.should_see('1. Microsoft Teams')
    await user.should_see(marker='excluded-note')
    await user.should_see(marker='results-table')
    user.find(marker='export-csv').click()
    response = await user.download.next()
    rows = list(csv.reader(io.StringIO(response.content.decode('utf-8-sig')), delimiter=';'))
    assert rows[0][0] == 'Criterium' and any(r and r[0] == 'Plaats' for r in rows)
    user.find(marker='decision-rationale').type('Iedereen kent het al.')
    before = len(user.back_history)
    user.find(marker='decision-save').click()
    await user.should_see('Beslissen op een onvolledige matrix?')  # 3 of 48 cells: asked first
    user.find(marker='confirm-ok').click()
    await settle(user, before)
    await user.should_see('Iedereen kent het al.')
    assert services().ittools.latest_decision(cid)['tool_id'] == 'teams'
    await user.open(f'/c/{cid}/ittools')
    await user.should_see(marker='decision-badge')


async def test_a_damaged_comparison_gets_the_damaged_file_page(user: User):
    await sign_up(user, 'Clara Coördinator', 'clara@example.be')
    cid = await create_community(user, 'CoP Digitaal')
    ittools = services().ittools
    owner = ittools.user_actor(services().accounts.by_email('clara@example.be'), cid)
    comparison = await ittools.create(owner, cid, 'Beschadigd', template_id='m365')
    services().store.community(cid).table(COMPARISONS).update({'scores': 'not a mapping'}, doc_ids=[1])
    for page in ('', '/results', '/setup'):
        await user.open(f'/c/{cid}/ittools/{comparison.id}{page}')
        await user.should_see(marker='damaged-notice')
        await user.should_not_see(marker='matrix')
    response = await user.http_client.get(f'/c/{cid}/ittools/c0000000000000')
    assert response.status_code == 404


async def test_a_refused_edit_brings_back_what_the_server_holds_now(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    clara = Person(user)
    anna = await join(create_user(), code, 'Anna')
    await clara.score('teams:qa_search', 2)
    ack = await anna.score('teams:qa_search', 9)
    assert not ack['ok']
    # the refusal carries the cell as the server holds it: the browser shows that, not what it showed before
    assert anna.view.state['scores']['teams:qa_search']['v'] == 2 and anna.shows('teams:qa_search') == 2


async def test_nobody_sees_who_is_editing_while_everyone_scores_alone(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id, mode='private')
    clara = Person(user)
    anna = await join(create_user(), code, 'Anna')
    owner = services().accounts.by_email('clara@example.be')
    coach_account = await services().accounts.sign_up('Carl Coach', 'carl@example.be', PASSWORD)
    token, _ = await services().communities.invite(owner.id, cid, 'coach')
    await services().communities.accept(coach_account.id, token)
    coach_user = create_user()
    await log_in(coach_user, 'carl@example.be')
    await coach_user.open(f'/c/{cid}/ittools/{comparison_id}')
    coach = Person(coach_user)
    assert not coach.view.state['rights']['cells']
    anna.user.find(marker='matrix').trigger('focus', {'key': 'teams:co_editing'})
    await until(lambda: 'teams:co_editing' in services().ittools.room(cid, comparison_id).editing, 'the mark')
    await asyncio.sleep(0.2)
    assert coach.view.state['editing'] == {} and clara.view.state['editing'] == {}
    # after the reveal, marks are shown again: to the coach too
    user.find(marker='reveal').click()
    await until(lambda: coach.view.state['rights']['stats'], "the reveal on the coach's screen")
    anna.user.find(marker='matrix').trigger('focus', {'key': 'teams:ease_of_use'})
    await until(lambda: coach.view.state['editing'].get('teams:ease_of_use') == 'Anna', 'the mark shown to the coach')


async def test_the_reveal_replaces_shared_scores_in_plain_words_and_clears_stale_warnings(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    code = await start_meeting(user, cid, comparison_id)
    clara = Person(user)
    anna = await join(create_user(), code, 'Anna')
    await anna.score('teams:ease_of_use', 1)
    await clara.score('teams:ease_of_use', 3)  # Anna is told Clara changed what she had set
    await until(lambda: 'teams:ease_of_use' in anna.view.state['conflicts'], 'the conflict warning')
    user.find(marker='private-round').click()
    await until(lambda: anna.view.state['rights']['private'], 'the private round')
    assert anna.view.state['conflicts'] == {}  # a warning from the shared phase would now mislead
    await anna.score('teams:ease_of_use', 1)
    await clara.score('teams:ease_of_use', 2)
    user.find(marker='reveal').click()
    await until(lambda: 'teams:ease_of_use' in anna.view.state['stats'], 'the reveal')
    for person in (clara, anna):
        assert person.shows('teams:ease_of_use') is None  # the earlier shared 3 is not shown beside the round
        stats = person.view.state['stats']['teams:ease_of_use']
        assert stats['text'] == 'Voorstel: 2 · Goed' and stats['range'] == '2 stemmen, van 1 tot 2'
        assert 'gemiddelde 1,5' in stats['detail']
    user.find(marker='adopt-means').click()
    await until(lambda: anna.shows('teams:ease_of_use') == 2, 'the round proposal taken over')
    notices = lambda: user.notify.messages + anna.user.notify.messages  # noqa: E731
    await until(lambda: '1 cel kreeg het voorstel van de ronde.' in notices(), 'the count told')


async def test_results_show_completeness_and_the_presenter_view_follows_the_meeting(user: User, create_user):
    cid, comparison_id = await coordinator_with_comparison(user)
    clara = Person(user)
    await clara.score('teams:data_protection', 2)
    await user.open(f'/c/{cid}/ittools/{comparison_id}/results')
    await user.should_see(marker='completeness')
    await user.should_see(
        '0 van de 12 criteria zijn voor elke tool gescoord (2 % van de cellen).'.replace(' %', '\u00a0%')
    )
    await user.open(f'/c/{cid}/ittools/{comparison_id}')
    code = await start_meeting(user, cid, comparison_id, mode='private')
    projector = create_user()
    await log_in(projector, 'clara@example.be')
    await projector.open(f'/c/{cid}/ittools/{comparison_id}/present?lang=fr')
    await projector.should_see(marker='presenter-matrix')
    await projector.should_see(code[:3] + ' ' + code[3:])
    await projector.should_see('0 participant connecté')
    anna = await join(create_user(), code, 'Anna')
    await anna.score('teams:data_protection', 3)
    # the projector draws a burst of changes as it settles (at most every half second): it is waited for longer
    await projector.should_see('1 participant connecté', retries=15)
    await projector.should_not_see('3 · Très bien')  # private scores stay private on the projector
    await projector.should_not_see('2 · Bien')  # and so does the shared score during the round
    user.find(marker='reveal').click()
    await projector.should_see('Proposition : 3 · Très bien'.replace(' :', '\u00a0:'), retries=15)
    await projector.should_see('Classement')


async def test_the_projector_draws_a_burst_of_changes_once_it_settles():
    from pages.ittools.present import Coalesced

    runs = []
    later = Coalesced(lambda: runs.append(asyncio.get_running_loop().time()), 0.2)
    started = asyncio.get_running_loop().time()
    for _ in range(50):  # a burst: one redraw, soon, not inside the caller
        later.ask()
    assert runs == []
    await asyncio.sleep(0.05)
    assert len(runs) == 1
    for _ in range(50):  # more while it was just drawn: one more, once the interval is over
        later.ask()
        await asyncio.sleep(0.002)
    await asyncio.sleep(0.3)
    assert len(runs) == 2 and runs[1] - runs[0] >= 0.19 and runs[0] - started < 0.05
