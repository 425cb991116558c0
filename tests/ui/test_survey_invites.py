"""Survey invitations by mail on a personal round's page: addresses from a CSV file or pasted, counts only, a
reminder that says nothing about who, the invitation text per language; the page never shows an address again."""

from __future__ import annotations

from nicegui import app, ui
from nicegui.testing import User

from .helpers import create_community, sign_up


async def test_invite_members_by_mail_from_a_csv_and_remind_them(user: User):
    await sign_up(user, 'Owner', 'owner@example.be')
    cid = await create_community(user, 'CoP Data')
    services = app.state.services
    owner = services.accounts.by_email('owner@example.be').id
    survey_round = await services.surveys.create(owner, cid, open_now=True)
    await user.open(f'/c/{cid}/survey/{survey_round.id}')
    await user.should_see(marker='survey-invite-addresses')

    upload = user.find(marker='survey-invite-upload').elements.pop()
    csv = b'naam;e-mail\nAn Peeters;an@fod.example.be\nBart Claes;bart@fod.example.be\n'
    await upload.handle_uploads([ui.upload.SmallFileUpload('leden.csv', 'text/csv', csv)])
    await user.should_see('2 adressen gelezen uit het bestand')
    user.find(marker='survey-invite-addresses').type('\nchloe@spf.example.be, not@valid')
    user.find(marker='survey-invite-send').click()
    await user.should_see(
        '3 nieuwe adressen uitgenodigd; 0 waren al uitgenodigd. Niet gelezen als e-mailadres: not@valid'
    )
    await user.should_see('3 adressen uitgenodigd. E-mails: 3 verstuurd', retries=40)
    assert services.mailer.wait_idle()
    page_text = ' '.join(str(e) for e in user.find(ui.element).elements)
    assert 'an@fod.example.be' not in page_text  # never shown again, not even to the one who typed them

    user.find(marker='survey-invite-remind').click()
    await user.should_see('Herinnering verstuurd naar wie nog niet antwoordde.')
    user.find(marker='survey-invite-remind').click()
    await user.should_see('Er ging minder dan een dag geleden al een herinnering.')

    user.find(marker='survey-invite-text-fr').clear()
    user.find(marker='survey-invite-save-fr').click()
    await user.should_see('De tekst is leeg.')
    user.find(marker='survey-invite-text-fr').type('Bonjour, voici votre lien : {link}')
    user.find(marker='survey-invite-save-fr').click()
    await user.should_see('Opgeslagen', retries=20)
    assert services.survey_invitations.text(owner, cid, survey_round.id, 'fr') == 'Bonjour, voici votre lien : {link}'
