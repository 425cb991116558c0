"""Mail end to end: the server delivers to a real SMTP server (aiosmtpd), and the links in the mails are followed in
Chromium: sign-up confirmation and password reset, with axe scans of the new screens."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from core.demo import DEMO_EMAIL

from .conftest import DEMO_PASSWORD, log_in, mailed_link, serious_violations, wait_idle

PASSWORD = 'a walk along the canal at dawn'


def test_sign_up_confirm_by_mail_then_forget_and_reset_the_password(server, page, mail_server):
    email = 'lotte.mail-e2e@example.be'
    violations = {}
    page.goto(f'{server.url}/signup?lang=fr')
    wait_idle(page)
    page.get_by_label('Nom', exact=True).fill('Lotte Maes')
    page.get_by_label('Adresse e-mail').fill(email)
    page.get_by_label('Mot de passe').fill(PASSWORD)
    page.get_by_role('button', name='Créer un compte').click()
    expect(page.get_by_role('heading', name='Consultez votre boîte mail')).to_be_visible()
    violations['signup'] = serious_violations(page)

    link = mailed_link(mail_server, email, '/signup/confirm/')
    [mail] = [m for m in mail_server.received if email in m.rcpt_tos]
    assert mail.message['Content-Language'] == 'fr-BE'
    assert mail.message['From'].addresses[0].display_name == 'CoP-toolbox'
    assert mail.mail_from == 'cop@e2e.example.be' and PASSWORD not in mail.text
    assert [p.get_content_type() for p in mail.message.iter_parts()] == ['text/plain', 'text/html']
    assert link.startswith(server.url)  # no --public-url: the address the request came in on
    page.goto(link)
    wait_idle(page)
    violations['confirm'] = serious_violations(page)
    page.get_by_role('button', name="Confirmer l'adresse e-mail").click()
    expect(page.get_by_text('Votre adresse e-mail est confirmée')).to_be_visible()

    page.goto(f'{server.url}/login')
    wait_idle(page)
    page.get_by_role('link', name='Mot de passe oublié').click()
    page.wait_for_url('**/reset')
    wait_idle(page)
    violations['forgot'] = serious_violations(page)
    page.get_by_label('Adresse e-mail').fill(email)
    page.get_by_role('button', name='Envoyer le lien').click()
    expect(page.get_by_role('status').filter(has_text=email)).to_be_visible()

    page.goto(mailed_link(mail_server, email, '/reset/'))
    wait_idle(page)
    violations['reset'] = serious_violations(page)
    page.get_by_label('Nouveau mot de passe').fill('the canal at dusk this time')
    page.get_by_role('button', name='Enregistrer le mot de passe').click()
    page.wait_for_url(re.compile(r'.*/(\?.*)?$'))
    expect(page.get_by_text('Votre mot de passe a été changé').first).to_be_visible()
    expect(page.get_by_role('button', name=re.compile('Lotte Maes'))).to_be_visible()  # logged in

    page.goto(mailed_link(mail_server, email, '/reset/'))  # the same link a second time
    wait_idle(page)
    expect(page.get_by_role('alert').filter(has_text='déjà été utilisé')).to_be_visible()
    assert not any(violations.values()), violations


def test_an_invitation_by_mail_from_the_members_page(server, browser, mail_server):
    context = browser.new_context(viewport={'width': 1280, 'height': 900}, locale='nl-BE')
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, server.url, DEMO_EMAIL, DEMO_PASSWORD)
    cid = page.locator('a[href^="/c/"]').first.get_attribute('href').split('/')[2]
    page.goto(f'{server.url}/c/{cid}/members?lang=nl')
    wait_idle(page)
    page.get_by_label('E-mailadres van de genodigde').fill('els.invite-e2e@example.be')
    page.get_by_role('button', name='Uitnodiging versturen').click()
    expect(page.get_by_text(re.compile('els.invite-e2e@example.be: .*E-mail: verstuurd'))).to_be_visible()
    assert not serious_violations(page)
    link = mailed_link(mail_server, 'els.invite-e2e@example.be', '/invite/')
    [mail] = [m for m in mail_server.received if 'els.invite-e2e@example.be' in m.rcpt_tos]
    assert 'CoP' in mail.message['Subject'] and mail.message['Content-Language'] == 'nl-BE'
    context.close()

    guest = browser.new_context(locale='nl-BE').new_page()
    guest.goto(link)  # not logged in: the login page, with the way back to the invitation
    guest.wait_for_url('**/login?next=%2Finvite%2F*')
    guest.context.close()
