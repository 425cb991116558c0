"""The facilitation checklist: record a session, fill in the checklist, three participants give feedback by link,
the results show once the threshold is met."""

from __future__ import annotations

from nicegui import app
from nicegui.testing import User

from .helpers import PASSWORD, log_in, settle
from .test_kompas import answer
from .test_survey import browser


async def test_session_checklist_and_participants_feedback(user: User, create_user):
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP'})
    cid = community.id
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{cid}/facilitation')
    user.find(marker='session-name').type('Intervisie <b>maart</b>')
    user.find(marker='session-participants').elements.pop().value = 12
    before = len(user.back_history)
    user.find(marker='session-record').click()
    await settle(user, before)
    await user.should_see('Intervisie <b>maart</b>')  # markup stays text
    (session,) = services.facilitation.sessions(owner.id, cid)

    before = len(user.back_history)
    user.find(marker='checklist-fill').click()
    await settle(user, before)
    instrument = services.facilitation.instrument
    preparation = [i for i in instrument.dimension('preparation').items if i.type == 'scale']
    for item, value in zip(preparation, [3, 3, 1, 2], strict=False):  # (3 + 3 + 1 + 2) / 4 = 2.25
        await answer(user, item.id, value)
    await user.open(f'/c/{cid}/facilitation/{session.id}/review')
    user.find(marker='finish').click()
    await user.should_see(marker='confirm-ok', retries=20)
    before = len(user.back_history)
    user.find(marker='confirm-ok').click()
    await settle(user, before)
    await user.should_see(marker='checklist-done')
    with user:
        cells = [
            c.text
            for c in user.find(marker='self-table').elements.pop().descendants()
            if getattr(c, 'tag', '') in ('th', 'td')
        ]
    row = cells.index(instrument.dimension('preparation').title['nl'])
    assert cells[row + 1] == '2,3'

    before = len(user.back_history)
    user.find(marker='feedback-open').click()
    await settle(user, before)
    user.find(marker='links-number').elements.pop().value = 4  # personal links, one per participant
    user.find(marker='links-make').click()
    await user.should_see(marker='links-made', retries=20)
    user.find(marker='links-csv').click()
    rows = (await user.download.next()).content.decode('utf-8-sig').splitlines()[1:]
    paths = [row.split(';')[1][row.split(';')[1].index('/s/') :] for row in rows]
    feedback = services.surveys.instrument_of(services.facilitation.feedback_round(owner.id, cid, session.id))
    roti_item = next(i for i in feedback.items if i.type == 'scale')
    for value, path in zip((4, 5), paths, strict=False):
        participant = browser(create_user())
        await participant.open(path)
        await participant.should_see(marker='respond-step', retries=20)
        participant.find(marker=f'answer-{roti_item.id}').elements.pop().value = value
        participant.find(marker='respond-submit').click()  # open questions may stay empty: no question asked
        await participant.should_see(marker='receipt-code', retries=40)
    await user.open(f'/c/{cid}/facilitation/{session.id}')
    await user.should_see(marker='feedback-hidden')  # 2 of 3
    third = browser(create_user())
    await third.open(paths[2])
    await third.should_see(marker='respond-step', retries=20)
    third.find(marker=f'answer-{roti_item.id}').elements.pop().value = 3
    third.find(marker='respond-submit').click()
    await third.should_see(marker='receipt-code', retries=40)
    await user.open(f'/c/{cid}/facilitation/{session.id}')
    await user.should_see('Rendement van de geïnvesteerde tijd: 4,0 op 5 (3 antwoorden)')  # (4 + 5 + 3) / 3
    await user.should_see(marker='send-action')  # preparation is not strong: ideas to send
    await user.open(f'/c/{cid}/facilitation')
    await user.should_see(marker='history-table')


async def test_bad_session_details_get_clear_messages(user: User):
    services = app.state.services
    owner = await services.accounts.sign_up('Owner', 'owner@example.be', PASSWORD)
    community = await services.communities.create(owner.id, {'name': 'CoP'})
    await log_in(user, 'owner@example.be')
    await user.open(f'/c/{community.id}/facilitation')
    user.find(marker='session-record').click()
    await user.should_see('Geef de sessie een naam.', retries=20)
    user.find(marker='session-name').type('x' * 200)
    user.find(marker='session-record').click()
    await user.should_see('Te lang: maximaal 120 tekens.', retries=20)
    user.find(marker='session-name').clear().type('Sessie')
    user.find(marker='session-day').clear().type('2999-01-01')
    user.find(marker='session-record').click()
    await user.should_see('De sessie ligt in de toekomst: leg ze vast nadat ze heeft plaatsgevonden.', retries=20)
    user.find(marker='session-day').clear().type('2026-01-01')
    user.find(marker='session-participants').elements.pop().value = -3
    user.find(marker='session-record').click()
    await user.should_see('Geef een geheel getal van 1 tot 1000.', retries=20)
    assert services.facilitation.sessions(owner.id, community.id) == []
