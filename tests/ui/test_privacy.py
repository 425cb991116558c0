"""Data protection as a user meets it: hand over coordination, delete my account, download my data."""

from __future__ import annotations

import json

from nicegui import app
from nicegui.testing import User

from .helpers import PASSWORD, create_community, settle, sign_up


async def community_with_second_member(user: User) -> tuple[str, str]:
    """Anna (signed up through the page) runs a community; Bob is its co-coordinator. Returns (cid, Bob's id)."""
    await sign_up(user)
    await user.should_see(marker='field-name', retries=30)
    cid = await create_community(user, 'CoP Wetgeving')
    services = app.state.services
    anna = services.accounts.by_email('anna@example.be')
    bob = await services.accounts.sign_up('Bob Maes', 'bob@example.be', PASSWORD, 'nl')
    token, _ = await services.communities.invite(anna.id, cid, 'co_coordinator')
    await services.communities.accept(bob.id, token)
    return cid, bob.id


async def test_hand_over_makes_the_member_coordinator_and_lets_the_old_one_step_down(user: User):
    cid, bob_id = await community_with_second_member(user)
    communities = app.state.services.communities
    await user.open(f'/c/{cid}/members')
    user.find(marker='handover-member').elements.pop().value = bob_id
    user.find(marker='handover-step-down').elements.pop().value = True
    user.find(marker='handover-submit').click()
    await user.should_see(marker='confirm-ok', retries=20)
    before = len(user.back_history)
    user.find(marker='confirm-ok').click()
    await settle(user, before)
    await user.should_see('Bob Maes is nu coördinator.')
    assert communities.coordinators(cid) == [bob_id]
    await user.should_see(marker='leave-community')  # no longer the last coordinator: may leave


async def test_delete_account_refuses_a_wrong_password_then_erases_after_hand_over(user: User):
    cid, bob_id = await community_with_second_member(user)
    services = app.state.services
    anna = services.accounts.by_email('anna@example.be')
    await user.open('/account/delete')
    await user.should_see(marker='delete-blocked')  # last coordinator: hand over or delete first
    await user.should_see('CoP Wetgeving')
    await services.communities.hand_over(anna.id, cid, bob_id)

    await user.open('/account/delete')
    user.find(marker='delete-password').type('not my password')
    user.find(marker='delete-submit').click()
    await user.should_see('Dit wachtwoord klopt niet. Er is niets verwijderd.', retries=100)  # scrypt takes a while
    assert services.accounts.get(anna.id) is not None

    user.find(marker='delete-password').type(PASSWORD)
    before = len(user.back_history)
    user.find(marker='delete-submit').click()
    await settle(user, before)
    await user.should_see('Je account is verwijderd.', retries=50)
    assert services.accounts.by_email('anna@example.be') is None
    assert [m.name for m in services.communities.members(bob_id, cid)] == ['Bob Maes']
    await user.open('/account')
    await user.should_see(marker='login-email')  # the session ended with the account


async def test_download_my_data_as_json_and_readable_page_and_never_someone_elses(user: User):
    cid, bob_id = await community_with_second_member(user)
    await user.open('/account')
    user.find(marker='to-my-data').click()
    await user.should_see(marker='anonymous-note', retries=20)
    user.find(marker='download-json').click()
    data = json.loads((await user.download.next(timeout=10)).content)
    assert data['account']['email'] == 'anna@example.be'
    assert data['memberships'][0]['role'] == 'coordinator'
    assert [i['role'] for i in data['invitations_sent']] == ['co_coordinator']
    user.find(marker='download-html').click()
    page = (await user.download.next(timeout=10)).content.decode()
    assert 'anna@example.be' in page and 'aan niemand gekoppeld' in page

    await user.open(f'/account/data?id={bob_id}')
    await user.should_see(marker='data-refused')
    await user.should_see('Je kunt alleen je eigen gegevens downloaden.')
    await user.should_not_see(marker='download-json')


async def test_privacy_notice_in_every_language_linked_from_the_footer(user: User):
    await user.open('/guide')
    user.find(marker='footer-privacy').click()
    await user.should_see(marker='notice-operator', retries=20)
    expected = {
        'nl': ('Privacyverklaring', 'Rechtsgrond', 'voormalig lid'),
        'fr': ('Déclaration de confidentialité', 'Base juridique', 'ancien membre'),
        'en': ('Privacy notice', 'Legal basis', 'former member'),
    }
    kinds = len(app.state.services.privacy.inventory.kinds)
    for lang, texts in expected.items():
        await user.open(f'/privacy?lang={lang}')
        for text in texts:
            await user.should_see(text)
        assert len(user.find(marker='notice-kind').elements) == kinds
    await user.should_see('erased 12 months after the round closes')  # the retention from the settings in force
    await user.should_see(marker='register-csv')


async def test_an_export_of_the_community_file_appears_in_the_coordinators_export_log(user: User):
    cid, bob_id = await community_with_second_member(user)
    await user.open(f'/c/{cid}/members')
    await user.should_see(marker='exportlog-empty')
    await user.open(f'/c/{cid}/settings')
    user.find(marker='export-community').click()
    await user.download.next(timeout=10)
    await user.open(f'/c/{cid}/members')
    await user.should_see(marker='exportlog')
    await user.should_see('Communitybestand')
    await user.should_see('Anna Peeters')
    assert [
        e.kind
        for e in app.state.services.exportlog.entries(app.state.services.accounts.by_email('anna@example.be').id, cid)
    ] == ['community_file']


async def test_the_survey_page_links_the_privacy_notice_next_to_its_anonymity_notice(user: User):
    cid, _ = await community_with_second_member(user)
    services = app.state.services
    anna = services.accounts.by_email('anna@example.be')
    survey_round = await services.surveys.create(anna.id, cid, title='Najaar', open_now=True)
    (code,) = await services.surveys.make_codes(anna.id, cid, survey_round.id, 1)  # a member's personal link
    await user.open(f'/s/{cid}/p/{code}')
    await user.should_see(marker='survey-privacy')
    await user.should_see('Elke export wordt bijgehouden: wie, wat en op welke dag.')
