"""The facilitation checklist: session details refused cleanly, the participants' feedback and its ROTI."""

from __future__ import annotations

import pytest

from core.config import Settings
from core.errors import ValidationError
from core.facilitation import ROTI_ITEM, clean_details
from core.services import build_services

PASSWORD = 'a good long password'


@pytest.mark.parametrize(
    'participants',
    [
        'nan',
        'NaN',
        'inf',
        '-inf',
        'Infinity',
        '1e400',
        float('nan'),
        float('inf'),
        '2.5',
        '0',
        '1001',
        'twelve',
        [3],
        True,
    ],
)
def test_a_participant_count_that_is_not_a_whole_number_in_range_is_refused(participants):
    with pytest.raises(ValidationError) as info:
        clean_details('Intervisie', '2026-01-05', '', participants)
    assert (info.value.key, info.value.field) == ('facilitation.error.participants', 'participants')


@pytest.mark.parametrize(
    'participants, count', [('12', 12), (12, 12), (12.0, 12), ('1000', 1000), ('', None), (None, None)]
)
def test_a_participant_count_is_kept_as_a_whole_number(participants, count):
    assert clean_details('Intervisie', '2026-01-05', '', participants)['participants'] == count


async def test_roti_is_the_mean_of_the_roti_item_on_the_rounds_own_instrument(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    me = (await services.accounts.sign_up('Owner', 'owner@b.be', PASSWORD)).id
    cid = (await services.communities.create(me, {'name': 'CoP'})).id
    facilitation = services.facilitation
    session = await facilitation.record(me, cid, name='Intervisie', day='2026-01-05')
    feedback_round = await facilitation.open_feedback(me, cid, session.id)
    instrument = services.surveys.instrument_of(feedback_round)
    assert instrument.item(ROTI_ITEM).type == 'scale'
    outcome = facilitation.outcome(me, cid, session.id)
    assert outcome.feedback is None and outcome.feedback_instrument is None and outcome.roti is None
    codes = await services.surveys.make_codes(me, cid, feedback_round.id, 4)
    for value, code in zip((4, 5, 3), codes, strict=False):
        ticket = services.surveys.ticket(cid, feedback_round.token)
        await services.surveys.submit(cid, feedback_round.token, ticket, {ROTI_ITEM: value}, code=code)
    outcome = facilitation.outcome(me, cid, session.id)
    assert outcome.feedback_instrument is instrument and outcome.feedback_count == 3
    assert outcome.roti == 4.0


async def test_feedback_follows_the_survey_rules_an_open_link_waits_for_the_closing_and_eight(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / 'data', backup_interval=0))
    me = (await services.accounts.sign_up('Owner', 'owner@b.be', PASSWORD)).id
    cid = (await services.communities.create(me, {'name': 'CoP'})).id
    session = await services.facilitation.record(me, cid, name='Intervisie', day='2026-01-05')
    feedback_round = await services.facilitation.open_feedback(me, cid, session.id, mode='open')
    assert not feedback_round.verified and feedback_round.threshold == 8
    surveys = services.surveys
    for value in (4, 5, 3, 4, 4, 5, 3, 4, 2):
        await surveys.submit(cid, feedback_round.token, surveys.ticket(cid, feedback_round.token), {ROTI_ITEM: value})
    assert services.facilitation.outcome(me, cid, session.id).feedback is None  # 9 answers, but the link is open
    await surveys.set_status(me, cid, feedback_round.id, 'closed')
    outcome = services.facilitation.outcome(me, cid, session.id)
    assert outcome.feedback_count == 9 and outcome.roti == round(34 / 9, 4)


@pytest.mark.parametrize('field', ['name', 'method'])
@pytest.mark.parametrize('value', [{'a': 'dict'}, ['a', 'list'], 12345, 1e308])
def test_a_name_or_method_that_is_not_text_is_refused(field, value):
    details = {'name': 'Intervisie', 'method': '', field: value}
    with pytest.raises(ValidationError) as info:
        clean_details(details['name'], '2026-01-05', details['method'], None)
    assert (info.value.key, info.value.field) == ('error.invalid', field)


def test_control_characters_leave_a_session_name():
    assert clean_details('Inter\x00visie\x1b \u202e', '2026-01-05', 'World\x07 café', 3)['name'] == 'Intervisie'
